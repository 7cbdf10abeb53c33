#!/usr/bin/env python3
"""Power on sparse real data: a known markup injected into UCI Online Retail II.

  python3 jobs/tools/inject_online_retail.py inject DATA.csv.gz OUT_DIR [--seed 20] [--skus 25]
      [--markup-pct 6] [--min-customers 10] [--time-bucket 7d]
  jobs/audit.sh --quotes OUT_DIR/quotes.csv.gz --config OUT_DIR/audit.properties --out AUDIT_DIR --quiet
  python3 jobs/tools/inject_online_retail.py score OUT_DIR AUDIT_DIR

inject: reads the export (the columns of jobs/online-retail-ii.properties), finds the lines the
audit compares (a Customer ID, quantity and price above 0, not a cancellation, not a fee SKU, and
at least a full 365-day lookback after the first purchase), assigns each line its cohort as of
its time the way the audit does (distinct earlier invoices of the customer in [t - 365 d, t):
0 new, 5 or more loyal), picks SKUs with at least --min-customers distinct new and loyal
customers among those lines, draws --skus of them at random (--seed), and raises the price of
every loyal customer's line of those SKUs by --markup-pct, rounded to the penny as a shop would.
Writes OUT_DIR/quotes.csv.gz (every other line unchanged), OUT_DIR/injected.csv (the SKUs) and
OUT_DIR/audit.properties: the shipped jobs/online-retail-ii.properties with context.time_bucket set
to --time-bucket.

score: reads AUDIT_DIR/findings.csv and manifest.json and prints recall (injected SKUs whose
loyal-vs-new comparison is flagged), the share of the other tested SKU comparisons flagged, the
status of each injected SKU and the placebo result; then, from the same p-values with the
Benjamini-Hochberg step recomputed (merchant roll-ups as in the run), what the recall would have
been with the family filter at other thresholds and with a floor of 20 quotes per group.
"""
import argparse
import bisect
import csv
import gzip
import io
import json
import os
import random
import sys
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

# as jobs/online-retail-ii.properties: exclude.sku_ids
FEES = set("POST,DOT,M,D,C2,CRUK,PADS,ADJUST,ADJUST2,AMAZONFEE,BANK CHARGES,S,B,TEST001,TEST002"
           .split(","))
LOOKBACK = timedelta(days=365)
LOYAL_MIN = 5


def parse_time(text):
    return datetime.strptime(text.strip()[:16], "%Y-%m-%d %H:%M")


def valid(row):
    """A line the audit keeps (not quarantined, not an excluded SKU)."""
    try:
        return (row["Customer ID"].strip() != "" and not row["Invoice"].startswith("C")
                and float(row["Quantity"]) > 0 and float(row["Price"]) > 0
                and row["StockCode"].strip() not in FEES)
    except ValueError:
        return False


def inject(args):
    with gzip.open(args.data, "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        rows = list(reader)
    keep = [valid(r) for r in rows]
    times = [parse_time(r["InvoiceDate"]) if k else None for r, k in zip(rows, keep)]
    # each customer's invoices, one time per invoice (its earliest line)
    invoices = defaultdict(dict)
    for r, k, t in zip(rows, keep, times):
        if k:
            inv = invoices[r["Customer ID"]]
            if r["Invoice"] not in inv or t < inv[r["Invoice"]]:
                inv[r["Invoice"]] = t
    timeline = {c: sorted(v.values()) for c, v in invoices.items()}
    start = min(t for t in times if t is not None) + LOOKBACK
    cohort = [None] * len(rows)
    for i, (r, k, t) in enumerate(zip(rows, keep, times)):
        if k and t >= start:
            tl = timeline[r["Customer ID"]]
            prior = bisect.bisect_left(tl, t) - bisect.bisect_left(tl, t - LOOKBACK)
            cohort[i] = "new" if prior == 0 else "loyal" if prior >= LOYAL_MIN else "repeat"
    customers = defaultdict(lambda: {"new": set(), "loyal": set()})
    for r, c in zip(rows, cohort):
        if c in ("new", "loyal"):
            customers[r["StockCode"].strip()][c].add(r["Customer ID"])
    eligible = sorted(s for s, g in customers.items()
                      if len(g["new"]) >= args.min_customers and len(g["loyal"]) >= args.min_customers)
    if len(eligible) < args.skus:
        sys.exit(f"error: only {len(eligible)} SKUs have {args.min_customers} new and loyal customers")
    chosen = sorted(random.Random(args.seed).sample(eligible, args.skus))
    factor = Decimal(1) + Decimal(str(args.markup_pct)) / 100
    changed = 0
    chosen_set = set(chosen)
    for r, c in zip(rows, cohort):
        if c == "loyal" and r["StockCode"].strip() in chosen_set:
            r["Price"] = str((Decimal(r["Price"]) * factor).quantize(Decimal("0.01"), ROUND_HALF_UP))
            changed += 1
    os.makedirs(args.out, exist_ok=True)
    with gzip.open(os.path.join(args.out, "quotes.csv.gz"), "wt", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(args.out, "injected.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sku_id", "new_customers", "loyal_customers"])
        for s in chosen:
            w.writerow([s, len(customers[s]["new"]), len(customers[s]["loyal"])])
    shipped = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "online-retail-ii.properties")
    with open(shipped) as f, open(os.path.join(args.out, "audit.properties"), "w") as out:
        for line in f:
            out.write(f"context.time_bucket = {args.time_bucket}\n"
                      if line.startswith("context.time_bucket") else line)
    print(f"eligible SKUs={len(eligible)} injected={len(chosen)} loyal lines marked up={changed} "
          f"markup={args.markup_pct}% seed={args.seed}")


def score(args):
    injected = {r["sku_id"] for r in csv.DictReader(open(os.path.join(args.out, "injected.csv")))}
    rows = [r for r in csv.DictReader(open(os.path.join(args.audit, "findings.csv"), newline=""))
            if r["level"] == "sku" and (r.get("segment") or "cohort") == "cohort"]
    found, status = set(), {}
    other_tested = other_flagged = 0
    for r in rows:
        if r["sku_id"] in injected:
            if r["comparison"] == "loyal_vs_new":
                status[r["sku_id"]] = (r["status"], r["p_value"], r["q_value"], r["penalty_pct"])
                if r["flagged"] == "true":
                    found.add(r["sku_id"])
        elif r["p_value"]:
            other_tested += 1
            other_flagged += r["flagged"] == "true"
    manifest = json.load(open(os.path.join(args.audit, "manifest.json")))
    placebo = manifest.get("results", {}).get("placebo")
    filtered = manifest.get("results", {}).get("family_filter")
    print(f"recall={len(found)}/{len(injected)} ({100 * len(found) / len(injected):.0f}%) "
          f"other tested SKU comparisons={other_tested} flagged={other_flagged} "
          f"({100 * other_flagged / max(other_tested, 1):.2f}%)")
    print(f"placebo={json.dumps(placebo)}")
    if filtered is not None:
        print(f"family_filter={json.dumps(filtered)}")
    counts = defaultdict(int)
    for s in sorted(injected):
        st = status.get(s, ("absent", "", "", ""))
        counts[st[0]] += 1
        print(f"  {s}: status={st[0]} p={st[1]} q={st[2]} penalty_pct={st[3]}")
    print("injected by status: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    sweep(args, injected)


def bh(ps):
    """Benjamini-Hochberg q-values (R p.adjust(p, "BH"))."""
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    q, running = [0.0] * m, 1.0
    for k in range(m - 1, -1, -1):
        running = min(running, ps[order[k]] * m / (k + 1))
        q[order[k]] = running
    return q


def sweep(args, injected, fdr_q=0.05, materiality_pct=1.0):
    rows = [r for r in csv.DictReader(open(os.path.join(args.audit, "findings.csv"), newline=""))
            if r["level"] in ("sku", "merchant") and r["p_value"]]
    smaller = lambda r, a, b: min(int(r[a] or 0), int(r[b] or 0))
    for min_quotes in (1, 20):
        for min_customers in (0, 5, 10, 15, 20):
            tested = [r for r in rows if r["level"] == "merchant"
                      or smaller(r, "n_reference", "n_compared") >= min_quotes]
            family = [r for r in tested
                      if smaller(r, "customers_reference", "customers_compared") >= min_customers]
            found, other = set(), 0
            for r, q in zip(family, bh([float(r["p_value"]) for r in family])):
                flagged = q <= fdr_q and float(r["penalty_pct"]) >= materiality_pct
                if r["level"] == "sku" and flagged:
                    if r["sku_id"] in injected and r["comparison"] == "loyal_vs_new":
                        found.add(r["sku_id"])
                    elif r["sku_id"] not in injected:
                        other += 1
            print(f"  quotes floor {min_quotes:>2}, family filter {min_customers:>2}: tested "
                  f"{len(tested)}, in family {len(family)}, found {len(found)}/{len(injected)}, "
                  f"other SKU comparisons flagged {other}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    i = sub.add_parser("inject")
    i.add_argument("data")
    i.add_argument("out")
    i.add_argument("--seed", type=int, default=20)
    i.add_argument("--skus", type=int, default=25)
    i.add_argument("--markup-pct", type=float, default=6.0)
    i.add_argument("--min-customers", type=int, default=10)
    i.add_argument("--time-bucket", default="7d")
    s = sub.add_parser("score")
    s.add_argument("out")
    s.add_argument("audit")
    args = p.parse_args()
    inject(args) if args.command == "inject" else score(args)


if __name__ == "__main__":
    main()
