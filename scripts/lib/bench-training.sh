# shellcheck shell=bash
# mlplatform bench training: the platform's job against a hand-written plain Spark MLlib program, same run.
# Sourced by bin/mlplatform with the options the Java command tree already checked and defaulted
# (cli/, BenchCommand.Training).
# The Spark options come in mlplatform's spelling (what mlplatform train takes); the plain program gets
# them in spark-submit's.
sizes="" out="" train_spark_args=() spark_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) sizes="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --spark-conf) train_spark_args+=("$1" "$2"); spark_args+=(--conf "$2"); shift 2 ;;
    --master | --driver-memory | --executor-memory) train_spark_args+=("$1" "$2"); spark_args+=("$1" "$2"); shift 2 ;;
    *) die "bench training: unexpected argument $1 (a bug: cli and scripts/lib/bench-training.sh disagree)" ;;
  esac
done
out="${out:-$ROOT/bench-results/training-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cat /proc/loadavg > "$out/loadavg-start.txt" 2>/dev/null || true
ensure_bench_built
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

# Every measured run is a retrain: a first version, trained on a small data set and not measured, is
# production when the measured runs start, so the promotion gate scores production on each run's held-out
# rows at every size (on an empty store the first run would have nothing to compare, and its publish phase
# would not be the same work as the next one's).
seed_rows=10000
say "seeding the store with a first version ($seed_rows rows, not measured)"
bench_java io.mlplatform.bench.training.SyntheticData "$seed_rows" "$out/data-seed.csv" 7
sed "s#DATA_PATH#$out/data-seed.csv#" "$ROOT/benchmarks/conf/bench-gbt.yaml" > "$out/bench-gbt-seed.yaml"
"$MLPLATFORM" train "$out/bench-gbt-seed.yaml" --store "$out/store" "${train_spark_args[@]}" > "$out/platform-seed.log" 2>&1 \
  || die "the seeding run failed; see $out/platform-seed.log"
rm -f "$out/data-seed.csv"

IFS=, read -r -a rows_list <<< "$sizes"
for rows in "${rows_list[@]}"; do
  say "$rows rows: generating the data set"
  bench_java io.mlplatform.bench.training.SyntheticData "$rows" "$out/data-$rows.csv" 42
  sed "s#DATA_PATH#$out/data-$rows.csv#" "$ROOT/benchmarks/conf/bench-gbt.yaml" > "$out/bench-gbt-$rows.yaml"
  say "$rows rows: platform job (mlplatform train)"
  rm -f "$out/platform-$rows.jsonl"
  "$MLPLATFORM" train "$out/bench-gbt-$rows.yaml" --store "$out/store" --timings "$out/platform-$rows.jsonl" \
    "${train_spark_args[@]}" > "$out/platform-$rows.log" 2>&1 || die "the platform job failed; see $out/platform-$rows.log"
  say "$rows rows: plain Spark MLlib program"
  spark_submit "${spark_args[@]}" --conf spark.ui.enabled=false --driver-class-path "$(module_jar "$BENCH_TARGET")" \
    --class io.mlplatform.bench.training.PlainSparkTraining "$(module_jar "$BENCH_TARGET")" \
    "$out/data-$rows.csv" "$out/plain-$rows.json" > "$out/plain-$rows.log" 2>&1 \
    || die "the plain Spark program failed; see $out/plain-$rows.log"
  rm -f "$out/data-$rows.csv"
done

bench_java io.mlplatform.bench.report.TrainingReport "$out" "$sizes"
mkdir -p "$ROOT/bench-results"
cp "$out/training.md" "$ROOT/bench-results/training-latest.md"
cat "$out/training.md"
say "results: $out/training.json, $out/training.md"
