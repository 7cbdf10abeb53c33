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

run_jar() {
  ensure_jar
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  exec "$(find_java)" ${LPD_JAVA_OPTS:--Xmx12g} -XX:+UseParallelGC -XX:ReservedCodeCacheSize=512m -XX:-DontCompileHugeMethods -jar "$JAR" "$@"
}
