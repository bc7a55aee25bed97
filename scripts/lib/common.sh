# Sourced by scripts/*: project paths, the on-demand build, and how to launch the JVMs.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TRAINING_TARGET="$ROOT/training-jobs/target"
SERVING_TARGET="$ROOT/serving/target"
DEFAULT_STORE="${MODEL_STORE:-./model-store}"

die() {
  echo "$(basename "$0"): $*" >&2
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

# Builds the training and serving modules (tests skipped) when a jar is missing or a source or
# pom is newer than it, so a fresh clone needs no separate build step.
ensure_built() {
  require_tools
  local training serving stale=""
  training=$(module_jar "$TRAINING_TARGET")
  serving=$(module_jar "$SERVING_TARGET")
  if [[ -z "$training" || -z "$serving" || ! -f "$TRAINING_TARGET/classpath.txt" || ! -f "$SERVING_TARGET/classpath.txt" ]]; then
    stale="missing"
  elif [[ -n "$(find "$ROOT/pom.xml" "$ROOT/store-format" "$ROOT/training-jobs/pom.xml" "$ROOT/training-jobs/src" \
      -newer "$training" -type f -print -quit)" || -n "$(find "$ROOT/serving/pom.xml" "$ROOT/serving/src" \
      -newer "$serving" -type f -print -quit)" ]]; then
    stale="changed"
  fi
  if [[ -n "$stale" ]]; then
    command -v mvn >/dev/null 2>&1 || die "mvn not found: install Apache Maven 3.8+ (apt-get install maven)"
    say "building the project (the first build downloads dependencies and takes a few minutes)"
    (cd "$ROOT" && mvn -B -q -ntp -DskipTests -pl training-jobs,serving -am package) \
      || die "the build failed; run 'mvn -B -DskipTests package' in $ROOT to see why"
  fi
}

# JVM flags Spark needs on Java 17, written by the build from the pom's one list.
java17_opens() {
  sed -n 's/^java17\.opens=//p' "$TRAINING_TARGET/classes/mlplatform-training.properties"
}

# Spark's own spark-submit: a distribution's when SPARK_HOME has one, else SparkSubmit from the
# project's resolved Spark classpath (no distribution needed).
spark_submit() {
  if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
    "$SPARK_HOME/bin/spark-submit" --jars "$(cat "$TRAINING_TARGET/runtime-jars.txt")" \
      --driver-java-options "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties" "$@"
  else
    # shellcheck disable=SC2046
    java $(java17_opens) -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
      -cp "$(cat "$TRAINING_TARGET/classpath.txt")" org.apache.spark.deploy.SparkSubmit "$@"
  fi
}

serving_java() {
  java -cp "$(module_jar "$SERVING_TARGET"):$(cat "$SERVING_TARGET/classpath.txt")" "$@"
}
