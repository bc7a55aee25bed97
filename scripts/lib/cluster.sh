# shellcheck shell=bash
# mlplatform cluster start|stop|status: a real Spark standalone cluster (1 master, N workers) on 127.0.0.1,
# from the project's classpath. Sourced by bin/mlplatform with options the Java command tree already
# checked and defaulted (cli/, ClusterCommand): --help and the option rules live there.
command="$1"
shift
workers=2
port=7077
dir="$ROOT/.run/local-cluster"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --workers) workers="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) die "cluster: unexpected argument $1 (a bug: cli and scripts/lib/cluster.sh disagree)" ;;
  esac
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

# A PID file names the process and the class it must be running, so a reused PID is never killed.
running() {
  local pidfile="$1" pid class
  [[ -f "$pidfile" ]] || return 1
  read -r pid class < "$pidfile"
  [[ -n "$pid" ]] && ps -p "$pid" -o args= 2>/dev/null | grep -q -- "$class"
}

# Expanded once, before any fork: the background child then execs java at once.
opens="$(java17_opens)"
classpath="$(spark_classpath)"

launch() { # name class args...
  local name="$1" class="$2"
  shift 2
  # shellcheck disable=SC2086
  SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 \
    nohup java $opens -Xmx512m ${MLPLATFORM_JAVA_OPTS:-} -cp "$classpath" "$class" "$@" > "$dir/logs/$name.log" 2>&1 < /dev/null &
  echo "$! $class" > "$dir/pids/$name.pid"
}

wait_for() { # name pattern seconds what
  local i pid log="$dir/logs/$1.log"
  read -r pid _ < "$dir/pids/$1.pid"
  for ((i = 0; i < $3 * 2; i++)); do
    grep -q -- "$2" "$log" 2>/dev/null && return 0
    # Whether the process still exists, not running()'s class check: until the child has exec'd java its
    # command line is still this script's (seconds after the start a PID cannot have been reused).
    kill -0 "$pid" 2>/dev/null || die "$4 exited during start-up; see $log"
    sleep 0.5
  done
  die "$4 did not start within $3 s; see $log"
}

stop_all() {
  local pidfile pid class i
  for pidfile in "$dir"/pids/*.pid; do
    [[ -f "$pidfile" ]] || continue
    if running "$pidfile"; then
      read -r pid class < "$pidfile"
      kill "$pid" 2>/dev/null || true
      for ((i = 0; i < 20; i++)); do running "$pidfile" || break; sleep 0.5; done
      running "$pidfile" && kill -9 "$pid" 2>/dev/null || true
      echo "stopped $(basename "$pidfile" .pid) (pid $pid)"
    fi
    rm -f "$pidfile"
  done
}

case "$command" in
  start)
    ensure_built
    for pidfile in "$dir"/pids/*.pid; do
      running "$pidfile" && die "already running (see mlplatform cluster status --dir $dir); stop it first"
    done
    rm -rf "$dir/logs" "$dir/pids" "$dir/spark-home"
    mkdir -p "$dir/logs" "$dir/pids" "$dir/spark-home/jars"
    tr ':' '\n' <<< "$classpath" | while read -r jar; do
      ln -sf "$jar" "$dir/spark-home/jars/$(basename "$jar")"
    done
    launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0
    wait_for master "I have been elected leader" 60 "the master"
    for ((w = 1; w <= workers; w++)); do
      mkdir -p "$dir/work/worker-$w"
      launch "worker-$w" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" --host 127.0.0.1 \
        --cores 1 --memory 1g --webui-port 0 --work-dir "$dir/work/worker-$w"
    done
    for ((w = 1; w <= workers; w++)); do
      wait_for "worker-$w" "Successfully registered with master" 60 "worker $w"
    done
    echo "spark://127.0.0.1:$port (1 master, $workers worker(s); logs in $dir/logs)"
    ;;
  stop)
    stop_all
    ;;
  status)
    all=0
    found=0
    for pidfile in "$dir"/pids/*.pid; do
      [[ -f "$pidfile" ]] || continue
      found=1
      if running "$pidfile"; then
        echo "$(basename "$pidfile" .pid): running (pid $(cut -d' ' -f1 < "$pidfile"))"
      else
        echo "$(basename "$pidfile" .pid): not running"
        all=3
      fi
    done
    [[ $found -eq 1 ]] || { echo "not started (no PID files in $dir/pids)"; exit 3; }
    exit $all
    ;;
  *)
    die "cluster: unknown command $command (a bug: cli and scripts/lib/cluster.sh disagree)"
    ;;
esac
