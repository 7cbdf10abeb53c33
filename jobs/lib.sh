#!/usr/bin/env bash
# Shared by the job scripts: builds the jar on first use and runs it on Java 17.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/loyalty-penalty-detector.jar"

# Prints the comment block at the top of script $1 (after the #! line), without the '# '.
usage_from_header() {
  sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$1"
}

find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  elif [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
    echo /usr/lib/jvm/java-17-openjdk-amd64/bin/java
  else
    command -v java
  fi
}

ensure_jar() {
  local newest
  newest=$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit 2>/dev/null || true)
  if [[ ! -f "$JAR" || ! -d "$ROOT/target/lib" || -n "$newest" ]]; then
    if ! command -v mvn > /dev/null; then
      if [[ -f "$JAR" && -d "$ROOT/target/lib" ]]; then
        # e.g. under cron, whose PATH rarely has mvn: run the jar that is there
        echo "warning: sources are newer than $JAR and mvn is not on PATH; running the jar as built" >&2
        return 0
      fi
      echo "error: $JAR is not built and mvn is not on PATH: run 'mvn -B -DskipTests package' in $ROOT first" >&2
      exit 2
    fi
    echo "building the jar (first use, or sources changed)..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
  fi
}

# Prints the JIT option for a run given the job's arguments "$@": empty, or -XX:TieredStopAtLevel=1
# (HotSpot's quick compiler only) when the run is short. A small audit spends more CPU compiling
# Spark's and its own code with the optimising compiler (C2) than running it, for a speed-up it
# does not live long enough to use; on a large one C2's code is what makes it fast. Short means:
# every input (--quotes, --purchases, --customers) is a local file or directory and together they
# hold at most LPD_SMALL_INPUT_MB (default 32) MB. An input elsewhere (s3a://, hdfs://) or an
# option of LPD_JAVA_OPTS that sets the tiers keeps the JVM's default. Measurements:
# docs/benchmarks.md ("Compiling the code").
jit_opts() {
  if [[ ! ${LPD_SMALL_INPUT_MB:-32} =~ ^[0-9]{1,9}$ ]]; then
    echo "error: LPD_SMALL_INPUT_MB is a whole number of megabytes such as 32, not '$LPD_SMALL_INPUT_MB'" >&2
    exit 2
  fi
  [[ ${LPD_JAVA_OPTS:-} == *TieredStopAtLevel* || ${LPD_JAVA_OPTS:-} == *TieredCompilation* ]] && return 0
  local limit=$(( 10#${LPD_SMALL_INPUT_MB:-32} * 1024 * 1024 )) total=0 path="" take=0 arg size
  for arg in "$@"; do
    path=""
    if [[ $take == 1 ]]; then
      path=$arg
      take=0
    elif [[ $arg == --quotes || $arg == --purchases || $arg == --customers ]]; then
      take=1
    elif [[ $arg == --quotes=* || $arg == --purchases=* || $arg == --customers=* ]]; then
      path=${arg#*=}
    fi
    if [[ -n $path ]]; then
      path=${path#file://}
      # not a local path (s3a://, hdfs://, a list or a glob), or not readable: the JVM's default
      [[ -e $path ]] || return 0
      size=$(du -sb "$path" 2>/dev/null | cut -f1) || true
      [[ $size =~ ^[0-9]+$ ]] || return 0
      total=$(( total + size ))
    fi
  done
  if [[ $total -gt 0 && $total -le $limit ]]; then
    echo "-XX:TieredStopAtLevel=1"
  fi
  return 0
}

# Prints the JVM options of a run given the job's arguments "$@": LPD_JAVA_OPTS (default -Xmx12g),
# the collector and code-cache settings, -XX:-DontCompileHugeMethods, the limit on the direct
# buffers Java keeps per thread (buffer_opts) and the JIT option (jit_opts).
jvm_opts() {
  local jit
  jit=$(jit_opts "$@") || exit $?
  echo ${LPD_JAVA_OPTS:--Xmx12g} -XX:+UseParallelGC -XX:ReservedCodeCacheSize=512m \
    -XX:-DontCompileHugeMethods $(buffer_opts) ${jit}
}

# Prints BUFFER_LIMIT_OPT unless LPD_JAVA_OPTS sets that property. A thread that reads a file
# through a channel into the heap reads through a temporary direct buffer as large as the read,
# which Java keeps for the thread's next read unless it is over this size: when Spark reads a cached
# partition back from disk whole (hundreds of MB at 100M quotes), each thread that did would hold
# one outside the heap for the rest of the run. Measurements: docs/benchmarks.md ("Scale: 100M
# quotes").
BUFFER_LIMIT_OPT=-Djdk.nio.maxCachedBufferSize=262144
buffer_opts() {
  [[ ${LPD_JAVA_OPTS:-} == *jdk.nio.maxCachedBufferSize* ]] && return 0
  echo "$BUFFER_LIMIT_OPT"
}

# Class-data sharing: a run maps the classes it needs from an archive instead of finding, parsing
# and verifying them in the jars again (an audit loads about 31,000 classes). The first audit or
# nightly run of a build of the jar writes the archive as it exits, and it is kept only if that
# run succeeds; every later run of any command of the same build and Java uses it. Archives live
# in LPD_CDS_DIR (default target/cds), one per build and Java, named lpd-*.jsa; writing one
# removes the others. LPD_CDS=0, or a class-sharing option in LPD_JAVA_OPTS, turns this off; so
# does a directory that cannot be written or has less than CDS_MIN_FREE_KB free. Measurements:
# docs/benchmarks.md ("Class-data sharing").
CDS_MIN_FREE_KB=1048576

# Prints the path of the archive for this jar, its libraries and this Java.
cds_archive() {
  local java home stamp
  java=$(readlink -f "$(find_java)")
  home=$(dirname "$(dirname "$java")")
  stamp=$( { echo "$java"; stat -c '%s %Y %n' "$java" "$home/lib/modules" \
    "$home/lib/server/libjvm.so" "$JAR" "$ROOT"/target/lib/*.jar 2>/dev/null || true; } \
    | cksum | cut -d' ' -f1)
  echo "${LPD_CDS_DIR:-$ROOT/target/cds}/lpd-$stamp.jsa"
}

# Prints the class-sharing options of a run of the jar with arguments "$@": the archive when
# there is one; when there is none and the run is an audit or nightly run (not --help or
# --version, which load too few classes to be worth an archive), the option that writes it, to
# FILE.PID.part, which launch renames. Nothing when the archive's directory cannot take it.
cds_opts() {
  [[ ${LPD_CDS:-1} == 0 ]] && return 0
  [[ ${LPD_JAVA_OPTS:-} =~ Xshare|SharedArchiveFile|ArchiveClassesAtExit ]] && return 0
  local archive dir arg
  archive=$(cds_archive)
  [[ $archive =~ [[:space:]] ]] && return 0 # the options are split on spaces
  local quiet="-Xlog:cds=off -Xlog:cds+dynamic=off" # an archive of another build: not used, silently
  if [[ -s $archive ]]; then
    echo "-XX:SharedArchiveFile=$archive $quiet"
    return 0
  fi
  [[ ${1:-} == audit || ${1:-} == nightly ]] || return 0
  for arg in "$@"; do
    [[ $arg == -h || $arg == --help || $arg == -V || $arg == --version ]] && return 0
  done
  dir=$(dirname "$archive")
  mkdir -p "$dir" 2>/dev/null && [[ -w $dir ]] || return 0
  local free
  free=$(df -Pk "$dir" 2>/dev/null | awk 'NR == 2 {print $4}')
  [[ $free =~ ^[0-9]+$ && $free -ge $CDS_MIN_FREE_KB ]] || return 0
  echo "-XX:ArchiveClassesAtExit=$archive.$$.part $quiet"
}

# Prints the archive file that the options $1 (of cds_opts) write, or nothing.
cds_writes() {
  if [[ ${1:-} =~ ArchiveClassesAtExit=([^ ]+) ]]; then
    echo "${BASH_REMATCH[1]}"
  fi
}

# Runs the java command line "$@" in place of this shell. When $1 names a class archive being
# written (cds_opts' FILE.PID.part; empty otherwise), runs it as a child instead and renames
# FILE.PID.part to FILE (removing the other lpd-*.jsa there) only if the run succeeded; the run's
# exit code is the script's.
launch() {
  local part=$1
  shift
  [[ -n $part ]] || exec "$@"
  local dir
  dir=$(dirname "$part")
  # what runs killed before they could tidy up left behind, a day or more ago
  find "$dir" -maxdepth 1 -name 'lpd-*.part' -mmin +1440 -delete 2>/dev/null || true
  echo "note: this first run of the build also writes the class archive later runs start from" >&2
  local pid rc=0
  "$@" <&0 &
  pid=$!
  trap 'kill -TERM $pid 2>/dev/null' TERM INT HUP
  wait $pid || rc=$?
  while kill -0 $pid 2>/dev/null; do # a signal ended the wait, not the run
    rc=0
    wait $pid || rc=$?
  done
  trap - TERM INT HUP
  if [[ $rc == 0 && -s $part ]]; then
    rm -f "$dir"/lpd-*.jsa
    mv -f "$part" "${part%.*.part}"
  else
    rm -f "$part"
  fi
  exit $rc
}

run_jar() {
  ensure_jar
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  local opts cds
  opts=$(jvm_opts "$@")
  cds=$(cds_opts "$@")
  launch "$(cds_writes "$cds")" "$(find_java)" ${opts} ${cds} -jar "$JAR" "$@"
}

# Reads "key value" lines; prints "key median" for each key, in the order first seen (the middle
# value of the key's values sorted, or the mean of the two middle ones; nine decimals).
medians() {
  awk '!($1 in n) {order[++keys] = $1}
    {n[$1]++; v[$1, n[$1]] = $2 + 0}
    END {
      for (k = 1; k <= keys; k++) {
        key = order[k]; m = n[key]
        for (i = 1; i <= m; i++) {
          x = v[key, i]
          for (j = i - 1; j >= 1 && s[j] > x; j--) s[j + 1] = s[j]
          s[j + 1] = x
        }
        printf "%s %.9f\n", key, (m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2)
      }
    }'
}

# The median of the numbers given as arguments (see medians).
median() {
  printf 'x %s\n' "$@" | medians | cut -d' ' -f2
}
