#!/usr/bin/env python3
"""What each Spark stage's tasks spent their CPU on, from a JFR recording and an event log.

A JFR recording's execution samples of the executor threads, each given to the stages that had
a task running at its instant (standard library only).

Usage: jobs/tools/jfr_stages.py RECORDING EVENT_LOG [--top N]
RECORDING: a JFR recording of the audit (.jfr, read with the JDK's `jfr print`), or its
execution samples as JSON (`jfr print --json --events jdk.ExecutionSample audit.jfr`).
EVENT_LOG: the same run's Spark event log, as jobs/tools/stage_times.py reads it.

Record both in one run, in local mode (the executors are the driver's JVM):
  LPD_JAVA_OPTS="-XX:StartFlightRecording=filename=audit.jfr,settings=profile
  -Dspark.eventLog.enabled=true -Dspark.eventLog.dir=file:///tmp/ev
  -Dspark.eventLog.compress=false" jobs/audit.sh ...

Prints the N stages (default 25) with the most samples: their share of the executor samples,
the line of the detector that started the stage's job, and what the samples were doing, by the
first of these kinds found on the stack: building the in-memory cache (its compression
statistics apart), reading it, the fixed-effects fits, the per-SKU code, parsing timestamps and
numbers, regular expressions, shuffle writes and reads, hash joins, hash aggregates, sorts,
Parquet, CSV, other generated code. A sample taken while tasks of several stages ran is shared
between them.
"""
import argparse
import bisect
import collections
import datetime
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stage_times import call_site, event_files  # noqa: E402

KINDS = [
    ("gatherCompressibilityStats", "cache-stats"), ("ColumnBuilder", "cache-build"),
    ("CachedRDDBuilder", "cache-build"), ("ColumnAccessor", "cache-read"),
    ("SpecificColumnarIterator", "cache-read"), ("stats.FixedEffects", "fits"),
    ("org.loyaltypenalty.sku", "per-sku"), ("org.loyaltypenalty", "detector"),
    ("parseTimestampString", "timestamp-parse"), ("getZoneId", "timestamp-parse"),
    ("java.util.regex", "regex"), ("parseDouble", "number-parse"),
    ("ShuffleExternalSorter", "shuffle-write"), ("UnsafeShuffleWriter", "shuffle-write"),
    ("BypassMergeSortShuffleWriter", "shuffle-write"), ("SortShuffleWriter", "shuffle-write"),
    ("ShuffleBlockFetcherIterator", "shuffle-read"), ("HashedRelation", "hash-join"),
    ("UnsafeKVExternalSorter", "hash-aggregate"), ("hashAgg", "hash-aggregate"),
    ("BytesToBytesMap", "hash-aggregate"), ("UnsafeExternalRowSorter", "sort"),
    ("UnsafeExternalSorter", "sort"), ("parquet", "parquet"), ("univocity", "csv"),
    ("GeneratedClass", "generated-code"),
]


def samples(recording):
    if recording.endswith(".jfr"):
        out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample",
                              recording], check=True, capture_output=True, text=True).stdout
        data = json.loads(out)
    else:
        with open(recording) as f:
            data = json.load(f)
    for e in data["recording"]["events"]:
        v = e["values"]
        thread = (v.get("sampledThread") or {}).get("javaName") or ""
        if not thread.startswith("Executor task launch worker"):
            continue
        frames = (v.get("stackTrace") or {}).get("frames") or []
        stack = " ".join(f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
                         for f in frames)
        yield millis(v["startTime"]), kind(stack)


def millis(instant):
    base, _, fraction = instant.rstrip("Z").partition(".")
    t = datetime.datetime.fromisoformat(base).replace(tzinfo=datetime.timezone.utc)
    return t.timestamp() * 1000 + float("0." + (fraction or "0")) * 1000


def kind(stack):
    for needle, name in KINDS:
        if needle in stack:
            return name
    return "other"


def tasks_and_sites(path):
    tasks, sites = [], {}
    for name in event_files(path):
        with open(name) as f:
            for line in f:
                if '"SparkListenerTaskEnd"' in line:
                    e = json.loads(line)
                    info = e["Task Info"]
                    tasks.append((info["Launch Time"], info["Finish Time"], e["Stage ID"]))
                elif '"SparkListenerStageCompleted"' in line:
                    info = json.loads(line)["Stage Info"]
                    sites[info["Stage ID"]] = call_site(info.get("Details"))
    return tasks, sites


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording")
    parser.add_argument("event_log")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if not os.path.exists(args.recording):
        sys.exit(f"error: recording not found: {args.recording}")
    tasks, sites = tasks_and_sites(args.event_log)
    # a sweep over the instants: the stages with a task running at each sample
    edges = sorted([(a, 1, s) for a, _, s in tasks] + [(b, -1, s) for _, b, s in tasks])
    times = [t for t, _, _ in edges]
    points = sorted(samples(args.recording))
    running = collections.Counter()
    share = collections.Counter()
    kinds = collections.defaultdict(collections.Counter)
    idle = 0
    at = 0
    for t, k in points:
        end = bisect.bisect_right(times, t)
        for _, step, stage in edges[at:end]:
            running[stage] += step
            if running[stage] == 0:
                del running[stage]
        at = max(at, end)
        if not running:
            idle += 1
            continue
        for stage in running:
            share[stage] += 1 / len(running)
            kinds[stage][k] += 1 / len(running)
    total = len(points)
    print(f"{total} executor samples; {idle} with no task running")
    print(f"{'samples':>8} {'share':>6} {'stage':>5}  call site / what the samples were doing")
    for stage, n in share.most_common(args.top):
        doing = " ".join(f"{k}={v:.0f}" for k, v in kinds[stage].most_common(6))
        print(f"{n:8.0f} {100 * n / max(1, total):5.1f}% {stage:5d}  {sites.get(stage, '?')}")
        print(f"{'':23}{doing}")


if __name__ == "__main__":
    main()
