#!/usr/bin/env python3
"""What each part of a run (an audit or the floor) costs per quote, from event logs of two sizes.

Usage: jobs/tools/quote_cost.py EVENT_LOG_A EVENT_LOG_B --quotes A B [--fields]
EVENT_LOG_A, EVENT_LOG_B: uncompressed event logs (as jobs/tools/stage_times.py reads them) of
the same kind of run on A and B quotes: two audits, or two runs of the validation-only floor
(`baseline --validate-only`). A and B are the quotes each read (the manifest's
`counts.quotes_read`, or the generator's count).

Each stage goes to a part of the run by the detector's code in its call stack: the search for
repeated ids; hashing the inputs and screening them for direct identifiers; reading, checking
and shuffling the quotes by customer; placing them in cohorts and caching them; the purchases;
the per-SKU pass, split at its shuffle into bringing each SKU's quotes together and the analysis
after; the merchant roll-ups; the counts; the quarantine; the findings; the figures, evidence
annex and matched pairs; the report data; the floor's own check. For each part it prints the
tasks' summed run time at A and at B and the seconds per million quotes between them,
(B - A) x 10^6 / (B_quotes - A_quotes). Task time, not wall time: it leaves out the driver and
the start-up, and adds up the cores' work (about twice the wall time when two are busy). The
stages no part claims are "the rest", listed by call site.

With --fields, one line of the seconds per million quotes alone, for a script to read: each
part present as its name in lower case, apostrophes dropped, every run of other characters one
underscore (`quotes_read_check_shuffle_by_customer=2.80`), in the order of the table, then
`all=` (jobs/bench.sh prints it with BENCH_EVENTLOG=1 and two sizes or more).
"""
import argparse
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stage_times import call_site, events  # noqa: E402

# (part, what in the call stack puts a stage in it), first match wins; "X | Y": X when the stage
# writes more shuffle bytes than it reads (it moves the rows to the next stage), else Y
PARTS = [
    ("repeated quote ids", ["QuoteValidator.check("]),
    ("inputs: hashed, screened", ["FileChecksums.", "DirectIdentifiers.", "InputReader.describe"]),
    ("floor: read and check", ["BaselineCommand"]),
    ("quotes: read, check, shuffle by customer | quotes: cohorts and cache", ["Pending.settle("]),
    ("purchases: check, timelines", ["AuditInputs.reasonCounts(", "CohortAssigner.gather(",
                                     "readPurchases"]),
    ("per-SKU: to each SKU's task | per-SKU: the analysis", ["SkuPass."]),
    ("merchant roll-ups", ["poolMerchants", "MerchantRollup."]),
    ("quote counts", ["QuoteTally.", "QuoteOverview."]),
    ("quarantine written", ["writeQuarantine", "QuarantineCsv."]),
    ("figures, annex, pairs", ["computeFigures", "ReportFigures.", "Testability.",
                               "MatchedPairs.", "AnnexData."]),
    ("findings", ["controlFindings", "writeFindings", "FindingsTotals.", "checkPlacebo",
                  "PlaceboCheck.", "BenjaminiHochberg."]),
    ("report data", ["ReportData.", "publish"]),
]


def part(details, written, read):
    for name, marks in PARTS:
        if any(m in details for m in marks):
            if " | " in name:
                writes, rest = name.split(" | ")
                return writes if written > read else rest
            return name
    return "the rest"


def task_seconds(path):
    """Summed task run time (s) per part of one run, and the rest's per call site."""
    run = collections.Counter()
    written = collections.Counter()
    read = collections.Counter()
    details = {}
    for e in events(path):
        ev = e.get("Event", "")
        if ev == "SparkListenerTaskEnd":
            m = e.get("Task Metrics") or {}
            run[e["Stage ID"]] += m.get("Executor Run Time", 0) / 1000
            written[e["Stage ID"]] += (m.get("Shuffle Write Metrics") or {}).get(
                "Shuffle Bytes Written", 0)
            shuffled = m.get("Shuffle Read Metrics") or {}
            read[e["Stage ID"]] += (shuffled.get("Remote Bytes Read", 0)
                                    + shuffled.get("Local Bytes Read", 0))
        elif ev == "SparkListenerStageCompleted":
            info = e["Stage Info"]
            details[info["Stage ID"]] = info.get("Details") or ""
    if not run:
        sys.exit(f"error: no task in the event log {path}")
    out = collections.Counter()
    rest = collections.Counter()
    for stage, seconds in run.items():
        name = part(details.get(stage, ""), written[stage], read[stage])
        out[name] += seconds
        if name == "the rest":
            rest[call_site(details.get(stage))] += seconds
    return out, rest


def field(name):
    """A part's name as a field name: lower case, apostrophes dropped, each run of other
    characters one "_"."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower().replace("'", "")).strip("_")


def rounded(value):
    """Two decimals, without a "-0.00"."""
    return f"{0.0 if abs(value) < 0.005 else value:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("event_log_a")
    ap.add_argument("event_log_b")
    ap.add_argument("--quotes", nargs=2, type=int, required=True, metavar=("A", "B"))
    ap.add_argument("--fields", action="store_true",
                    help="one line of field=seconds per million quotes, for a script")
    a = ap.parse_args()
    quotes_a, quotes_b = a.quotes
    if quotes_b <= quotes_a:
        ap.error(f"--quotes: B ({quotes_b}) must be more than A ({quotes_a})")
    at_a, _ = task_seconds(a.event_log_a)
    at_b, rest_b = task_seconds(a.event_log_b)
    per_m = 1e6 / (quotes_b - quotes_a)
    order = [n for p, _ in PARTS for n in p.split(" | ")] + ["the rest"]
    present = [n for n in order if n in at_a or n in at_b]
    total_a, total_b = sum(at_a.values()), sum(at_b.values())
    if a.fields:
        print(" ".join(f"{field(n)}={rounded((at_b[n] - at_a[n]) * per_m)}" for n in present)
              + f" all={rounded((total_b - total_a) * per_m)}")
        return
    print(f"{'task s at A':>11} {'at B':>8} {'s per M':>8}  part")
    for name in present:
        print(f"{at_a[name]:11.1f} {at_b[name]:8.1f} "
              f"{(at_b[name] - at_a[name]) * per_m:8.2f}  {name}")
    print(f"{total_a:11.1f} {total_b:8.1f} {(total_b - total_a) * per_m:8.2f}  all")
    if rest_b:
        # what no part claims: a stage of new code shows here until PARTS names it
        print("the rest at B, by call site:")
        for site, seconds in rest_b.most_common(5):
            print(f"{'':11} {seconds:8.1f}  {site}")


if __name__ == "__main__":
    main()
