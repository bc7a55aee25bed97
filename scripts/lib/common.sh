# Sourced by bin/mlplatform (and the shell commands it runs): project paths, the on-demand build, the
# classpaths and how to launch the JVMs. The one place that finds them, in both kinds of installation:
# - a source checkout: jars and classpaths (*/target/classpath.txt, into the local Maven repository) come
#   from the build, which runs on first use and when a source changed;
# - a distribution (mlplatform-VERSION.tar.gz, docs/install.md): this file is lib/sh/common.sh, every jar
#   is in lib/jars, each role's classpath is a list of their names in lib/classpath/, and nothing is built.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ -f "$ROOT/lib/build.properties" ]]; then
  DISTRIBUTION=1
  SH_LIB="$ROOT/lib/sh"
else
  DISTRIBUTION=0
  SH_LIB="$ROOT/scripts/lib"
fi
TRAINING_TARGET="$ROOT/training-jobs/target"
SERVING_TARGET="$ROOT/serving/target"
REGISTRY_TARGET="$ROOT/registry-cli/target"
CLI_TARGET="$ROOT/cli/target"
MLPLATFORM="$ROOT/bin/mlplatform"

# JVM flags of the serving role (mlplatform serve) when MLPLATFORM_SERVING_JAVA_OPTS is unset; a set
# MLPLATFORM_SERVING_JAVA_OPTS replaces them (a container sets its memory flags there). Chosen by
# measurement (docs/scaling.md, "JVM flags"): G1 named explicitly (with one CPU Java would pick Serial),
# a fixed, pre-touched 1 GiB heap had the fewest pauses and the lowest median latency.
SERVING_JAVA_OPTS_DEFAULT="-XX:+UseG1GC -Xms1g -Xmx1g -XX:+AlwaysPreTouch"

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
  if [[ $DISTRIBUTION == 1 ]]; then
    echo "$ROOT/lib/training-jobs-app.jar"
  else
    ls "$TRAINING_TARGET"/training-jobs-*-app.jar 2>/dev/null | head -n 1 || true
  fi
}

# A value of the distribution's lib/build.properties (written by the build).
build_property() {
  sed -n "s/^$1=//p" "$ROOT/lib/build.properties"
}

# A role's classpath in a distribution: lib/classpath/ROLE.txt names jars in lib/jars, one per line.
distribution_classpath() {
  local list="$ROOT/lib/classpath/$1.txt"
  [[ -f "$list" ]] || die "$list is missing: this installation is incomplete; unpack the distribution again"
  sed "s#^#$ROOT/lib/jars/#" "$list" | paste -s -d ':'
}

# The commit the jars were built from, which training records in a version's lineage.
build_commit() {
  if [[ $DISTRIBUTION == 1 ]]; then
    build_property commit
  else
    git -C "$ROOT" rev-parse HEAD 2>/dev/null || true
  fi
}

# Builds the modules (tests skipped) when a jar is missing or a source or pom is newer than it, so
# a fresh clone needs no separate build step. MLPLATFORM_NO_BUILD=1 turns this off (tests set it).
ensure_built() {
  require_tools
  if [[ $DISTRIBUTION == 1 ]]; then
    # A distribution is built already, and has no sources to build from. (The serving image holds only
    # the serving JVM's part of it: run_spark checks for the job jar where Spark needs it.)
    return 0
  fi
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

# JVM flags Spark needs on Java 17, written by the build from the root pom's one list (spark.java17.opens).
java17_opens() {
  if [[ $DISTRIBUTION == 1 ]]; then
    build_property 'java17\.opens'
  else
    sed -n 's/^java17\.opens=//p' "$TRAINING_TARGET/classes/mlplatform-training.properties"
  fi
}

# Spark's classpath with the job's runtime (what SparkSubmit and a standalone cluster run with), ':'-separated.
spark_classpath() {
  if [[ $DISTRIBUTION == 1 ]]; then
    distribution_classpath spark
  else
    cat "$TRAINING_TARGET/classpath.txt"
  fi
}

# Spark's own spark-submit, as the array SPARK_SUBMIT: a distribution's when SPARK_HOME has one, else
# SparkSubmit from the project's resolved Spark classpath (no Spark distribution needed), with the flags
# Java 17 needs. MLPLATFORM_JAVA_OPTS adds JVM flags to the driver either way.
spark_submit_command() {
  if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
    SPARK_SUBMIT=("$SPARK_HOME/bin/spark-submit" --driver-java-options
      "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties${MLPLATFORM_JAVA_OPTS:+ $MLPLATFORM_JAVA_OPTS}")
  else
    # shellcheck disable=SC2206,SC2207
    SPARK_SUBMIT=(java $(java17_opens) ${MLPLATFORM_JAVA_OPTS:-} "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties"
      -cp "$(spark_classpath)" org.apache.spark.deploy.SparkSubmit)
  fi
}

spark_submit() {
  spark_submit_command
  "${SPARK_SUBMIT[@]}" "$@"
}

# The mlplatform command's JVM for the command COMMAND (the first argument), as the array CLI_JAVA (JVM flags
# may follow; then io.mlplatform.cli.Mlplatform): registry, retrain, scheduler and serve run in it; it checks
# the others' command lines. The serving role gets MLPLATFORM_SERVING_JAVA_OPTS (default
# SERVING_JAVA_OPTS_DEFAULT); MLPLATFORM_JAVA_OPTS adds JVM flags to every role (heap size, a JFR recording...).
cli_java_command() {
  local classpath role_opts=""
  if [[ $DISTRIBUTION == 1 ]]; then
    classpath="$(distribution_classpath cli)"
  else
    classpath="$(module_jar "$CLI_TARGET"):$(cat "$CLI_TARGET/classpath.txt")"
  fi
  [[ "${1:-}" == "serve" ]] && role_opts="${MLPLATFORM_SERVING_JAVA_OPTS-$SERVING_JAVA_OPTS_DEFAULT}"
  # shellcheck disable=SC2206
  CLI_JAVA=(java $role_opts ${MLPLATFORM_JAVA_OPTS:-} "-Dmlplatform.root=$ROOT" -cp "$classpath")
}

BENCH_TARGET="$ROOT/benchmarks/target"

# The benchmarks module (and what it depends on), built when missing or older than its sources.
ensure_bench_built() {
  [[ $DISTRIBUTION == 1 ]] && die "bench runs from a source checkout (the benchmarks are not part of a distribution)"
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
  # shellcheck disable=SC2046,SC2086
  java $(java17_opens) ${MLPLATFORM_JAVA_OPTS:-} -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    -cp "$(module_jar "$BENCH_TARGET"):$(cat "$BENCH_TARGET/classpath.txt")" "$@"
}
