# shellcheck shell=bash
# mlplatform bench serving: the real service with a real GBT bundle, against baselines measured in the same
# run. Sourced by bin/mlplatform with the options the Java command tree already checked and defaulted
# (cli/, BenchCommand.Serving); what it measures is in that command's --help and docs/performance.md.
duration=10 warmup=3 rows=20000 rate1="" rate16="" out="" profile="" log_rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --rows) rows="$2"; shift 2 ;;
    --rate1) rate1="$2"; shift 2 ;;
    --rate16) rate16="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --profile) profile=1; shift ;;
    --log-rounds) log_rounds="$2"; shift 2 ;;
    *) die "bench serving: unexpected argument $1 (a bug: cli and scripts/lib/bench-serving.sh disagree)" ;;
  esac
done
out="${out:-$ROOT/bench-results/serving-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cat /proc/loadavg > "$out/loadavg-start.txt" 2>/dev/null || true

if ! command -v wrk >/dev/null 2>&1; then
  say "wrk is not installed: installing it with apt-get (Debian package wrk)"
  sudo_cmd=""
  [[ "$(id -u)" == "0" ]] || sudo_cmd="sudo"
  { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq wrk; } >&2 \
    || say "could not install wrk: closed-loop figures will be missing (the open-loop generator still runs)"
fi

ensure_bench_built

# --- model: trained twice, so that a hot swap has a real second version to load --------------------
say "generating $rows synthetic rows and training bench-gbt twice"
bench_java io.mlplatform.bench.training.SyntheticData "$rows" "$out/data.csv" 42
sed "s#DATA_PATH#$out/data.csv#" "$ROOT/benchmarks/conf/bench-gbt.yaml" > "$out/bench-gbt.yaml"
"$MLPLATFORM" train "$out/bench-gbt.yaml" "$out/bench-gbt.yaml" --store "$out/store" > "$out/train.log" 2>&1 \
  || die "training failed; see $out/train.log"

# --- service ----------------------------------------------------------------------------------------
secret="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
port=$(java -cp "$(module_jar "$BENCH_TARGET")" io.mlplatform.bench.load.FreePort)
printf 'benchEchoEnabled: true\n' > "$out/serving.yaml"
jfr_opts=""
# Deep stacks: MLeap's Scala frames would otherwise cut the request handler off the samples. The GC
# and safepoint log is cheap and written on every run (serve-gc.log).
[[ -n "$profile" ]] && jfr_opts="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:FlightRecorderOptions:stackdepth=256 -XX:StartFlightRecording=filename=$out/serve.jfr,settings=profile"
jfr_opts="$jfr_opts -Xlog:gc,safepoint:file=$out/serve-gc.log"
say "starting the service on 127.0.0.1:$port (access log: $out/access.log)"
MLPLATFORM_API_KEYS="bench:admin:$secret" JDK_JAVA_OPTIONS="$jfr_opts" \
  "$MLPLATFORM" serve --store "$out/store" --port "$port" --config "$out/serving.yaml" \
  > "$out/access.log" 2> "$out/serve.log" &
server_pid=$!
log_pids=()
trap 'kill "$server_pid" "${log_pids[@]}" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
auth="Authorization: Bearer $secret"
for _ in $(seq 1 120); do
  curl -sf "$base/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || die "the service exited; see $out/serve.log"
  sleep 0.5
done
curl -sf "$base/health/ready" >/dev/null || die "the service did not become ready; see $out/serve.log"

# The bare floor: a Javalin app with one JSON echo route and no middleware (BareEcho), on the serving
# JVM's classpath and flags, so that echo / bare echo is what auth, limits, ids, metrics and logging cost.
bare_port=$(java -cp "$(module_jar "$BENCH_TARGET")" io.mlplatform.bench.load.FreePort)
# shellcheck disable=SC2086
java ${MLPLATFORM_SERVING_JAVA_OPTS-$SERVING_JAVA_OPTS_DEFAULT} ${MLPLATFORM_JAVA_OPTS:-} \
  -cp "$(module_jar "$BENCH_TARGET"):$(module_jar "$SERVING_TARGET"):$(cat "$SERVING_TARGET/classpath.txt")" \
  io.mlplatform.bench.serving.BareEcho "$bare_port" > "$out/bare-echo.log" 2>&1 &
log_pids+=($!)
bare_url="http://127.0.0.1:$bare_port/echo"
for _ in $(seq 1 60); do
  curl -sf -H 'Content-Type: application/json' -d '{}' "$bare_url" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf -H 'Content-Type: application/json' -d '{}' "$bare_url" >/dev/null \
  || die "the bare echo server did not start; see $out/bare-echo.log"

instance='{"channel":"web","region":"north","product":"p5","age":35.5,"income":42000.0,"tenure":12.0,"visits":7,"spend":120.5,"score":0.3}'
printf '{"instances":[%s]}' "$instance" > "$out/one.json"
{ printf '{"instances":['; for i in $(seq 1 999); do printf '%s,' "$instance"; done; printf '%s]}' "$instance"; } \
  > "$out/batch.json"
curl -sf -H "$auth" -H 'Content-Type: application/json' --data-binary @"$out/one.json" \
  "$base/v1/models/bench-gbt:predict" > "$out/predict-sample.txt" || die "predict failed; see $out/serve.log"
say "sample answer: $(cat "$out/predict-sample.txt")"
predict="$base/v1/models/bench-gbt:predict"
echo_url="$base/v1/bench/echo"

wrk_run() { # name url connections seconds
  local threads=$(( $3 < 2 ? 1 : 2 ))
  WRK_BODY_FILE="$out/one.json" WRK_AUTH="Bearer $secret" WRK_OUT="$out/$1.json" \
    wrk -t"$threads" -c"$3" -d"$4"s -s "$ROOT/scripts/lib/wrk-json.lua" "$2" > "$out/$1.txt" 2>&1 \
    || say "wrk $1 failed: $(tail -n 3 "$out/$1.txt")"
}
open_run() { # name url body rate connections [seconds]
  bench_java io.mlplatform.bench.load.OpenLoopLoad "$2" "$3" "$4" "$5" "${6:-$duration}" "$warmup" "$1" \
    "$out/$1.json" "$auth" >&2
}
rate_of() { # half of a wrk run's throughput, at least 50 requests per second
  sed -n 's/.*"rps": \([0-9.]*\).*/\1/p' "$out/$1.json" 2>/dev/null | awk '{r=int($1/2); print (r<50?50:r)}'
}

# --- closed loop (wrk) ------------------------------------------------------------------------------
if command -v wrk >/dev/null 2>&1; then
  say "warming up (wrk, ${warmup}s each route)"
  wrk_run warm-bare "$bare_url" 16 "$warmup"
  wrk_run warm-echo "$echo_url" 16 "$warmup"
  wrk_run warm-predict "$predict" 16 "$warmup"
  rm -f "$out"/warm-*.json
  for c in 1 16; do
    say "wrk, $c connection(s), ${duration}s: bare echo, echo, then predict"
    wrk_run "wrk-bare-c$c" "$bare_url" "$c" "$duration"
    wrk_run "wrk-echo-c$c" "$echo_url" "$c" "$duration"
    wrk_run "wrk-predict-c$c" "$predict" "$c" "$duration"
  done
fi
if [[ -n "$profile" ]]; then
  jcmd "$server_pid" JFR.dump filename="$out/serve.jfr" >/dev/null 2>&1 || true
  bench_java io.mlplatform.bench.report.ProfileSummary "$out/serve.jfr" > "$out/profile.txt" 2>&1 || true
  say "profile of the closed-loop runs: $out/profile.txt"
fi

# --- open loop --------------------------------------------------------------------------------------
rate1="${rate1:-$(rate_of wrk-predict-c1)}"; rate1="${rate1:-500}"
rate16="${rate16:-$(rate_of wrk-predict-c16)}"; rate16="${rate16:-1000}"
say "open loop: $rate1 req/s on 1 connection, $rate16 req/s on 16"
open_run open-echo-c1 "$echo_url" "$out/one.json" "$rate1" 1
open_run open-predict-c1 "$predict" "$out/one.json" "$rate1" 1
open_run open-echo-c16 "$echo_url" "$out/one.json" "$rate16" 16
open_run open-predict-c16 "$predict" "$out/one.json" "$rate16" 16

say "1,000-row batches, 10 per second on 1 connection"
open_run batch-1000 "$predict" "$out/batch.json" 10 1

say "hot swap: steady run, then a run during which v2 and then v1 are pinned (each loads, self-tests, warms up)"
open_run swap-steady "$predict" "$out/one.json" "$rate16" 16
( sleep "$(awk -v w="$warmup" -v d="$duration" 'BEGIN{print w + d/3}')"
  curl -s -o "$out/swap-pin-2.json" -w '%{http_code} %{time_total}s\n' -X PUT -H "$auth" \
    -H 'Content-Type: application/json' -d '{"version": 2}' "$base/v1/admin/models/bench-gbt/pin"
  sleep "$(awk -v d="$duration" 'BEGIN{print d/3}')"
  curl -s -o "$out/swap-pin-1.json" -w '%{http_code} %{time_total}s\n' -X PUT -H "$auth" \
    -H 'Content-Type: application/json' -d '{"version": 1}' "$base/v1/admin/models/bench-gbt/pin"
) > "$out/swap-pins.txt" &
swapper=$!
open_run swap-during "$predict" "$out/one.json" "$rate16" 16
wait "$swapper" || true
say "pins (status, time): $(tr '\n' ' ' < "$out/swap-pins.txt")"

# --- prediction log: off vs on vs on with its sink down, interleaved ---------------------------------
# Four fresh servers from the same store and settings, warmed up alike (the one above has served for
# minutes): the log off; the log writing local files; the log with its sink down (an HDFS NameNode
# address nothing listens on: connections are refused, the writer fails fast and drops); the log with
# its sink hung (a NameNode address that accepts and never answers: the writer blocks, the queue
# fills). Rounds rotate the order; the report divides each round's figures by the log-off figures of
# the same round.
if (( log_rounds > 0 )); then
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  start_log_server() { # name [uri] -> log_port
    local port
    port=$(java -cp "$(module_jar "$BENCH_TARGET")" io.mlplatform.bench.load.FreePort)
    printf 'benchEchoEnabled: true\n' > "$out/serving-log-$1.yaml"
    if [[ -n "${2:-}" ]]; then
      printf 'predictionLog:\n  enabled: true\n  uri: %s\n  replica: bench-%s\n' "$2" "$1" >> "$out/serving-log-$1.yaml"
    fi
    MLPLATFORM_API_KEYS="bench:admin:$secret" \
      "$MLPLATFORM" serve --store "$out/store" --port "$port" --config "$out/serving-log-$1.yaml" \
      > "$out/access-log-$1.log" 2> "$out/serve-log-$1.log" &
    log_pids+=($!)
    for _ in $(seq 1 120); do
      curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
      sleep 0.5
    done
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || die "the log-$1 service did not become ready; see $out/serve-log-$1.log"
    log_port=$port
  }
  dead_port=$(java -cp "$(module_jar "$BENCH_TARGET")" io.mlplatform.bench.load.FreePort)
  hung_port=$(java -cp "$(module_jar "$BENCH_TARGET")" io.mlplatform.bench.load.FreePort)
  java -cp "$(module_jar "$BENCH_TARGET")" io.mlplatform.bench.load.BlackHole "$hung_port" &
  log_pids+=($!)
  say "prediction log: four servers, log off, on (file://$out/prediction-log), sink down (hdfs://127.0.0.1:$dead_port, refused), sink hung (hdfs://127.0.0.1:$hung_port, never answers)"
  declare -A log_base
  start_log_server off; log_base[off]="http://127.0.0.1:$log_port"
  start_log_server on "file://$out/prediction-log"; log_base[on]="http://127.0.0.1:$log_port"
  start_log_server down "hdfs://127.0.0.1:$dead_port/predictions"; log_base[down]="http://127.0.0.1:$log_port"
  start_log_server hung "hdfs://127.0.0.1:$hung_port/predictions"; log_base[hung]="http://127.0.0.1:$log_port"
  for mode in off on down hung; do
    wrk_run "warm-log-$mode" "${log_base[$mode]}/v1/models/bench-gbt:predict" 16 "$(( 2 * warmup + 2 ))"
  done
  # A third of the fresh log-off server's throughput: the open-loop runs measure latency, not a queue.
  log_rate=$(sed -n 's/.*"rps": \([0-9.]*\).*/\1/p' "$out/warm-log-off.json" | awk '{r=int($1/3); print (r<50?50:r)}')
  log_rate="${log_rate:-500}"
  rm -f "$out"/warm-*.json
  modes=(off on down hung)
  for r in $(seq 1 "$log_rounds"); do
    for i in 0 1 2 3; do
      mode=${modes[$(( (i + r - 1) % 4 ))]}
      url="${log_base[$mode]}/v1/models/bench-gbt:predict"
      say "prediction log round $r/$log_rounds, log $mode: wrk 16 connections, then open loop at $log_rate req/s"
      wrk_run "plog-$mode-r$r-wrk" "$url" 16 "$duration"
      open_run "plog-$mode-r$r-open" "$url" "$out/one.json" "$log_rate" 16
    done
  done
  for mode in on down hung; do
    curl -sf -H "$auth" "${log_base[$mode]}/metrics" | grep '^mlp_prediction_log' > "$out/plog-$mode-metrics.txt" || true
    say "log $mode: $(tr '\n' ' ' < "$out/plog-$mode-metrics.txt")"
  done
fi

kill "$server_pid" "${log_pids[@]}" 2>/dev/null || true
wait "$server_pid" "${log_pids[@]}" 2>/dev/null || true
trap - EXIT
if [[ -d "$out/prediction-log" ]]; then
  printf '%s %s\n' "$(find "$out/prediction-log" -name '*.jsonl' | wc -l)" \
    "$(find "$out/prediction-log" -name '*.jsonl' -exec cat {} + | wc -l)" > "$out/plog-on-files.txt"
  rm -rf "$out/prediction-log"
fi

# --- Spark local baseline (after the server stopped: it gets the machine to itself) ----------------
say "Spark local: PipelineModel.transform + collect of one row"
bench_java io.mlplatform.bench.serving.SparkLocalScoring "$out/store/bench-gbt/versions/1/spark-model" "$instance" \
  200 50 "$out/spark-local.json" > "$out/spark-local.log" 2>&1 || say "the Spark-local baseline failed; see $out/spark-local.log"

bench_java io.mlplatform.bench.report.ServingReport "$out"
mkdir -p "$ROOT/bench-results"
cp "$out/serving.md" "$ROOT/bench-results/serving-latest.md"
rm -f "$out/data.csv"
cat "$out/serving.md"
say "results: $out/serving.json, $out/serving.md"
