#!/usr/bin/env python3
"""What each Spark stage's tasks spent their CPU on, from a JFR recording and an event log.

A JFR recording's execution samples of the executor threads, each given to the stages that had
a task running at its instant (standard library only).

Usage: jobs/tools/jfr_stages.py RECORDING EVENT_LOG [--top N]
RECORDING: a JFR recording of the audit (.jfr), read with the JDK's `jfr print` with whole
stacks; or that command's output saved as text (`jfr print --stack-depth 64 --events
jdk.ExecutionSample audit.jfr > samples.txt`), read with the same time zone.
EVENT_LOG: the same run's Spark event log, as jobs/tools/stage_times.py reads it.

Record both in one run, in local mode (the executors are the driver's JVM):
  LPD_JAVA_OPTS="-XX:StartFlightRecording=filename=audit.jfr,settings=profile
  -Dspark.eventLog.enabled=true -Dspark.eventLog.dir=file:///tmp/ev
  -Dspark.eventLog.compress=false" jobs/audit.sh ...

Prints the N stages (default 25) with the most samples: their samples and share of all the
executor samples, the line of the detector that started the stage's job, and what the samples
were doing, by the innermost frame of one of these kinds: building the in-memory cache (its
compression statistics apart), reading it, the fixed-effects fits, the per-SKU code, parsing
timestamps and numbers, regular expressions, shuffle writes and reads, hash joins, hash
aggregates, sorts, Parquet, CSV, other generated code. A sample taken while tasks of several
stages ran is shared between them in proportion to their running tasks.
"""
import argparse
import bisect
import collections
import datetime
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stage_times import call_site, events  # noqa: E402

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
    ("UnsafeFixedWidthAggregationMap", "hash-aggregate"), ("UnsafeExternalRowSorter", "sort"),
    ("UnsafeExternalSorter", "sort"), ("parquet", "parquet"), ("univocity", "csv"),
    ("GeneratedClass", "generated-code"),
]


STACK_DEPTH = "64"
START = re.compile(r"\s*startTime = (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: \((\d{4}-\d{2}-\d{2})\))?")
THREAD = re.compile(r'\s*sampledThread = "(.*)" \(javaThreadId')
FRAME = re.compile(r"\s{4}([\w$.<>]+)\(")


def lines_of(recording):
    if recording.endswith(".jfr"):
        with subprocess.Popen(["jfr", "print", "--stack-depth", STACK_DEPTH, "--events",
                               "jdk.ExecutionSample", recording], stdout=subprocess.PIPE,
                              text=True) as p:
            yield from p.stdout
        if p.returncode != 0:
            sys.exit(f"error: jfr print could not read {recording}")
    else:
        with open(recording) as f:
            yield from f


def samples(recording, day):
    """(instant in ms, thread, frames innermost first) of each execution sample, as a stream.

    `jfr print` writes the time of day in the local time zone, and the date only when it is not
    the recording's: a sample without one is placed on the day of `day(time)`.
    """
    clock = date = thread = None
    stack = []
    for line in lines_of(recording):
        if line.startswith("jdk.ExecutionSample {"):
            clock, date, thread, stack = None, None, "", []
        elif line.startswith("}"):
            if clock is not None:
                yield day(clock, date), thread, stack
            clock = None
        elif (m := START.match(line)) and clock is None:
            clock = datetime.time.fromisoformat(m.group(1))
            date = m.group(2) and datetime.date.fromisoformat(m.group(2))
        elif m := THREAD.match(line):
            thread = m.group(1)
        elif m := FRAME.match(line):
            stack.append(m.group(1))


def placer(first_ms, last_ms):
    """Places a local time of day on the date that puts it nearest the run's [first, last]."""
    around = datetime.datetime.fromtimestamp(first_ms / 1000).date()

    def place(clock, date):
        days = [date] if date else [around + datetime.timedelta(days=d) for d in (-1, 0, 1)]
        instants = [datetime.datetime.combine(d, clock).timestamp() * 1000 for d in days]
        return min(instants, key=lambda t: max(first_ms - t, 0, t - last_ms))
    return place


def kind(frames):
    """The kind of the innermost frame that is of a known kind (frames: innermost first)."""
    for frame in frames:
        for needle, name in KINDS:
            if needle in frame:
                return name
    return "other"


def tasks_and_sites(path):
    tasks, sites = [], {}
    for e in events(path):
        ev = e.get("Event", "")
        if ev == "SparkListenerTaskEnd":
            info = e["Task Info"]
            tasks.append((info["Launch Time"], info["Finish Time"], e["Stage ID"]))
        elif ev == "SparkListenerStageCompleted":
            info = e["Stage Info"]
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
    if not tasks:
        sys.exit(f"error: no task in the event log {args.event_log}")
    day = placer(min(a for a, _, _ in tasks), max(b for _, b, _ in tasks))
    points = sorted((t, kind(frames)) for t, thread, frames in samples(args.recording, day)
                    if thread.startswith("Executor task launch worker"))
    # a sweep over the instants: the tasks of each stage running at each sample ([launch, finish))
    edges = sorted([(a, 1, s) for a, _, s in tasks] + [(b, -1, s) for _, b, s in tasks])
    times = [t for t, _, _ in edges]
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
        tasks_running = sum(running.values())
        if tasks_running == 0:
            idle += 1
            continue
        for stage, n in running.items():
            share[stage] += n / tasks_running
            kinds[stage][k] += n / tasks_running
    total = len(points)
    print(f"{total} executor samples; {idle} with no task running")
    print(f"{'samples':>8} {'share':>6} {'stage':>5}  call site / what the samples were doing")
    for stage, n in share.most_common(args.top):
        doing = " ".join(f"{k}={v:.1f}" for k, v in kinds[stage].most_common(6))
        print(f"{n:8.1f} {100 * n / total:5.1f}% {stage:5d}  {sites.get(stage, '?')}")
        print(f"{'':23}{doing}")


if __name__ == "__main__":
    main()
