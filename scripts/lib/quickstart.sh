# shellcheck shell=bash
# mlplatform quickstart: from a fresh clone to a served model. Sourced by bin/mlplatform with the options the
# Java command tree already checked and defaulted (cli/, QuickstartCommand): --port N --store URI.
port="" store=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --store) store="$2"; shift 2 ;;
    *) die "quickstart: unexpected argument $1 (a bug: cli and scripts/lib/quickstart.sh disagree)" ;;
  esac
done

cd "$ROOT"
say "training the penguins model (Spark local mode)"
"$MLPLATFORM" train conf/models/penguins.yaml --store "$store"

say "starting the service on http://127.0.0.1:$port"
# --no-auth: this is a local demo on loopback. Production serving needs API keys (docs/serving.md, "Auth").
"$MLPLATFORM" serve --store "$store" --port "$port" --host 127.0.0.1 --no-auth &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' INT TERM EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
    break
  fi
  kill -0 "$server" 2>/dev/null || die "the service exited during start-up (is port $port free? try --port)"
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 || die "the service did not become ready in 60 s"

cat <<DONE

The penguins model is served. Try:

  curl -s -X POST http://127.0.0.1:$port/v1/models/penguins:predict \\
    -H 'Content-Type: application/json' \\
    -d '{"instances": [{"Island": "Biscoe", "Beak Length (mm)": 48.6, "Beak Depth (mm)": 16.0,
         "Flipper Length (mm)": 230, "Body Mass (g)": 5800, "Sex": "MALE"}]}'

  curl -s http://127.0.0.1:$port/v1/models/penguins     # versions, input schema, metrics

Auth is off for this local demo (--no-auth). To require keys, start the service with
MLPLATFORM_API_KEYS='me:predict+admin:<16+ chars>' bin/mlplatform serve and send Authorization: Bearer <key>.

Press Ctrl-C to stop.
DONE
wait "$server"
