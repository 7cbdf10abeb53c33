#!/usr/bin/env python3
"""Compare an audit's findings.csv with a generated sample's truth.csv (standard library only).

Usage: jobs/tools/compare_truth.py FINDINGS_CSV TRUTH_CSV
Prints every planted, trap or flagged SKU comparison and a verdict on the generator's promises:
planted penalties flagged within 1 percentage point, no trap flagged, at most one null flagged.
"""
import csv
import sys

findings, truth_path = sys.argv[1], sys.argv[2]
truth = {(r["sku_id"], r["currency"], r["comparison"]): r for r in csv.DictReader(open(truth_path))}
rows = [r for r in csv.DictReader(open(findings)) if r["level"] == "sku"]
missed, far, traps, nulls = [], [], [], []
for r in sorted(rows, key=lambda r: (r["sku_id"], r["currency"], r["comparison"])):
    t = truth[(r["sku_id"], r["currency"], r["comparison"])]
    true_pct = float(t["true_penalty_pct"])
    flagged = r["flagged"] == "true"
    est = float(r["penalty_pct"]) if r["penalty_pct"] else float("nan")
    role = t["role"]
    if true_pct > 0 or flagged or role.startswith("trap"):
        print(f'{r["sku_id"]} {r["currency"]} {r["comparison"]:14s} {role:14s} true={true_pct:5.1f} '
              f'est={est:6.2f} ci=[{r["ci_low_pct"][:6]}, {r["ci_high_pct"][:6]}] q={r["q_value"][:9]} '
              f'flagged={flagged} n={r["n_reference"]}/{r["n_compared"]} status={r["status"]}')
    if true_pct > 0:
        if not flagged:
            missed.append(r["sku_id"])
        if not abs(est - true_pct) <= 1.0:
            far.append(r["sku_id"])
    elif flagged and role.startswith("trap"):
        traps.append(r["sku_id"])
    elif flagged:
        nulls.append(r["sku_id"])
print(f"planted missed: {missed}; planted off by > 1pp: {far}; traps flagged: {traps}; nulls flagged: {nulls}")
sys.exit(0 if not (missed or far or traps or len(nulls) > 1) else 1)
