#!/usr/bin/env python3
"""Where an audit's time went, from its Spark event log (standard library only).

Usage: jobs/tools/stage_times.py EVENT_LOG [--min-seconds S] [--top N]
EVENT_LOG: a Spark event log written uncompressed (spark.eventLog.compress=false), as a file or
as the rolling directory Spark 4 writes (eventlog_v2_*), or a directory holding one of those.
`BENCH_EVENTLOG=1 jobs/bench.sh` records one per audit.

Prints the stages that took at least S seconds (default 1) in the order they ran: start and
length in seconds from the application's start, tasks, the tasks' summed run, CPU and GC time
(run time above CPU time is mostly waiting: I/O, or a core left idle), rows read from the input,
shuffle bytes written and read, bytes spilled, and the line of the detector that started the
stage's job. Then the N costliest call sites by summed task run time, and the wall time in which
no stage ran (start-up, the driver planning, Delta commits, writing the report).
"""
import argparse
import collections
import glob
import json
import os
import re
import sys


def event_files(path):
    if not os.path.exists(path):
        sys.exit(f"error: event log not found: {path}")
    if os.path.isfile(path):
        return [path]
    rolled = sorted((f for f in glob.glob(os.path.join(path, "events_*"))
                     if re.match(r"events_\d+_", os.path.basename(f))),
                    key=lambda f: int(re.match(r"events_(\d+)_", os.path.basename(f)).group(1)))
    if rolled:
        return rolled
    logs = sorted(glob.glob(os.path.join(path, "eventlog_v2_*"))) + sorted(
        f for f in glob.glob(os.path.join(path, "*")) if os.path.isfile(f))
    if len(logs) != 1:
        sys.exit(f"error: {path} holds {len(logs)} event logs; pass one of them")
    return event_files(logs[0])


def events(path):
    """The events of the log at {path}, parsed, in order; a cut-off last line (a run still going,
    or killed mid-write) is left out, and a log that is not uncompressed JSON stops the tool."""
    files = event_files(path)
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
        for number, line in enumerate(lines):
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                if f == files[-1] and number == len(lines) - 1 and number > 0:
                    return
                sys.exit(f"error: {f} is not an uncompressed Spark event log "
                         "(record it with spark.eventLog.compress=false)")


def call_site(details):
    """The first line of the detector's own code in a stage's call stack."""
    m = re.search(r"org\.loyaltypenalty\.(?:[\w$]+\.)*([\w$]+)\.([\w$]+)\(([\w]+\.java:\d+)\)",
                  details or "")
    return f"{m.group(1)}.{m.group(2)} ({m.group(3)})" if m else "(Spark)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("event_log")
    ap.add_argument("--min-seconds", type=float, default=1.0)
    ap.add_argument("--top", type=int, default=10)
    a = ap.parse_args()

    start = end = None
    stages = {}
    sums = collections.defaultdict(collections.Counter)
    site_of_stage = {}
    site_of_execution = {}
    for e in events(a.event_log):
        ev = e.get("Event", "")
        if ev == "SparkListenerApplicationStart":
            start = e["Timestamp"]
        elif ev == "SparkListenerApplicationEnd":
            end = e["Timestamp"]
        elif ev.endswith("SparkListenerSQLExecutionStart"):
            site_of_execution[str(e["executionId"])] = call_site(e.get("details"))
        elif ev == "SparkListenerJobStart":
            # a job of a SQL query (adaptive execution submits its shuffle stages as jobs
            # of their own, with no detector code on their stacks) gets its query's site
            execution = (e.get("Properties") or {}).get("spark.sql.execution.id")
            for info in e.get("Stage Infos", []):
                site = call_site(info.get("Details"))
                if site == "(Spark)" and execution in site_of_execution:
                    site = site_of_execution[execution]
                site_of_stage.setdefault(info["Stage ID"], site)
        elif ev == "SparkListenerStageCompleted":
            info = e["Stage Info"]
            if "Submission Time" in info and "Completion Time" in info:
                stages[(info["Stage ID"], info["Stage Attempt ID"])] = info
        elif ev == "SparkListenerTaskEnd":
            m = e.get("Task Metrics") or {}
            s = sums[(e["Stage ID"], e["Stage Attempt ID"])]
            s["tasks"] += 1
            s["run_ms"] += m.get("Executor Run Time", 0)
            s["cpu_ms"] += m.get("Executor CPU Time", 0) / 1e6
            s["gc_ms"] += m.get("JVM GC Time", 0)
            s["rows_in"] += m.get("Input Metrics", {}).get("Records Read", 0)
            s["shuffle_w"] += m.get("Shuffle Write Metrics", {}).get("Shuffle Bytes Written", 0)
            r = m.get("Shuffle Read Metrics", {})
            s["shuffle_r"] += r.get("Local Bytes Read", 0) + r.get("Remote Bytes Read", 0)
            s["spill"] += m.get("Disk Bytes Spilled", 0)
    if start is None or not stages:
        sys.exit(f"error: no application start or no completed stage in {a.event_log}")

    ordered = sorted(stages.items(), key=lambda kv: kv[1]["Submission Time"])
    print(f"{'start_s':>7} {'took_s':>6} {'stage':>5} {'tasks':>5} {'run_s':>6} {'cpu_s':>6} "
          f"{'gc_s':>5} {'rows_in':>10} {'shuf_w_MB':>9} {'shuf_r_MB':>9} {'spill_MB':>8}  call site")
    by_site = collections.Counter()
    busy_until = start
    idle_ms = 0
    for (sid, attempt), info in ordered:
        s = sums[(sid, attempt)]
        site = site_of_stage.get(sid) or call_site(info.get("Details"))
        by_site[site] += s["run_ms"]
        if info["Submission Time"] > busy_until:
            idle_ms += info["Submission Time"] - busy_until
        busy_until = max(busy_until, info["Completion Time"])
        took = (info["Completion Time"] - info["Submission Time"]) / 1000
        if took < a.min_seconds:
            continue
        print(f"{(info['Submission Time'] - start) / 1000:7.1f} {took:6.1f} {sid:5d} "
              f"{s['tasks']:5d} {s['run_ms'] / 1000:6.1f} {s['cpu_ms'] / 1000:6.1f} "
              f"{s['gc_ms'] / 1000:5.1f} {s['rows_in']:10d} {s['shuffle_w'] / 1e6:9.1f} "
              f"{s['shuffle_r'] / 1e6:9.1f} {s['spill'] / 1e6:8.1f}  {site}")
    total_run = sum(by_site.values())
    print(f"\ncostliest call sites (summed task run time, {total_run / 1000:.1f} s in all):")
    for site, ms in by_site.most_common(a.top):
        print(f"  {ms / 1000:7.1f} s  {100 * ms / max(1, total_run):5.1f}%  {site}")
    last = end if end is not None else busy_until
    if last > busy_until:
        idle_ms += last - busy_until
    print(f"\napplication {(last - start) / 1000:.1f} s; no stage running for {idle_ms / 1000:.1f} s")


if __name__ == "__main__":
    main()
