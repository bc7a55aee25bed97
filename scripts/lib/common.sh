# Sourced by bin/mlplatform (and the shell commands it runs): project paths, the on-demand build, the
# classpaths (from */target/classpath.txt) and how to launch the JVMs. The one place that finds them.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TRAINING_TARGET="$ROOT/training-jobs/target"
SERVING_TARGET="$ROOT/serving/target"
REGISTRY_TARGET="$ROOT/registry-cli/target"
CLI_TARGET="$ROOT/cli/target"
MLPLATFORM="$ROOT/bin/mlplatform"

die() {
  echo "mlplatform: $*" >&2
  exit 2
}

say() {
  echo "==> $*" >&2
}

require_tools() {
  command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17 (e.g. apt-get install openjdk-17-jdk-headless)"
  local version
  version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ "${version%%.*}" -ge 17 ]] || die "Java 17 or newer is needed, found Java $version"
}

# The newest jar of a module, or nothing.
module_jar() {
  ls -t "$1"/*-SNAPSHOT.jar "$1"/*[0-9].jar 2>/dev/null | grep -v -- '-sources' | head -n 1 || true
}

# The application jar spark-submit is given: the job with MLeap and its other dependencies, no Spark.
job_jar() {
  ls "$TRAINING_TARGET"/training-jobs-*-app.jar 2>/dev/null | head -n 1 || true
}

# Builds the modules (tests skipped) when a jar is missing or a source or pom is newer than it, so
# a fresh clone needs no separate build step. MLPLATFORM_NO_BUILD=1 turns this off (tests set it).
ensure_built() {
  require_tools
  local training serving registry cli stale=""
  training=$(job_jar)
  serving=$(module_jar "$SERVING_TARGET")
  registry=$(module_jar "$REGISTRY_TARGET")
  cli=$(module_jar "$CLI_TARGET")
  if [[ -z "$training" || -z "$serving" || -z "$registry" || -z "$cli" || ! -f "$TRAINING_TARGET/classpath.txt" \
      || ! -f "$SERVING_TARGET/classpath.txt" || ! -f "$REGISTRY_TARGET/classpath.txt" \
      || ! -f "$CLI_TARGET/classpath.txt" ]]; then
    stale="missing"
  elif [[ -n "$(find "$ROOT/pom.xml" "$ROOT/store-format" "$ROOT/export-verifier" "$ROOT/training-jobs/pom.xml" \
      "$ROOT/training-jobs/src" -newer "$training" -type f -not -path '*/target/*' -print -quit)" || -n "$(find "$ROOT/serving/pom.xml" \
      "$ROOT/serving/src" -newer "$serving" -type f -print -quit)" || -n "$(find "$ROOT/store-format/src" \
      "$ROOT/registry-cli/pom.xml" "$ROOT/registry-cli/src" -newer "$registry" -type f -print -quit)" \
      || -n "$(find "$ROOT/cli/pom.xml" "$ROOT/cli/src" -newer "$cli" -type f -print -quit)" ]]; then
    stale="changed"
  fi
  if [[ -n "$stale" && "${MLPLATFORM_NO_BUILD:-}" == "1" ]]; then
    [[ "$stale" == "missing" ]] && die "the project is not built and MLPLATFORM_NO_BUILD=1: run 'mvn -B -DskipTests package'"
    return 0
  fi
  if [[ -n "$stale" ]]; then
    command -v mvn >/dev/null 2>&1 || die "mvn not found: install Apache Maven 3.8+ (apt-get install maven)"
    say "building the project (the first build downloads dependencies and takes a few minutes)"
    (cd "$ROOT" && mvn -B -q -ntp -DskipTests -pl training-jobs,serving,registry-cli,cli -am package) \
      || die "the build failed; run 'mvn -B -DskipTests package' in $ROOT to see why"
  fi
}

# JVM flags Spark needs on Java 17, written by the build from the pom's one list.
java17_opens() {
  sed -n 's/^java17\.opens=//p' "$TRAINING_TARGET/classes/mlplatform-training.properties"
}

# Spark's own spark-submit, as the array SPARK_SUBMIT: a distribution's when SPARK_HOME has one, else
# SparkSubmit from the project's resolved Spark classpath (no distribution needed), with the flags Java 17 needs.
spark_submit_command() {
  if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
    SPARK_SUBMIT=("$SPARK_HOME/bin/spark-submit" --driver-java-options
      "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties")
  else
    # shellcheck disable=SC2207
    SPARK_SUBMIT=(java $(java17_opens) "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties"
      -cp "$(cat "$TRAINING_TARGET/classpath.txt")" org.apache.spark.deploy.SparkSubmit)
  fi
}

spark_submit() {
  spark_submit_command
  "${SPARK_SUBMIT[@]}" "$@"
}

# The mlplatform command's JVM, as the array CLI_JAVA (JVM flags may follow; then io.mlplatform.cli.Mlplatform):
# registry, retrain, scheduler and serve run in it; it checks the others' command lines.
# MLPLATFORM_JAVA_OPTS adds JVM flags (heap size, a JFR recording...).
cli_java_command() {
  # shellcheck disable=SC2206
  CLI_JAVA=(java ${MLPLATFORM_JAVA_OPTS:-} "-Dmlplatform.root=$ROOT"
    -cp "$(module_jar "$CLI_TARGET"):$(cat "$CLI_TARGET/classpath.txt")")
}

BENCH_TARGET="$ROOT/benchmarks/target"

# The benchmarks module (and what it depends on), built when missing or older than its sources.
ensure_bench_built() {
  ensure_built
  local jar
  jar=$(module_jar "$BENCH_TARGET")
  if [[ -z "$jar" || ! -f "$BENCH_TARGET/classpath.txt" || -n "$(find "$ROOT/benchmarks/pom.xml" \
      "$ROOT/benchmarks/src/main" -newer "$jar" -type f -print -quit)" ]]; then
    [[ "${MLPLATFORM_NO_BUILD:-}" == "1" && -n "$jar" ]] && return 0
    [[ "${MLPLATFORM_NO_BUILD:-}" == "1" ]] && die "the benchmarks are not built and MLPLATFORM_NO_BUILD=1"
    say "building the benchmarks module"
    (cd "$ROOT" && mvn -B -q -ntp -DskipTests -pl benchmarks -am package) \
      || die "the build failed; run 'mvn -B -DskipTests -pl benchmarks -am package' in $ROOT to see why"
  fi
}

# A benchmark program on the benchmarks classpath (Spark included), with the Java 17 flags Spark needs.
bench_java() {
  # shellcheck disable=SC2046
  java $(java17_opens) -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    -cp "$(module_jar "$BENCH_TARGET"):$(cat "$BENCH_TARGET/classpath.txt")" "$@"
}
