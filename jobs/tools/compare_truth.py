#!/usr/bin/env python3
"""Compare an audit's findings.csv with a generated sample's truth.csv (standard library only).

Prints every planted, trap or flagged SKU comparison and a verdict on the generator's promises:
planted penalties flagged within 1 percentage point, no trap flagged, at most one null flagged;
exit code 0 when they hold, 1 when not, 2 for bad arguments.

With --summary (for samples with many planted penalties, e.g. generate --penalised-share), prints
instead one line per role (comparisons, tested, flagged) and the rates: the share of tested
planted comparisons flagged, the share of flagged comparisons without a planted penalty (the
false discovery proportion, which Benjamini-Hochberg holds at test.fdr_q in expectation), and
the median distance of flagged planted estimates from the truth; exit code 0.
"""
import argparse
import collections
import csv
import statistics
import sys

parser = argparse.ArgumentParser(
    description=__doc__,
    formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("findings", metavar="FINDINGS_CSV", help="an audit's findings.csv")
parser.add_argument("truth_path", metavar="TRUTH_CSV", help="the generated sample's truth.csv")
parser.add_argument("--summary", action="store_true",
                    help="per-role counts and rates instead of the verdict")
args = parser.parse_args()
findings, truth_path, summary = args.findings, args.truth_path, args.summary
truth = {(r["sku_id"], r["currency"], r["comparison"]): r for r in csv.DictReader(open(truth_path))}
rows = [r for r in csv.DictReader(open(findings)) if r["level"] == "sku"]
if summary:
    counts = collections.defaultdict(collections.Counter)
    distance = []
    for r in rows:
        t = truth[(r["sku_id"], r["currency"], r["comparison"])]
        planted = float(t["true_penalty_pct"]) > 0
        role = t["role"] if planted or t["role"].startswith("trap") else "no penalty"
        c = counts[role]
        c["comparisons"] += 1
        c["tested"] += r["status"] != "insufficient_data"
        if r["flagged"] == "true":
            c["flagged"] += 1
            if planted:
                distance.append(abs(float(r["penalty_pct"]) - float(t["true_penalty_pct"])))
    for role, c in sorted(counts.items()):
        print(f"{role:14s} comparisons={c['comparisons']} tested={c['tested']} flagged={c['flagged']}")
    with_penalty = [c for role, c in counts.items() if role in ("planted", "deterministic")]
    tested = sum(c["tested"] for c in with_penalty)
    flagged_true = sum(c["flagged"] for c in with_penalty)
    flagged_all = sum(c["flagged"] for c in counts.values())
    print(f"planted and tested, flagged: {flagged_true}/{tested} "
          f"({100 * flagged_true / max(1, tested):.1f}%); "
          f"flagged without a planted penalty: {flagged_all - flagged_true}/{flagged_all} "
          f"({100 * (flagged_all - flagged_true) / max(1, flagged_all):.2f}%); "
          f"median |estimate - truth| of flagged planted: "
          f"{statistics.median(distance) if distance else float('nan'):.2f} pp")
    sys.exit(0)
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
