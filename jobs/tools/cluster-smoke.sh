#!/usr/bin/env bash
# The cluster path, run for real on this machine: the cluster jar under spark-submit on a Spark
# standalone cluster (a master, a worker and two executor JVMs, all separate processes bound to
# 127.0.0.1), against the embedded jar on the same generated data.
#
#   jobs/tools/cluster-smoke.sh [--quotes N] [--no-build] [--keep] [--help]
#
# What it does, in order:
#  1. builds the local jar (mvn -B -DskipTests package) and the cluster jar exactly as the README's
#     cluster recipe says (mvn -B -Pcluster -DskipTests clean package); --no-build uses them as built
#     (built from different commits, they differ in the manifests' code_version.git_commit);
#  2. assembles a SPARK_HOME from Maven artifacts: jars/ = spark-sql and spark-mllib at the
#     pom's Spark version with their own dependencies (as a Spark distribution ships them, not as
#     this build resolves them), an empty RELEASE file and conf/log4j2.properties;
#  3. starts org.apache.spark.deploy.master.Master and org.apache.spark.deploy.worker.Worker
#     (2 cores) as processes of their own, on 127.0.0.1 with ports chosen by the system;
#  4. generates a small quote log (the jar's `generate`, --quotes N, default 30000) and a config
#     file (nightly.persistence_runs = 2, so the second night can confirm a penalty);
#  5. runs `audit` and `nightly` for two dates embedded (java -jar target/loyalty-penalty-detector.jar),
#     then the same through spark-submit in client mode with the README's recipe (the Delta
#     package, --jars target/cluster/lib/*.jar, --files for the config) on two executors of
#     one core each, from the work directory with relative paths;
#  6. checks the exit codes: audit 0; night 1 with --fail-on-new-penalties --alert-on flagged 3;
#     night 2 with --fail-on-new-penalties 3 (a penalty flagged on both nights); an audit of a
#     log without its price column 2, with the one-line error;
#  7. compares the two sides with jobs/tools/CompareRuns.java: findings, quarantine, counts,
#     report data, evidence annex and the nightly history tables (run ids, timings, paths and the
#     runtime excepted);
#  8. stops every process it started (also on failure or Ctrl-C), checks that none of them
#     listened on anything but 127.0.0.1 and that nothing was left in the checkout, removes its
#     work directory (kept with --keep) and prints one line: "cluster-smoke: PASS ..." or
#     "cluster-smoke: FAIL ...". Exit code 0 on PASS, 1 on FAIL, 2 on bad arguments.
#
# Needs JDK 17, Maven and the Maven repository the build uses (resolving Spark's own dependency
# versions the first time, e.g. icu4j, needs the package registry). Runs take both cores: on a
# shared machine run it under the Spark lock (flock /tmp/lpd-spark.lock jobs/tools/cluster-smoke.sh).
# Environment: LPD_MVN_FLAGS (e.g. -o), CLUSTER_SMOKE_DIR (parent of the work directory, default
# target/), JAVA_HOME.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# not -e: a failed step is recorded and the rest still runs, so one run reports every failure
set +e -uo pipefail

usage() { sed -n '2,/^source /p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

QUOTES=30000
BUILD=1
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quotes) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { echo "error: --quotes needs a number (see --help)" >&2; exit 2; }
      QUOTES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

JAVA="$(find_java)"
[[ "$("$JAVA" -version 2>&1)" == *'version "17'* ]] \
  || { echo "error: $JAVA is not Java 17: set JAVA_HOME to a JDK 17" >&2; exit 2; }
JAVA_BIN="$(dirname "$JAVA")"
export JAVA_HOME="$(dirname "$JAVA_BIN")"
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_SCALA_VERSION=2.13
MVN=(mvn -B -q ${LPD_MVN_FLAGS:-})
CLUSTER_JAR="$ROOT/target/cluster/loyalty-penalty-detector.jar"
ADD_OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
    java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
    sun.security.action sun.util.calendar; do
  ADD_OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done

PARENT="${CLUSTER_SMOKE_DIR:-$ROOT/target}"
mkdir -p "$PARENT"
WORK="$(mktemp -d "$PARENT/cluster-smoke.XXXXXX")"
LOGS="$WORK/logs"
mkdir -p "$LOGS" "$WORK/tmp"
PIDS=()
FAILURES=()
FAILED_LOGS=()
START_S=$SECONDS
GIT_BEFORE="$(git -C "$ROOT" status --porcelain --untracked-files=all 2>/dev/null || true)"

say() { printf '[cluster-smoke %4ds] %s\n' $((SECONDS - START_S)) "$*" >&2; }
fail() { FAILURES+=("$*"); say "FAIL: $*"; }

# The processes a process spawned, their children first (from /proc: no procps needed).
descendants() {
  local c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    descendants "$c"
    echo "$c"
  done
}

# Stops every process this script started, by id: the master, the worker and its executors,
# and a driver still running when the script is interrupted.
stop_all() {
  # the master and worker by the ids recorded at start too (the worker stops its executors)
  local all=($(descendants $$) ${PIDS[@]+"${PIDS[@]}"})
  [[ ${#all[@]} -gt 0 ]] || return 0
  kill "${all[@]}" 2>/dev/null
  for _ in $(seq 1 30); do
    kill -0 "${all[@]}" 2>/dev/null || break
    sleep 0.5
  done
  for pid in "${all[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      say "process $pid did not stop on TERM: killing it"
      kill -9 "$pid" 2>/dev/null
    fi
  done
}

finish() {
  local code=$?
  trap - EXIT INT TERM
  stop_all
  if [[ -s "$WORK/non-loopback" ]]; then
    fail "listened on more than 127.0.0.1: $(sort -u "$WORK/non-loopback" | tr '\n' ' ')"
  elif [[ -n "${MASTER_URL:-}" && ! -s "$WORK/listeners" ]]; then
    fail "saw no listening socket of the cluster's processes: the check of their addresses did not run"
  else
    say "$(sort -u "$WORK/listeners" | wc -l) listening sockets of the processes seen, all on 127.0.0.1"
  fi
  local after
  after="$(git -C "$ROOT" status --porcelain --untracked-files=all 2>/dev/null || true)"
  if [[ "$after" != "$GIT_BEFORE" ]]; then
    fail "the checkout changed: $(diff <(echo "$GIT_BEFORE") <(echo "$after") | grep '^>' | tr '\n' ' ')"
  fi
  if [[ ${#FAILURES[@]} -eq 0 && $code -ne 0 ]]; then
    FAILURES+=("the script stopped with exit code $code")
  fi
  local log
  for log in ${FAILED_LOGS[@]+"${FAILED_LOGS[@]}"}; do
    echo "--- the last lines of $log:" >&2
    grep -v '^\s*$' "$LOGS/$log" | tail -n 25 >&2
  done
  if [[ $KEEP -eq 1 ]]; then
    say "work directory kept: $WORK (logs in $LOGS)"
  else
    rm -rf "$WORK"
  fi
  if [[ ${#FAILURES[@]} -eq 0 ]]; then
    echo "cluster-smoke: PASS in $((SECONDS - START_S)) s (audit and 2 nights on a standalone" \
      "cluster with 2 executors identical to the embedded runs; exit codes 0, 2, 3)"
    exit 0
  fi
  echo "cluster-smoke: FAIL (${#FAILURES[@]}): $(printf '%s; ' "${FAILURES[@]}")"
  exit 1
}
trap finish EXIT
trap 'fail "interrupted"; exit 1' INT TERM

# Every listening TCP socket of our processes (master, worker, executors, driver) must be on
# 127.0.0.1: reads /proc, so it needs no tools beyond bash.
check_listeners() {
  local pid ino fd addrs a
  for pid in $(descendants $$); do
    for fd in /proc/"$pid"/fd/*; do
      ino=$(readlink "$fd" 2>/dev/null) || continue
      [[ $ino == socket:* ]] || continue
      ino=${ino#socket:[}; ino=${ino%]}
      # state 0A = LISTEN; 0100007F = 127.0.0.1, ...0000000001000000 = ::1
      addrs=$(awk -v ino="$ino" '$4 == "0A" && $10 == ino {print $2}' /proc/net/tcp /proc/net/tcp6 2>/dev/null)
      for a in $addrs; do
        echo "$pid $a" >> "$WORK/listeners"
        case "${a%%:*}" in
          0100007F|00000000000000000000000001000000|0000000000000000FFFF00000100007F) ;;
          *) echo "pid $pid ($(tr '\0' ' ' < /proc/"$pid"/cmdline | grep -o 'org\.apache\.spark\.[A-Za-z.]*' | head -1)) on $a" >> "$WORK/non-loopback" ;;
        esac
      done
    done
  done
}

# --- 1. build ------------------------------------------------------------------------------
if [[ $BUILD -eq 1 ]]; then
  # both from the checkout as it is now: the manifests record the commit each jar was built from
  say "building the local jar (mvn -DskipTests package) and the cluster jar (mvn -Pcluster -DskipTests clean package)"
  (cd "$ROOT" && "${MVN[@]}" -DskipTests package && "${MVN[@]}" -Pcluster -DskipTests clean package) \
    > "$LOGS/build.log" 2>&1 || { FAILED_LOGS+=(build.log); fail "the build failed"; exit 1; }
fi
[[ -f "$JAR" && -f "$CLUSTER_JAR" && -d "$ROOT/target/cluster/lib" ]] \
  || { fail "no jars: run without --no-build"; exit 1; }

# --- 2. SPARK_HOME from Maven artifacts -----------------------------------------------------
SPARK_VERSION=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$ROOT/pom.xml" | head -1)
DELTA_VERSION=$(sed -n 's:.*<delta.version>\(.*\)</delta.version>.*:\1:p' "$ROOT/pom.xml" | head -1)
export SPARK_HOME="$WORK/spark-home"
mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf" "$WORK/spark-pom"
: > "$SPARK_HOME/RELEASE"
cat > "$WORK/spark-pom/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.cluster-smoke</groupId>
  <artifactId>spark-home</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.spark</groupId>
      <artifactId>spark-sql_2.13</artifactId>
      <version>$SPARK_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.spark</groupId>
      <artifactId>spark-mllib_2.13</artifactId>
      <version>$SPARK_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
say "assembling SPARK_HOME (Spark $SPARK_VERSION) in $SPARK_HOME"
(cd "$WORK/spark-pom" && "${MVN[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/spark.classpath") > "$LOGS/spark-home.log" 2>&1 \
  || { fail "could not resolve Spark $SPARK_VERSION's jars (see $LOGS/spark-home.log)"; exit 1; }
tr ':' '\n' < "$WORK/spark.classpath" | while read -r j; do ln -s "$j" "$SPARK_HOME/jars/"; done
rm -rf "$WORK/spark-pom"
cat > "$SPARK_HOME/conf/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.master.name = org.apache.spark.deploy.master.Master
logger.master.level = info
logger.worker.name = org.apache.spark.deploy.worker.Worker
logger.worker.level = info
logger.executor.name = org.apache.spark.executor.Executor
logger.executor.level = info
EOF
SPARK_CP="$SPARK_HOME/conf:$SPARK_HOME/jars/*"
TMP_OPT="-Djava.io.tmpdir=$WORK/tmp"

# --- 3. master and worker -------------------------------------------------------------------
export SPARK_LOCAL_DIRS="$WORK/local"
export SPARK_WORKER_DIR="$WORK/worker"
mkdir -p "$SPARK_LOCAL_DIRS" "$SPARK_WORKER_DIR"
say "starting a standalone master and a worker (2 cores) on 127.0.0.1"
"$JAVA" -cp "$SPARK_CP" -Xmx512m "$TMP_OPT" "${ADD_OPENS[@]}" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port 0 --webui-port 0 > "$LOGS/master.log" 2>&1 &
PIDS+=($!)
MASTER_URL=""
for _ in $(seq 1 120); do
  MASTER_URL=$(grep -o 'spark://127\.0\.0\.1:[0-9]*' "$LOGS/master.log" | head -1)
  [[ -n $MASTER_URL ]] && break
  kill -0 "${PIDS[0]}" 2>/dev/null || break
  sleep 0.5
done
[[ -n $MASTER_URL ]] || { fail "the master did not start (see $LOGS/master.log)"; exit 1; }
"$JAVA" -cp "$SPARK_CP" -Xmx512m "$TMP_OPT" "${ADD_OPENS[@]}" org.apache.spark.deploy.worker.Worker \
  --host 127.0.0.1 --port 0 --webui-port 0 --cores 2 --memory 3g --work-dir "$SPARK_WORKER_DIR" \
  "$MASTER_URL" > "$LOGS/worker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do
  grep -q 'Successfully registered with master' "$LOGS/worker.log" && break
  kill -0 "${PIDS[1]}" 2>/dev/null || break
  sleep 0.5
done
grep -q 'Successfully registered with master' "$LOGS/worker.log" \
  || { fail "the worker did not register with $MASTER_URL (see $LOGS/worker.log)"; exit 1; }
say "cluster up: $MASTER_URL"
check_listeners
( while sleep 3; do check_listeners; done ) &

# --- 4. data and config ---------------------------------------------------------------------
DATA="$WORK/data"
EMBEDDED=("$JAVA" -Xmx3g -XX:+UseParallelGC -XX:ReservedCodeCacheSize=512m -XX:-DontCompileHugeMethods
  "$BUFFER_LIMIT_OPT" "$TMP_OPT" -jar "$JAR")
say "generating ~$QUOTES quotes"
"${EMBEDDED[@]}" generate --out "$DATA" --quotes "$QUOTES" --skus 40 --days 7 --seed 7 \
  > "$LOGS/generate.log" 2>&1 || { fail "generate failed (see $LOGS/generate.log)"; exit 1; }
NIGHT1=2026-01-10
NIGHT2=2026-01-11
cat > "$WORK/audit.properties" <<'EOF'
# two flagged runs in a row confirm a penalty, so the second night can alert with the default rule
nightly.persistence_runs = 2
EOF
# the same log without its price column: bad input
mkdir -p "$WORK/bad"
for f in "$DATA"/quotes/part-*.csv; do cut -d, -f6 --complement "$f" > "$WORK/bad/$(basename "$f")"; done

# --- 5, 6. the runs -------------------------------------------------------------------------
# expect NAME CODE COMMAND...: runs COMMAND with its output in logs/NAME.log, checks the exit code
expect() {
  local name=$1 want=$2 got
  shift 2
  local t0=$SECONDS
  # in the background and waited for, so that a signal reaches the trap without waiting for it
  "$@" > "$LOGS/$name.log" 2>&1 &
  wait $!
  got=$?
  if [[ $got -ne $want ]]; then
    FAILED_LOGS+=("$name.log")
    fail "$name exited $got, expected $want"
    return 1
  fi
  say "$name: exit $got as expected ($((SECONDS - t0)) s)"
}

run_side() { # SIDE RUNNER... : audit, night 1, night 2, with paths relative to $WORK
  local side=$1
  shift
  expect "$side-audit" 0 "$@" audit --quotes data/quotes --purchases data/purchases \
    --out "$side/audit" --config audit.properties --quiet
  expect "$side-night1" 3 "$@" nightly --quotes data/quotes --purchases data/purchases \
    --history "$side/history" --date "$NIGHT1" --config audit.properties --quiet \
    --fail-on-new-penalties --alert-on flagged
  expect "$side-night2" 3 "$@" nightly --quotes data/quotes --purchases data/purchases \
    --history "$side/history" --date "$NIGHT2" --config audit.properties --quiet \
    --fail-on-new-penalties
}

# every command from here runs in the work directory, as a user would submit from theirs
cd "$WORK"

say "embedded runs (java -jar target/loyalty-penalty-detector.jar)"
run_side embedded "${EMBEDDED[@]}"

# as in the README: Spark provides logging; Delta's own log4j and slf4j would be second copies
DELTA_EXCLUDES=org.apache.logging.log4j:log4j-slf4j2-impl,org.apache.logging.log4j:log4j-api
DELTA_EXCLUDES+=,org.apache.logging.log4j:log4j-core,org.slf4j:slf4j-api
SUBMIT=("$JAVA" -cp "$SPARK_CP" -Xmx2g "$TMP_OPT" "${ADD_OPENS[@]}" org.apache.spark.deploy.SparkSubmit
  --master "$MASTER_URL" --deploy-mode client
  --packages "io.delta:delta-spark_2.13:$DELTA_VERSION"
  --exclude-packages "$DELTA_EXCLUDES"
  --conf "spark.jars.ivy=$WORK/ivy"
  --jars "$ROOT/target/cluster/lib/*.jar"
  --files audit.properties
  --class org.loyaltypenalty.cli.LoyaltyPenaltyCli
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog
  --conf spark.driver.extraJavaOptions=-XX:-DontCompileHugeMethods
  --conf "spark.executor.extraJavaOptions=-XX:-DontCompileHugeMethods $BUFFER_LIMIT_OPT $TMP_OPT"
  --conf spark.executor.cores=1 --conf spark.cores.max=2 --conf spark.executor.memory=1g
  --conf spark.ui.enabled=false
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1
  "$CLUSTER_JAR")
say "spark-submit runs on $MASTER_URL (client mode, 2 executors of 1 core)"
run_side cluster "${SUBMIT[@]}"

# each application ran tasks on two executor processes: their logs are under the worker's
# directory, app-ID/EXECUTOR/stderr, with Spark's "Running task" lines
for app in "$SPARK_WORKER_DIR"/app-*; do
  busy=0
  for ex in "$app"/*/; do
    grep -q 'Running task' "$ex/stderr" 2>/dev/null && busy=$((busy + 1))
  done
  say "$(basename "$app"): $busy executor processes ran tasks"
  [[ $busy -ge 2 ]] || fail "$(basename "$app") ran tasks on $busy executor processes, not 2"
done
APPS=$(ls -d "$SPARK_WORKER_DIR"/app-* 2>/dev/null | wc -l)
[[ $APPS -eq 3 ]] || fail "$APPS applications ran on the cluster, not 3"

expect cluster-bad-input 2 "${SUBMIT[@]}" audit --quotes bad --purchases data/purchases \
  --out bad-out --config audit.properties --quiet
if ! grep -q '^error: .*price' "$LOGS/cluster-bad-input.log"; then
  fail "the bad-input run did not say which column is missing (see $LOGS/cluster-bad-input.log)"
fi

# --- 7. compare -----------------------------------------------------------------------------
say "comparing the cluster runs with the embedded runs"
if ! "$JAVA" -Xmx2g "$TMP_OPT" "${ADD_OPENS[@]}" -cp "$JAR:$ROOT/target/lib/*" \
    "$ROOT/jobs/tools/CompareRuns.java" embedded cluster \
    > "$LOGS/compare.log" 2>&1; then
  FAILED_LOGS+=(compare.log)
  fail "the cluster runs differ from the embedded runs"
fi
grep -E '^(same|differs|present|DIFFERENT)' "$LOGS/compare.log" | sed 's/^/  /' >&2
exit 0
