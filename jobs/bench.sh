#!/usr/bin/env bash
# Benchmark: the full audit against a bare Spark scan-and-aggregate of the same generated data.
#   jobs/bench.sh [SIZE ...]        sizes in quotes, default: 1000000 10000000 50000000
# Data is generated once per size as Parquet under $BENCH_DIR (default target/bench) and reused.
# Prints one line per size:
#   rows=N audit_s=X baseline_s=Y ratio=Z peak_rss_mb=M rows_per_s=R
# audit_s and baseline_s are wall-clock seconds of each whole process (JVM and Spark start-up
# included in both); peak_rss_mb is the audit process's maximum resident set (GNU time);
# rows_per_s is rows / audit_s (the baseline's rows per second are rows_per_s * ratio).
# The processes of a size run with the JIT option the job scripts choose for its inputs (jit_opts
# in lib.sh: the quick compiler only up to 32 MB of input), all three alike, and all with the
# class archive the job scripts use (cds_opts in lib.sh); when the build has none yet, an audit
# of the bundled sample writes it first, untimed (LPD_CDS=0: none, as the job scripts).
# Baseline: read the quotes, then one groupBy(sku, hour, cohort) with count, mean and variance
# of log price. The audit's log and manifest (with per-step timings) stay under $BENCH_DIR.
# With BENCH_FLOOR=1, a second line per size times the least an audit must do before comparing
# anything (read and check every quote, as the audit does, then count rows per reason):
#   floor rows=N validate_s=X ratio=Z rows_per_s=R   (whole process; ratio against the same baseline)
# With two sizes or more, the floor runs for every size, and a line gives the two ratios the
# benchmark is judged by, each taken within this run:
#   ratios fixed_ratio=F fixed_rows=N slope_ratio=S slope_rows=A-B fixed_s=X audit_s_per_m=Y
#     floor_s_per_m=Z
# fixed_ratio is audit_s / baseline_s at the smallest size (what each run pays whatever its size:
# JVM and Spark start-up, the queries, the Delta commits, the report); slope_ratio is the cost per
# quote between the two largest sizes, (audit_B - audit_A) / (validate_B - validate_A), against
# the floor's. The same costs in seconds: fixed_s = audit_s - baseline_s at the smallest size
# (the audit's own fixed cost), and the audit's and the floor's seconds per million quotes
# between the two largest sizes (sizes as asked for). A last line gives the audit's seconds per
# million quotes between the same two sizes step by step (the steps of its manifest's
# timings_s, then those of its beside_s, which ran beside them, as beside_STEP), for a budget
# per step:
#   steps_s_per_m slope_rows=A-B start_spark=X read_quotes=Y ... beside_quarantine=Z ...
# With BENCH_EVENTLOG=1, each audit records its Spark event log (uncompressed) under
# $BENCH_DIR/eventlog-N, and each floor under $BENCH_DIR/eventlog-floor-N;
# jobs/tools/stage_times.py summarises one (stages, call sites, idle time), and Spark's history
# server can show it as the Spark UI would have. With two sizes or more, two more lines give the
# task seconds per million quotes between the two largest sizes part by part, of the audit and
# of the floor (jobs/tools/quote_cost.py --fields, with python3; task time is the cores' summed
# work, which neither the driver nor the steps running beside each other blur):
#   parts_s_per_m slope_rows=A-B repeated_quote_ids=X ... the_rest=Y all=Z
#   floor_parts_s_per_m slope_rows=A-B repeated_quote_ids=X ... all=Z
# Writing the logs costs time: compare such runs with each other only.
# With BENCH_RUNS=R (default 1), each size runs R times, in turns (the audit, the baseline and the
# floor in each), and every line gives medians: of each process's seconds at each size (the
# ratios are taken from those), of each step's seconds over the runs' manifests (the steps), and
# of each part over the R runs' pairs of sizes (a part a run lacks counts 0 in it); peak_rss_mb is
# the largest of the runs. When R is above 1, each line ends with runs=R and each run's files get
# -rN in their names (audit-N-r1, eventlog-N-r1, ...). A slope between two sizes takes in the
# disturbances of the runs of both: the medians of three runs are the numbers to hold a budget to.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for arg in "$@"; do
  if [[ $arg == -h || $arg == --help ]]; then
    usage_from_header "${BASH_SOURCE[0]}"
    exit 0
  elif [[ ! $arg =~ ^[1-9][0-9]*$ ]]; then
    echo "error: a SIZE is a number of quotes such as 1000000, not '$arg' (see --help)" >&2
    exit 2
  fi
done
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000000 10000000 50000000)
jit_opts > /dev/null # a bad LPD_SMALL_INPUT_MB stops here, before anything is built or run
RUNS=${BENCH_RUNS:-1}
if [[ ! $RUNS =~ ^[1-9][0-9]*$ ]]; then
  echo "error: BENCH_RUNS is a number of runs per size such as 3, not '$RUNS' (see --help)" >&2
  exit 2
fi
ensure_jar
BENCH_DIR="${BENCH_DIR:-$ROOT/target/bench}"
mkdir -p "$BENCH_DIR" && BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"
JAVA="$(find_java)"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "bench needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 2; }

CDS=$(cds_opts audit)
PART=$(cds_writes "$CDS")
if [[ -n $PART ]]; then
  echo "writing the class archive: an audit of the bundled sample ..." >&2
  (launch "$PART" "$JAVA" $(jvm_opts) ${CDS} -jar "$JAR" audit \
    --quotes "$ROOT/data-samples/quotes.csv" --purchases "$ROOT/data-samples/purchases.csv" \
    --out "$BENCH_DIR/cds-sample" --quiet) >&2 || true
  CDS=$(cds_opts audit)
  if [[ -n $(cds_writes "$CDS") ]]; then
    echo "no class archive was written: the timed runs go without" >&2
    CDS=""
  fi
fi
# Sets EVENTLOG to the JVM options that record a run's Spark event log, uncompressed, in the
# folder $1, emptied first; to none without BENCH_EVENTLOG=1.
eventlog_to() {
  EVENTLOG=()
  [[ ${BENCH_EVENTLOG:-0} == 1 ]] || return 0
  rm -rf "$1" && mkdir -p "$1"
  EVENTLOG=(-Dspark.eventLog.enabled=true -Dspark.eventLog.compress=false
    "-Dspark.eventLog.dir=file://$1")
}
# What run $1 of BENCH_RUNS adds to its files' names: nothing when there is one run.
run_suffix() {
  [[ $RUNS -eq 1 ]] || echo "-r$1"
}
RUNS_FIELD=$([[ $RUNS -eq 1 ]] || echo " runs=$RUNS")
floor=$([[ ${BENCH_FLOOR:-0} == 1 || ${#SIZES[@]} -ge 2 ]] && echo 1 || echo 0)
declare -A AUDIT BASELINE FLOOR
for n in "${SIZES[@]}"; do
  data="$BENCH_DIR/data-$n"
  if [[ ! -f "$data/truth.csv" ]]; then
    echo "generating $n quotes into $data ..." >&2
    "$JAVA" $(jvm_opts) -jar "$JAR" generate --out "$data" --quotes "$n" --skus 150 --days 28 \
      --format parquet >&2
  fi
  # the options the job scripts would run this input with, for the three processes alike
  OPTS=($(jvm_opts --quotes "$data/quotes" --purchases "$data/purchases") ${CDS})
  audits=() baselines=() floors=() rss_kb=0
  # the runs of a size in turns, the audit, the baseline and the floor in each
  for ((r = 1; r <= RUNS; r++)); do
    sfx=$(run_suffix "$r")
    eventlog_to "$BENCH_DIR/eventlog-$n$sfx"
    start=$(date +%s.%N)
    $TIME -f "%M" -o "$BENCH_DIR/rss-$n$sfx" "$JAVA" "${OPTS[@]}" \
      ${EVENTLOG[@]+"${EVENTLOG[@]}"} \
      -jar "$JAR" audit --quotes "$data/quotes" --purchases "$data/purchases" --format parquet \
      --out "$BENCH_DIR/audit-$n$sfx" --quiet > "$BENCH_DIR/audit-$n$sfx.log" 2>&1
    audits+=("$(echo "$(date +%s.%N) - $start" | bc)")
    rss=$(tail -1 "$BENCH_DIR/rss-$n$sfx")
    (( rss > rss_kb )) && rss_kb=$rss
    start=$(date +%s.%N)
    "$JAVA" "${OPTS[@]}" -jar "$JAR" baseline --quotes "$data/quotes" \
      > "$BENCH_DIR/baseline-$n$sfx.log" 2>&1
    baselines+=("$(echo "$(date +%s.%N) - $start" | bc)")
    if [[ $floor == 1 ]]; then
      eventlog_to "$BENCH_DIR/eventlog-floor-$n$sfx"
      start=$(date +%s.%N)
      "$JAVA" "${OPTS[@]}" ${EVENTLOG[@]+"${EVENTLOG[@]}"} -jar "$JAR" baseline \
        --validate-only --quotes "$data/quotes" > "$BENCH_DIR/floor-$n$sfx.log" 2>&1
      floors+=("$(echo "$(date +%s.%N) - $start" | bc)")
    fi
  done
  audit_s=$(median "${audits[@]}")
  baseline_s=$(median "${baselines[@]}")
  read_rows=$(sed -n 's/.*"quotes_read" : \([0-9]*\).*/\1/p' \
    "$BENCH_DIR/audit-$n$(run_suffix 1)/manifest.json")
  printf 'rows=%s audit_s=%.1f baseline_s=%.1f ratio=%.2f peak_rss_mb=%d rows_per_s=%.0f%s\n' \
    "$read_rows" "$audit_s" "$baseline_s" "$(echo "$audit_s / $baseline_s" | bc -l)" \
    $((rss_kb / 1024)) "$(echo "$read_rows / $audit_s" | bc -l)" "$RUNS_FIELD"
  AUDIT[$n]=$audit_s
  BASELINE[$n]=$baseline_s
  if [[ $floor == 1 ]]; then
    floor_s=$(median "${floors[@]}")
    printf 'floor rows=%s validate_s=%.1f ratio=%.2f rows_per_s=%.0f%s\n' "$read_rows" \
      "$floor_s" "$(echo "$floor_s / $baseline_s" | bc -l)" \
      "$(echo "$read_rows / $floor_s" | bc -l)" "$RUNS_FIELD"
    FLOOR[$n]=$floor_s
  fi
done
# Prints "step seconds", a line per step, from the timings_s of the manifest $1, then one per
# step that ran beside them (its beside_s), named beside_STEP.
step_seconds() {
  local key
  for key in timings_s beside_s; do
    awk -v key="$key" -v prefix="${key/timings_s/}" '
      index($0, "\"" key "\" : {") {inside = 1; if (/[}]/) exit; next}
      inside && /[}]/ {exit}
      inside {gsub(/[",:]/, " "); print (prefix == "" ? "" : "beside_") $1, $2}' "$1"
  done
}
# Reads one line of part=value fields per run (quote_cost.py --fields) and prints " part=median"
# for each part, in the order first seen and all last; a part some run lacks counts 0 in it.
part_medians() {
  awk '{
      for (i = 1; i <= NF; i++) {
        split($i, kv, "=")
        if (!(kv[1] in seen)) {seen[kv[1]] = 1; order[++keys] = kv[1]}
        v[kv[1], NR] = kv[2]
      }
    }
    END {
      for (k = 1; k <= keys; k++)
        for (r = 1; r <= NR; r++) print order[k], ((order[k], r) in v ? v[order[k], r] : 0)
    }' | medians | awk '
      function field(k, v) {printf " %s=%.2f", k, (v > -0.005 && v < 0.005) ? 0 : v} # no "-0.00"
      $1 == "all" {all = $2; next} {field($1, $2)} END {field("all", all)}'
}
mapfile -t ORDERED < <(printf '%s\n' "${SIZES[@]}" | sort -n -u)
if [[ ${#ORDERED[@]} -ge 2 ]]; then
  small=${ORDERED[0]}
  a=${ORDERED[-2]}
  b=${ORDERED[-1]}
  printf 'ratios fixed_ratio=%.2f fixed_rows=%s slope_ratio=%.2f slope_rows=%s-%s fixed_s=%.1f audit_s_per_m=%.2f floor_s_per_m=%.2f%s\n' \
    "$(echo "${AUDIT[$small]} / ${BASELINE[$small]}" | bc -l)" "$small" \
    "$(echo "(${AUDIT[$b]} - ${AUDIT[$a]}) / (${FLOOR[$b]} - ${FLOOR[$a]})" | bc -l)" "$a" "$b" \
    "$(echo "${AUDIT[$small]} - ${BASELINE[$small]}" | bc -l)" \
    "$(echo "(${AUDIT[$b]} - ${AUDIT[$a]}) * 1000000 / ($b - $a)" | bc -l)" \
    "$(echo "(${FLOOR[$b]} - ${FLOOR[$a]}) * 1000000 / ($b - $a)" | bc -l)" "$RUNS_FIELD"
  steps=$(awk -v a="$a" -v b="$b" 'NR == FNR {at_a[$1] = $2; next}
    ($1 in at_a) {
      v = ($2 - at_a[$1]) * 1000000 / (b - a)
      printf " %s=%.2f", $1, (v > -0.005 && v < 0.005) ? 0 : v # no "-0.00"
    }' \
    <(for ((r = 1; r <= RUNS; r++)); do
        step_seconds "$BENCH_DIR/audit-$a$(run_suffix "$r")/manifest.json"; done | medians) \
    <(for ((r = 1; r <= RUNS; r++)); do
        step_seconds "$BENCH_DIR/audit-$b$(run_suffix "$r")/manifest.json"; done | medians))
  echo "steps_s_per_m slope_rows=$a-$b$steps$RUNS_FIELD"
  if [[ ${BENCH_EVENTLOG:-0} == 1 ]]; then
    if ! command -v python3 > /dev/null; then
      echo "no parts_s_per_m lines: jobs/tools/quote_cost.py needs python3" >&2
    else
      for run in "" floor-; do
        # each run's pair of sizes gives its parts; the line holds each part's median
        parts=""
        for ((r = 1; r <= RUNS; r++)); do
          sfx=$(run_suffix "$r")
          if ! one=$(python3 "$ROOT/jobs/tools/quote_cost.py" "$BENCH_DIR/eventlog-$run$a$sfx" \
            "$BENCH_DIR/eventlog-$run$b$sfx" --quotes "$a" "$b" --fields); then
            echo "no ${run/-/_}parts_s_per_m line: jobs/tools/quote_cost.py failed (above)" >&2
            continue 2
          fi
          parts+="$one"$'\n'
        done
        echo "${run/-/_}parts_s_per_m slope_rows=$a-$b$(printf '%s' "$parts" \
          | part_medians)$RUNS_FIELD"
      done
    fi
  fi
fi
