#!/usr/bin/env bash
# Stages the distribution's tree (the tarball's content) from the built modules; run by Maven (distribution/pom.xml,
# prepare-package). Every jar of the two roles' classpaths is copied once into lib/jars, and each role gets a list
# of file names (lib/classpath/*.txt) in its classpath's order, so the launcher needs no Maven repository.
set -euo pipefail

if [[ "${1:-}" == "--help" || $# -ne 5 ]]; then
  echo "Usage: stage.sh ROOT STAGE VERSION JAVA17_OPENS KUBERNETES_CLASSPATH_FILE" >&2
  echo "Stages the distribution's tree under STAGE from the modules built in the checkout ROOT." >&2
  [[ "${1:-}" == "--help" ]] && exit 0 || exit 2
fi
root="$(cd "$1" && pwd)"
stage="$2"
version="$3"
opens="$4"
kubernetes_classpath="$5"

die() {
  echo "stage.sh: $*" >&2
  exit 2
}

say() {
  echo "==> $*" >&2
}

cli_jar="$root/cli/target/cli-$version.jar"
app_jar="$root/training-jobs/target/training-jobs-$version-app.jar"
for built in "$cli_jar" "$app_jar" "$root/cli/target/classpath.txt" "$root/training-jobs/target/classpath.txt" \
    "$kubernetes_classpath"; do
  [[ -f "$built" ]] || die "$built is missing: build with 'mvn -B -DskipTests package' from $root"
done

rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/lib/jars" "$stage/lib/classpath" "$stage/lib/sh"

# Copies a jar into lib/jars (once) and prints its file name. Two different jars with one file name would
# silently replace each other on a classpath, so that stops the build.
add_jar() {
  local jar="$1" name
  name="$(basename "$jar")"
  if [[ -f "$stage/lib/jars/$name" ]]; then
    cmp -s "$jar" "$stage/lib/jars/$name" || die "two different jars are named $name (one is $jar)"
  else
    cp "$jar" "$stage/lib/jars/$name"
  fi
  echo "$name"
}

# The entries of a ':'-separated classpath file, one per line (the last one without a newline, which mapfile takes).
entries() {
  tr ':' '\n' < "$1" | sed '/^$/d'
}

# The Maven repository's directory of an artifact (GROUP/ARTIFACT, without the version), from a jar's path.
artifact_dir() {
  dirname "$(dirname "$1")"
}

say "lib/classpath/cli.txt: the cli module's jar, then its runtime classpath"
mapfile -t cli_jars < <(entries "$root/cli/target/classpath.txt")
{
  for jar in "$cli_jar" "${cli_jars[@]}"; do add_jar "$jar"; done
} > "$stage/lib/classpath/cli.txt"

say "lib/classpath/spark.txt: Spark and the job's runtime, then Spark's Kubernetes cluster manager"
mapfile -t spark_jars < <(entries "$root/training-jobs/target/classpath.txt")
declare -A spark_artifacts=()
for jar in "${spark_jars[@]}"; do
  spark_artifacts["$(artifact_dir "$jar")"]="$jar"
done
mapfile -t all_kubernetes_jars < <(entries "$kubernetes_classpath")
kubernetes_jars=()
for jar in "${all_kubernetes_jars[@]}"; do
  known="${spark_artifacts["$(artifact_dir "$jar")"]:-}"
  if [[ -z "$known" ]]; then
    kubernetes_jars+=("$jar")
  elif [[ "$known" != "$jar" ]]; then
    # One artifact at two versions on one classpath: the first one wins at run time, and that is a bug to pin away.
    die "spark-kubernetes needs $jar but the Spark classpath has $known: pin one version in the root pom"
  fi
done
{
  for jar in "${spark_jars[@]}" "${kubernetes_jars[@]}"; do add_jar "$jar"; done
} > "$stage/lib/classpath/spark.txt"
grep -q '^spark-kubernetes_' "$stage/lib/classpath/spark.txt" || die "spark-kubernetes is not on the Spark classpath"

cp "$app_jar" "$stage/lib/training-jobs-app.jar"

commit="$(git -C "$root" rev-parse HEAD 2>/dev/null || true)"
cat > "$stage/lib/build.properties" <<PROPERTIES
# Written by the build (distribution/src/build/stage.sh); bin/mlplatform reads it.
version=$version
# The commit this was built from; training records it in each version's lineage (empty: not built from git).
commit=$commit
# JVM flags Spark needs on Java 17 (the root pom's spark.java17.opens).
java17.opens=$opens
PROPERTIES

say "bin/, conf/, data/, lib/sh/, README"
cp "$root/bin/mlplatform" "$stage/bin/"
cp -r "$root/conf" "$stage/conf"
cp -r "$root/data" "$stage/data"
cp "$root"/scripts/lib/*.sh "$stage/lib/sh/"
cp "$root/distribution/src/README" "$stage/README"

say "staged $(wc -l < "$stage/lib/classpath/cli.txt") + $(wc -l < "$stage/lib/classpath/spark.txt") classpath entries," \
  "$(find "$stage/lib/jars" -name '*.jar' | wc -l) jars, $(du -sh "$stage" | cut -f1) in $stage"
