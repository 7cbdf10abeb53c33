#!/usr/bin/env python3
"""Compare an audit's findings.csv with a generated sample's truth.csv (standard library only).

Comparisons are keyed by (SKU, currency, segment, comparison): the loyalty cohort (segment
`cohort`) and every segment the audit tested (member_tier, device_os, age). Findings without a
`segment` column are all cohort rows, as are truth rows without one. A segment the findings do
not hold (not configured) is not scored.

Prints every planted, trap, confounded or flagged SKU comparison and, per segment, a verdict on
the generator's promises: every planted penalty flagged within 1 percentage point, no trap
flagged in its segment, at most one flag without a planted penalty. A `confounded_*` comparison
(e.g. loyal vs new on the SKU whose price follows the membership tier) has a real marginal gap
but no penalty of its own: its flag is shown, not counted; when the findings carry the adjusted
estimate (the fit with every tested segment held fixed), it must attribute the gap elsewhere (its
interval covers 0 or the estimate is within 1 pp of 0). Exit code 0 when every segment holds,
1 when not, 2 for bad arguments.

With --summary (for samples with many planted penalties, e.g. generate --penalised-share), prints
instead one line per segment and role (comparisons, tested, flagged) and the rates: the share of
tested planted comparisons flagged, the share of flagged comparisons without a planted penalty (the
false discovery proportion, which Benjamini-Hochberg holds at test.fdr_q in expectation;
confounded comparisons left out), and the median distance of flagged planted estimates from the
truth; exit code 0.
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
                    help="per-segment, per-role counts and rates instead of the verdict")
args = parser.parse_args()
findings, truth_path, summary = args.findings, args.truth_path, args.summary

SEGMENT_ORDER = ["cohort", "member_tier", "device_os", "age"]
NO_TRUTH = {"role": "null", "true_penalty_pct": "0"}


def key(r):
    return (r["sku_id"], r["currency"], r.get("segment") or "cohort", r["comparison"])


def number(text):
    return float(text) if text not in (None, "") else float("nan")


def segment_order(s):
    return (SEGMENT_ORDER.index(s) if s in SEGMENT_ORDER else len(SEGMENT_ORDER), s)


truth = {key(r): r for r in csv.DictReader(open(truth_path))}
rows = [r for r in csv.DictReader(open(findings)) if r["level"] == "sku"]
tested_segments = sorted({key(r)[2] for r in rows}, key=segment_order)
without_truth = [key(r) for r in rows if key(r) not in truth]
found = {key(r) for r in rows}


def note_without_truth():
    if without_truth:
        print(f"{len(without_truth)} findings have no truth row (another reference level?), "
              f"scored as having no penalty, e.g. {without_truth[0]}")


if summary:
    counts = collections.defaultdict(collections.Counter)
    distance = []
    for r in rows:
        t = truth.get(key(r), NO_TRUTH)
        planted = float(t["true_penalty_pct"]) > 0
        role = t["role"]
        role = role if planted or role.startswith(("trap", "confounded")) else "no penalty"
        c = counts[(key(r)[2], role)]
        c["comparisons"] += 1
        c["tested"] += r["status"] != "insufficient_data"
        if r["flagged"] == "true":
            c["flagged"] += 1
            if planted:
                distance.append(abs(number(r["penalty_pct"]) - float(t["true_penalty_pct"])))
    for (segment, role), c in sorted(counts.items(), key=lambda kv: (segment_order(kv[0][0]), kv[0][1])):
        print(f"{segment:12s} {role:18s} comparisons={c['comparisons']} tested={c['tested']} "
              f"flagged={c['flagged']}")
    with_penalty = [c for (_, role), c in counts.items() if role in ("planted", "deterministic")]
    scored = [c for (_, role), c in counts.items() if not role.startswith("confounded")]
    tested = sum(c["tested"] for c in with_penalty)
    flagged_true = sum(c["flagged"] for c in with_penalty)
    flagged_all = sum(c["flagged"] for c in scored)
    print(f"planted and tested, flagged: {flagged_true}/{tested} "
          f"({100 * flagged_true / max(1, tested):.1f}%); "
          f"flagged without a planted penalty: {flagged_all - flagged_true}/{flagged_all} "
          f"({100 * (flagged_all - flagged_true) / max(1, flagged_all):.2f}%); "
          f"median |estimate - truth| of flagged planted: "
          f"{statistics.median(distance) if distance else float('nan'):.2f} pp")
    note_without_truth()
    sys.exit(0)

has_adjusted = rows and "adjusted_penalty_pct" in rows[0]
verdicts = {}
for segment in tested_segments:
    missed, far, traps, unplanted, confounded_flagged, not_attributed = [], [], [], [], [], []
    for k, t in sorted(truth.items()):
        if k[2] == segment and float(t["true_penalty_pct"]) > 0 and k not in found:
            missed.append(f"{k[0]} {k[1]} {k[3]} (no finding)")
    for r in sorted((r for r in rows if key(r)[2] == segment), key=key):
        t = truth.get(key(r), NO_TRUTH)
        true_pct = float(t["true_penalty_pct"])
        flagged = r["flagged"] == "true"
        est = number(r["penalty_pct"])
        role = t["role"]
        name = f'{r["sku_id"]} {r["currency"]} {r["comparison"]}'
        adjusted = ""
        if has_adjusted and r["adjusted_penalty_pct"]:
            adjusted = (f' adjusted={number(r["adjusted_penalty_pct"]):6.2f} '
                        f'[{r["adjusted_ci_low_pct"][:6]}, {r["adjusted_ci_high_pct"][:6]}]')
        if true_pct > 0 or flagged or role.startswith(("trap", "confounded")):
            print(f'{segment:11s} {r["sku_id"]} {r["currency"]} {r["comparison"]:18s} {role:18s} '
                  f'true={true_pct:5.1f} est={est:6.2f} ci=[{r["ci_low_pct"][:6]}, {r["ci_high_pct"][:6]}] '
                  f'q={r["q_value"][:9]} flagged={flagged} n={r["n_reference"]}/{r["n_compared"]} '
                  f'status={r["status"]}{adjusted}')
        if true_pct > 0:
            if not flagged:
                missed.append(name)
            if not abs(est - true_pct) <= 1.0:
                far.append(name)
        elif role.startswith("confounded"):
            if flagged:
                confounded_flagged.append(name)
            if adjusted:
                a = number(r["adjusted_penalty_pct"])
                low, high = number(r["adjusted_ci_low_pct"]), number(r["adjusted_ci_high_pct"])
                if not (low <= 0 <= high or abs(a) < 1.0):
                    not_attributed.append(name)
        elif flagged and role.startswith("trap"):
            traps.append(name)
        elif flagged:
            unplanted.append(name)
    ok = not (missed or far or traps or len(unplanted) > 1 or not_attributed)
    verdicts[segment] = ok
    print(f"{segment}: planted missed: {missed}; planted off by > 1pp: {far}; traps flagged: {traps}; "
          f"flagged without a planted penalty: {unplanted}; confounded flagged (not counted): "
          f"{confounded_flagged}"
          + (f"; confounded gaps the adjusted view keeps: {not_attributed}" if has_adjusted else "")
          + f" -> {'ok' if ok else 'FAIL'}")
untested = sorted({k[2] for k in truth} - set(tested_segments), key=segment_order)
if untested:
    print(f"not in the findings (not scored): {', '.join(untested)}")
note_without_truth()
sys.exit(0 if all(verdicts.values()) else 1)
