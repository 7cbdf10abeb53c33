#!/usr/bin/env python3
"""Does the share of null comparisons ruled out match what their standard errors predict?

For each tested loyalty-cohort SKU comparison of a generated sample that has no planted penalty
(truth role `null`), the estimate b is, on the log scale, about normal with mean 0 and the
standard error se recovered from the findings' two-sided interval at `--confidence`. The
comparison is ruled out when its upper one-sided bound b + z(confidence) se is below
log(1 + materiality / 100), which happens with probability
    Phi(log(1 + m / 100) / se - z(confidence)).
The sum of these probabilities is the number expected ruled out; the script prints it beside the
number observed (upper_bound_pct below the materiality), overall and by bins of the predicted
probability. Normal quantiles (the fits' degrees of freedom are large on these samples); standard
library only.

    jobs/tools/ruled_out_check.py OUT/findings.csv SAMPLE/truth.csv [--materiality 1.0]
"""
import argparse
import csv
import math
from statistics import NormalDist


def main():
    p = argparse.ArgumentParser()
    p.add_argument("findings")
    p.add_argument("truth")
    p.add_argument("--materiality", type=float, default=1.0)
    p.add_argument("--confidence", type=float, default=0.95)
    a = p.parse_args()
    z = NormalDist()
    z_two = z.inv_cdf(0.5 + a.confidence / 2)
    z_one = z.inv_cdf(a.confidence)
    nulls = set()
    with open(a.truth, newline="") as f:
        for r in csv.DictReader(f):
            if r["role"] == "null" and r.get("segment", "cohort") in ("", "cohort"):
                nulls.add((r["sku_id"], r["currency"], r["comparison"]))
    bound = math.log1p(a.materiality / 100)
    rows = []
    with open(a.findings, newline="") as f:
        for r in csv.DictReader(f):
            key = (r["sku_id"].lstrip("'"), r["currency"], r["comparison"])
            if (r["level"] != "sku" or r.get("segment", "cohort") not in ("", "cohort")
                    or key not in nulls or not r["ci_low_pct"] or not r["upper_bound_pct"]):
                continue
            lo = math.log1p(float(r["ci_low_pct"]) / 100)
            hi = math.log1p(float(r["ci_high_pct"]) / 100)
            se = (hi - lo) / (2 * z_two)
            predicted = z.cdf(bound / se - z_one) if se > 0 else 1.0
            observed = float(r["upper_bound_pct"]) < a.materiality
            rows.append((predicted, observed))
    expected = sum(p for p, _ in rows)
    seen = sum(1 for _, o in rows if o)
    sd = math.sqrt(sum(p * (1 - p) for p, _ in rows))
    print(f"null comparisons tested: {len(rows)}")
    print(f"ruled out at materiality {a.materiality}%: observed {seen}, expected {expected:.1f}"
          f" (sd {sd:.1f})")
    for low, high in ((0, 0.2), (0.2, 0.5), (0.5, 0.8), (0.8, 1.01)):
        part = [(p, o) for p, o in rows if low <= p < high]
        if part:
            print(f"  predicted {low:.1f}-{min(high, 1):.1f}: {len(part)} comparisons, observed"
                  f" {sum(1 for _, o in part if o)}, expected {sum(p for p, _ in part):.1f}")


if __name__ == "__main__":
    main()
