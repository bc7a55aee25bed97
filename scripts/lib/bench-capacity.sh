# shellcheck shell=bash
# mlplatform bench capacity: how fast the service starts, and what many loaded versions cost one process
# in heap and throughput. Sourced by bin/mlplatform with the options the Java command tree already checked
# and defaulted (cli/, BenchCommand.Capacity); what it measures is in that command's --help and
# docs/performance.md.
versions=50 starts=5 rounds=3 duration=10 rows=20000 out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --versions) versions="$2"; shift 2 ;;
    --starts) starts="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rows) rows="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) die "bench capacity: unexpected argument $1 (a bug: cli and scripts/lib/bench-capacity.sh disagree)" ;;
  esac
done
out="${out:-$ROOT/bench-results/capacity-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cat /proc/loadavg > "$out/loadavg-start.txt" 2>/dev/null || true
command -v wrk >/dev/null 2>&1 || say "wrk is not installed (apt-get install wrk): the throughput rows will show n/a"
command -v jcmd >/dev/null 2>&1 || say "jcmd is not on PATH (it comes with a JDK): the heap rows will show n/a"

ensure_bench_built

# --- models -----------------------------------------------------------------------------------------
say "training the sample model (conf/models/penguins.yaml)"
"$MLPLATFORM" train "$ROOT/conf/models/penguins.yaml" --store "$out/store-sample" > "$out/train-penguins.log" 2>&1 \
  || die "training penguins failed; see $out/train-penguins.log"
say "generating $rows synthetic rows and training bench-gbt once"
bench_java io.mlplatform.bench.training.SyntheticData "$rows" "$out/data.csv" 42
sed "s#DATA_PATH#$out/data.csv#" "$ROOT/benchmarks/conf/bench-gbt.yaml" > "$out/bench-gbt.yaml"
"$MLPLATFORM" train "$out/bench-gbt.yaml" --store "$out/store-one" > "$out/train-bench-gbt.log" 2>&1 \
  || die "training bench-gbt failed; see $out/train-bench-gbt.log"
rm -f "$out/data.csv"
say "publishing bench-gbt v1 again until there are $versions versions, each with an alias (store-many)"
cp -r "$out/store-one" "$out/store-many"
bench_java io.mlplatform.bench.capacity.CopyVersions "file:$out/store-many" bench-gbt "$versions" --aliases >&2

secret="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
free_port() { java -cp "$(module_jar "$BENCH_TARGET")" io.mlplatform.bench.load.FreePort; }
server_pids=()
trap 'kill "${server_pids[@]}" 2>/dev/null || true' EXIT

# start_server NAME STORE: starts `mlplatform serve` as users do (the launcher and its JVM flags) and
# waits for /health/ready; sets port, pid, ready_ms (launch to the first 200) and cpu_ms (the CPU time the
# process had used by then: on a busy machine the wall time mostly measures the wait for a core).
start_server() {
  port=$(free_port)
  local begin now
  begin=$(date +%s%N)
  MLPLATFORM_API_KEYS="bench:admin:$secret" MLPLATFORM_NO_BUILD=1 \
    "$MLPLATFORM" serve --store "$2" --port "$port" > "$out/access-$1.log" 2> "$out/serve-$1.log" &
  pid=$!
  server_pids+=("$pid")
  while ! curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "the service ($1) exited; see $out/serve-$1.log"
    now=$(date +%s%N)
    (( (now - begin) / 1000000000 < 600 )) || die "the service ($1) was not ready in 10 minutes; see $out/serve-$1.log"
    sleep 0.01
  done
  now=$(date +%s%N)
  ready_ms=$(( (now - begin) / 1000000 ))
  local stat
  # The launcher execs the JVM: same process. Fields 14-17: user and system time, own and waited-for children.
  read -r -a stat < "/proc/$pid/stat"
  cpu_ms=$(( (stat[13] + stat[14] + stat[15] + stat[16]) * 1000 / $(getconf CLK_TCK) ))
}

stop_server() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# --- startup ----------------------------------------------------------------------------------------
: > "$out/startup.txt"
: > "$out/startup-cpu.txt"
for i in $(seq 1 "$starts"); do
  start_server "startup-$i" "$out/store-sample"
  say "start $i of $starts: ready in $ready_ms ms, $cpu_ms ms of CPU"
  echo "$ready_ms" >> "$out/startup.txt"
  echo "$cpu_ms" >> "$out/startup-cpu.txt"
  stop_server "$pid"
done

# --- many versions ----------------------------------------------------------------------------------
instance='{"channel":"web","region":"north","product":"p5","age":35.5,"income":42000.0,"tenure":12.0,"visits":7,"spend":120.5,"score":0.3}'
printf '{"instances":[%s]}' "$instance" > "$out/one.json"
# models_json NAME PORT: what the server says it holds (each version's state: serving, loaded, available...)
models_json() {
  curl -sf -H "Authorization: Bearer $secret" "http://127.0.0.1:$2/v1/models/bench-gbt" > "$out/models-$1.json" \
    || say "GET /v1/models/bench-gbt failed on the $1 server"
}
start_server one "$out/store-one"
port_one=$port pid_one=$pid
echo "$ready_ms" > "$out/ready-one.txt"
models_json one "$port_one"
say "one version: ready in $ready_ms ms"
start_server many "$out/store-many"
port_many=$port pid_many=$pid
echo "$ready_ms" > "$out/ready-many.txt"
models_json many "$port_many"
say "$versions versions: ready in $ready_ms ms"

wrk_run() { # name port seconds
  WRK_BODY_FILE="$out/one.json" WRK_AUTH="Bearer $secret" WRK_OUT="$out/$1.json" \
    wrk -t2 -c16 -d"$3"s -s "$ROOT/scripts/lib/wrk-json.lua" "http://127.0.0.1:$2/v1/models/bench-gbt:predict" \
    > "$out/$1.txt" 2>&1 || say "wrk $1 failed: $(tail -n 3 "$out/$1.txt")"
}
heap_after_gc() { # pid file
  jcmd "$1" GC.run > /dev/null 2>&1 && jcmd "$1" GC.heap_info > "$2" 2>&1 || say "jcmd on $1 failed"
}
if command -v wrk >/dev/null 2>&1; then
  say "warming up both servers (wrk, 5 s each)"
  wrk_run warm-one "$port_one" 5
  wrk_run warm-many "$port_many" 5
  rm -f "$out"/warm-*.json
  for r in $(seq 1 "$rounds"); do
    # The order alternates, so that neither server always runs first in a round.
    if (( r % 2 == 1 )); then order=(one many); else order=(many one); fi
    for which in "${order[@]}"; do
      p=$port_one; [[ $which == many ]] && p=$port_many
      say "round $r of $rounds: wrk, 16 connections, ${duration}s, $which"
      wrk_run "wrk-$which-$r" "$p" "$duration"
    done
  done
fi
if command -v jcmd >/dev/null 2>&1; then
  say "heap in use after a full collection"
  heap_after_gc "$pid_one" "$out/heap-one.txt"
  heap_after_gc "$pid_many" "$out/heap-many.txt"
fi
stop_server "$pid_one"
stop_server "$pid_many"
trap - EXIT

bench_java io.mlplatform.bench.report.CapacityReport "$out" "$versions" "$rounds"
mkdir -p "$ROOT/bench-results"
cp "$out/capacity.md" "$ROOT/bench-results/capacity-latest.md"
cat "$out/capacity.md"
say "results: $out/capacity.json, $out/capacity.md"
