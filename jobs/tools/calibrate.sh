#!/usr/bin/env bash
# Calibration of the SKU tests on data with known truth: generates N logs (default 6) of 30k quotes
# and 60 SKUs with different seeds, audits each, and reports how often SKU comparisons without a
# planted penalty (null and trap SKUs; not the confounded ones, whose marginal gap is real) get
# p < 0.05 and p < 0.01 and how many are flagged.
# A calibrated test gives about 5% and 1%. Output under $CAL_DIR (default target/calibration).
#   jobs/tools/calibrate.sh [N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/jobs/lib.sh"
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  usage_from_header "${BASH_SOURCE[0]}"
  exit 0
elif [[ $# -gt 1 || ! ${1:-6} =~ ^[1-9][0-9]*$ ]]; then
  echo "error: calibrate.sh takes one argument, N (the number of logs), not '$*' (see --help)" >&2
  exit 2
fi
CAL_DIR="${CAL_DIR:-$ROOT/target/calibration}"
N="${1:-6}"
mkdir -p "$CAL_DIR"
for seed in $(seq 1 "$N"); do
  "$ROOT/jobs/generate-sample.sh" --out "$CAL_DIR/data-$seed" --quotes 30000 --skus 60 --seed "$seed" \
    --single-file > /dev/null 2>&1
  "$ROOT/jobs/audit.sh" --quotes "$CAL_DIR/data-$seed/quotes.csv" \
    --purchases "$CAL_DIR/data-$seed/purchases.csv" --out "$CAL_DIR/audit-$seed" --quiet > /dev/null 2>&1
done
python3 - "$CAL_DIR" "$N" <<'PY'
import csv, statistics, sys
cal, n = sys.argv[1], int(sys.argv[2])
ps, z, flagged = [], [], []
for s in range(1, n + 1):
    truth = {(r["sku_id"], r["currency"], r.get("segment") or "cohort", r["comparison"]): r
             for r in csv.DictReader(open(f"{cal}/data-{s}/truth.csv"))}
    for r in csv.DictReader(open(f"{cal}/audit-{s}/findings.csv")):
        if r["level"] != "sku" or not r["p_value"]:
            continue
        t = truth[(r["sku_id"], r["currency"], r.get("segment") or "cohort", r["comparison"])]
        # a confounded comparison has a real marginal gap (e.g. loyal vs new where the price follows the tier)
        if float(t["true_penalty_pct"]) == 0 and not t["role"].startswith("confounded"):
            ps.append(float(r["p_value"]))
            z.append(float(r["estimate_log"]) / float(r["std_error_log"]))
            if r["flagged"] == "true":
                flagged.append(f'seed {s} {r["sku_id"]} {r["comparison"]}')
print(f"null tests={len(ps)} p<0.05={sum(p < 0.05 for p in ps) / len(ps):.3f} "
      f"p<0.01={sum(p < 0.01 for p in ps) / len(ps):.3f} z_mean={statistics.mean(z):.3f} "
      f"z_sd={statistics.pstdev(z):.3f} flagged={len(flagged)} {flagged}")
PY
