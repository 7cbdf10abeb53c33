package org.loyaltypenalty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts under jobs/ that do not hand their arguments to the jar: --help prints their usage
 * and exits 0; a bad argument exits 2 before anything is built or created.
 */
class JobScriptsTest {
  record Run(int code, String out, String err) {}

  static Run run(Path dir, String... command) throws Exception {
    return run(dir, Map.of(), command);
  }

  /** {@link #run} with {@code env} set over the environment (an empty value removes the name). */
  static Run run(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile());
    pb.environment().put("BENCH_DIR", dir.resolve("bench").toString());
    pb.environment().put("CAL_DIR", dir.resolve("calibration").toString());
    env.forEach((name, value) -> {
      if (value.isEmpty()) {
        pb.environment().remove(name);
      } else {
        pb.environment().put(name, value);
      }
    });
    int code = pb.start().waitFor();
    return new Run(code, Files.readString(dir.resolve("stdout")),
        Files.readString(dir.resolve("stderr")));
  }

  @Test
  void helpPrintsUsageAndExitsZero(@TempDir Path dir) throws Exception {
    for (List<String> c : List.of(List.of("bash", "jobs/bench.sh", "--help"),
        List.of("bash", "jobs/tools/calibrate.sh", "--help"),
        List.of("python3", "jobs/tools/compare_truth.py", "--help"),
        List.of("python3", "jobs/tools/quote_cost.py", "--help"))) {
      Run r = run(dir, c.toArray(String[]::new));
      assertEquals(0, r.code(), c + ": " + r.err());
      assertTrue(r.out().contains(Path.of(c.get(1)).getFileName().toString() + " ["), c + ": " + r.out());
      assertEquals("", r.err(), c.toString());
    }
    assertTrue(Files.notExists(dir.resolve("bench")) && Files.notExists(dir.resolve("calibration")));
  }

  /** jobs/lib.sh builds the jar with mvn -B -q, its output sent to stderr (a log, under cron). */
  @Test
  void mavenWritesNoColourCodesIntoARedirectedStream(@TempDir Path dir) throws Exception {
    Run r = run(dir, "mvn", "-B", "-q", "-o", "validate");
    assertEquals(0, r.code(), r.err());
    String output = r.out() + r.err();
    assertEquals(-1, output.indexOf('\u001b'), "an escape code in: " + output);
  }

  @Test
  void badArgumentsExitTwoWithOneLineAndLeaveNoFolderBehind(@TempDir Path dir) throws Exception {
    Run bench = run(dir, "bash", "jobs/bench.sh", "1000", "big");
    assertEquals(2, bench.code(), bench.err());
    assertEquals("error: a SIZE is a number of quotes such as 1000000, not 'big' (see --help)\n",
        bench.err());
    Run calibrate = run(dir, "bash", "jobs/tools/calibrate.sh", "many");
    assertEquals(2, calibrate.code(), calibrate.err());
    assertEquals("error: calibrate.sh takes one argument, N (the number of logs), not 'many'"
        + " (see --help)\n", calibrate.err());
    Run compare = run(dir, "python3", "jobs/tools/compare_truth.py", "findings.csv");
    assertEquals(2, compare.code(), compare.err());
    assertTrue(compare.err().endsWith("error: the following arguments are required: TRUTH_CSV\n"),
        compare.err());
    Run runs = run(dir, Map.of("BENCH_RUNS", "0"), "bash", "jobs/bench.sh", "1000");
    assertEquals(2, runs.code(), runs.err());
    assertEquals("error: BENCH_RUNS is a number of runs per size such as 3, not '0' (see --help)\n",
        runs.err());
    assertTrue(Files.notExists(dir.resolve("bench")) && Files.notExists(dir.resolve("calibration")));
  }

  @Test
  void theBenchmarksMediansAreEachKeysMiddleValueOrTheMeanOfTheTwoMiddleOnes(@TempDir Path dir)
      throws Exception {
    // the references are Python's statistics.median of each key's values: a 2, b 8.5, c -0.25
    Run keyed = run(dir, "bash", "-c", "source jobs/lib.sh && printf '%s\\n' 'a 3' 'b 10' "
        + "'c -0.25' 'a 1' 'b -2' 'a 2' 'b 7' 'b 1e6' | medians");
    assertEquals(0, keyed.code(), keyed.err());
    assertEquals("a 2.000000000\nb 8.500000000\nc -0.250000000\n", keyed.out());
    Run plain = run(dir, "bash", "-c", "source jobs/lib.sh && median 550.6 31.3 178.2 9.2");
    assertEquals(0, plain.code(), plain.err());
    assertEquals("104.750000000\n", plain.out(), "(31.3 + 178.2) / 2");
  }

  @Test
  void jfrStagesGivesEachSampleToTheStagesRunningAtItsInstantByTheirTasks(@TempDir Path dir)
      throws Exception {
    // stage 1 runs tasks from 1,000 to 2,000 ms and from 1,600 to 1,800; stage 2 one from 1,500
    // to 3,000 (milliseconds since 1970-01-01T00:00Z)
    Files.writeString(dir.resolve("events"), String.join("\n",
        stage(1, "QuoteOverview", 40), stage(2, "MerchantRollup", 130),
        task(1, 1_000, 2_000), task(1, 1_600, 1_800), task(2, 1_500, 3_000)) + "\n");
    String worker = "Executor task launch worker for task 1.0 in stage 1.0 (TID 1)";
    String regex = "java.util.regex.Matcher.search(int) line: 1728";
    // in stage 1 alone; while two tasks of stage 1 and one of stage 2 run (and printed without
    // its date, as jfr print does for the recording's own day); two in stage 2 alone, the
    // innermost known frame of the first a hash join's; one with no task; one of the driver
    Files.writeString(dir.resolve("samples.txt"), String.join("\n",
        sample("00:00:01.200 (1970-01-01)", worker,
            "org.apache.spark.sql.catalyst.expressions.GeneratedClass$X.hashAgg_doConsume()"
                + " line: 1"),
        sample("00:00:01.700", worker, regex),
        sample("00:00:02.500 (1970-01-01)", worker,
            "org.apache.spark.unsafe.map.BytesToBytesMap.safeLookup(Object, long) line: 542",
            "org.apache.spark.sql.execution.joins.UnsafeHashedRelation.get(InternalRow) line: 234",
            "org.apache.spark.shuffle.sort.UnsafeShuffleWriter.write(Iterator) line: 1"),
        sample("00:00:02.600 (1970-01-01)", worker, regex),
        sample("00:00:04.000 (1970-01-01)", worker, "java.lang.Thread.run() line: 1"),
        sample("00:00:01.200 (1970-01-01)", "main", regex)));
    Run r = run(dir, Map.of("TZ", "UTC"), "python3", "jobs/tools/jfr_stages.py",
        dir.resolve("samples.txt").toString(), dir.resolve("events").toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("5 executor samples; 1 with no task running", lines.get(0), r.out());
    assertEquals(List.of("2.3", "46.7%", "2", "MerchantRollup.rollUp",
        "(MerchantRollup.java:130)"), List.of(lines.get(2).trim().split("\\s+")), r.out());
    assertEquals("regex=1.3 hash-join=1.0", lines.get(3).trim(), r.out());
    assertEquals(List.of("1.7", "33.3%", "1", "QuoteOverview.rollUp", "(QuoteOverview.java:40)"),
        List.of(lines.get(4).trim().split("\\s+")), r.out());
    assertEquals("hash-aggregate=1.0 regex=0.7", lines.get(5).trim(), r.out());
  }

  @Test
  void quoteCostGivesEachPartsSecondsPerMillionQuotesSplitAtTheShufflesAsATableOrFields(
      @TempDir Path dir) throws Exception {
    // per size: the id search, called from the floor's command (the first part named wins); the
    // pass that writes the quotes' shuffle and the one that reads it (remote and local bytes);
    // the per-SKU pass likewise; a stage of no known part; the hashing of the purchases, called
    // from their reading; the overview counts, called from the quarantine step. Run times in
    // milliseconds.
    String settle = "org.loyaltypenalty.validate.QuoteValidator$Pending.settle(QuoteValidator"
        + ".java:325)";
    String sku = "org.loyaltypenalty.sku.SkuPass.counts(SkuPass.java:246)";
    for (int size : List.of(1, 3)) {
      Files.writeString(dir.resolve("events-" + size), String.join("\n",
          stageAt(1, "org.loyaltypenalty.validate.QuoteValidator.check(QuoteValidator.java:219)",
              "org.loyaltypenalty.cli.BaselineCommand.call(BaselineCommand.java:57)"),
          stageAt(2, settle), stageAt(3, settle), stageAt(4, sku), stageAt(5, sku),
          stageAt(6, "org.apache.spark.sql.Dataset.count(Dataset.scala:1)"),
          stageAt(7, "org.loyaltypenalty.io.FileChecksums.sha256All(FileChecksums.java:52)",
              "org.loyaltypenalty.audit.AuditInputs.readPurchases(AuditInputs.java:111)"),
          stageAt(8, "org.loyaltypenalty.audit.QuoteOverview.of(QuoteOverview.java:40)",
              "org.loyaltypenalty.audit.LoyaltyAudit$Run.writeQuarantine(LoyaltyAudit.java:242)"),
          metered(1, 1_000 * size, 0, 0, 0), metered(2, 2_000 * size, 5_000, 0, 0),
          metered(2, 2_000 * size, 5_000, 0, 0), metered(3, 3_000 * size, 2_000, 6_000, 4_000),
          metered(4, 500 * size, 9_000, 0, 0), metered(5, 4_000 * size, 0, 9_000, 0),
          metered(6, 700, 0, 0, 0), metered(7, 200 * size, 0, 0, 0),
          metered(8, 800 * size, 0, 0, 0)) + "\n");
    }
    Run r = run(dir, "python3", "jobs/tools/quote_cost.py", dir.resolve("events-1").toString(),
        dir.resolve("events-3").toString(), "--quotes", "1000000", "3000000");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of(
        "task s at A     at B  s per M  part",
        "        1.0      3.0     1.00  repeated quote ids",
        "        0.2      0.6     0.20  inputs: hashed, screened",
        "        4.0     12.0     4.00  quotes: read, check, shuffle by customer",
        "        3.0      9.0     3.00  quotes: cohorts and cache",
        "        0.5      1.5     0.50  per-SKU: to each SKU's task",
        "        4.0     12.0     4.00  per-SKU: the analysis",
        "        0.8      2.4     0.80  quote counts",
        "        0.7      0.7     0.00  the rest",
        "       14.2     41.2    13.50  all",
        "the rest at B, by call site:",
        "                 0.7  (Spark)"), r.out().lines().toList(), r.out());
    Run fields = run(dir, "python3", "jobs/tools/quote_cost.py",
        dir.resolve("events-1").toString(), dir.resolve("events-3").toString(), "--quotes",
        "1000000", "3000000", "--fields");
    assertEquals(0, fields.code(), fields.err());
    assertEquals("repeated_quote_ids=1.00 inputs_hashed_screened=0.20"
        + " quotes_read_check_shuffle_by_customer=4.00 quotes_cohorts_and_cache=3.00"
        + " per_sku_to_each_skus_task=0.50 per_sku_the_analysis=4.00 quote_counts=0.80"
        + " the_rest=0.00 all=13.50\n", fields.out());
    Run backwards = run(dir, "python3", "jobs/tools/quote_cost.py",
        dir.resolve("events-1").toString(), dir.resolve("events-3").toString(), "--quotes",
        "3000000", "1000000");
    assertEquals(2, backwards.code(), backwards.err());
    assertTrue(backwards.err().endsWith(
        "error: --quotes: B (1000000) must be more than A (3000000)\n"), backwards.err());
  }

  /** A completed stage whose call stack is {@code frames}, innermost first. */
  private static String stageAt(int id, String... frames) {
    return "{\"Event\": \"SparkListenerStageCompleted\", \"Stage Info\": {\"Stage ID\": " + id
        + ", \"Details\": \"" + String.join("\\n", frames) + "\"}}";
  }

  /** A finished task: its run time (ms), the shuffle bytes it wrote, read remotely and locally. */
  private static String metered(int stage, long runMillis, long written, long remote,
      long local) {
    return "{\"Event\": \"SparkListenerTaskEnd\", \"Stage ID\": " + stage
        + ", \"Task Metrics\": {\"Executor Run Time\": " + runMillis
        + ", \"Shuffle Write Metrics\": {\"Shuffle Bytes Written\": " + written
        + "}, \"Shuffle Read Metrics\": {\"Remote Bytes Read\": " + remote
        + ", \"Local Bytes Read\": " + local + "}}}";
  }

  private static String stage(int id, String cls, int line) {
    return stageAt(id, "org.apache.spark.sql.Dataset.collect(Dataset.scala:1)",
        "org.loyaltypenalty.audit." + cls + ".rollUp(" + cls + ".java:" + line + ")");
  }

  private static String task(int stage, long launch, long finish) {
    return "{\"Event\": \"SparkListenerTaskEnd\", \"Stage ID\": " + stage
        + ", \"Task Info\": {\"Launch Time\": " + launch + ", \"Finish Time\": " + finish
        + "}}";
  }

  /** One execution sample as {@code jfr print} writes it (frames innermost first). */
  private static String sample(String startTime, String thread, String... frames) {
    StringBuilder out = new StringBuilder("jdk.ExecutionSample {\n")
        .append("  startTime = ").append(startTime).append('\n')
        .append("  sampledThread = \"").append(thread).append("\" (javaThreadId = 40)\n")
        .append("  state = \"STATE_RUNNABLE\"\n  stackTrace = [\n");
    for (String f : frames) {
      out.append("    ").append(f).append('\n');
    }
    return out.append("  ]\n}\n").toString();
  }

  /** What {@code jit_opts} of jobs/lib.sh prints for the job's arguments {@code args}. */
  private static String jitOption(Path dir, String javaOpts, String megabytes, String... args)
      throws Exception {
    List<String> command = new java.util.ArrayList<>(
        List.of("bash", "-c", "source jobs/lib.sh && jit_opts \"$@\"", "jit_opts"));
    command.addAll(List.of(args));
    Run r = run(dir, Map.of("LPD_JAVA_OPTS", javaOpts == null ? "" : javaOpts,
        "LPD_SMALL_INPUT_MB", megabytes), command.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return r.out().strip();
  }

  @Test
  void aRunOverSmallLocalInputsGetsTheQuickCompilerOnlyAndAnyOtherKeepsBoth(@TempDir Path dir)
      throws Exception {
    Path quotes = Files.writeString(dir.resolve("quotes.csv"), "x".repeat(600_000));
    Path purchases = Files.createDirectories(dir.resolve("purchases"));
    Files.writeString(purchases.resolve("part-0.csv"), "x".repeat(600_000));
    String c1 = "-XX:TieredStopAtLevel=1";
    assertEquals(c1, jitOption(dir, null, "2", "audit", "--quotes", quotes.toString(),
        "--purchases", purchases.toString(), "--out", dir.resolve("out").toString()),
        "1.2 MB in all, at most 2 MB");
    assertEquals(c1, jitOption(dir, null, "2", "audit", "--quotes=file://" + quotes),
        "the --option=value form and a file: URI");
    assertEquals("", jitOption(dir, null, "1", "audit", "--quotes", quotes.toString(),
        "--purchases", purchases.toString()), "1.2 MB in all, over 1 MB");
    assertEquals("", jitOption(dir, null, "2", "audit", "--quotes", quotes.toString(),
        "--purchases", "s3a://bucket/purchases"), "an input not on this machine");
    assertEquals("", jitOption(dir, "-Xmx4g -XX:TieredStopAtLevel=4", "2", "audit",
        "--quotes", quotes.toString()), "LPD_JAVA_OPTS sets the tiers");
    assertEquals("", jitOption(dir, null, "2", "--version"), "no input");
  }

  @Test
  void theJobsLimitTheDirectBuffersJavaKeepsPerThreadUnlessTheirOptionsSetTheLimit(
      @TempDir Path dir) throws Exception {
    List<String> command = List.of("bash", "-c", "source jobs/lib.sh && jvm_opts");
    Run plain = run(dir, Map.of("LPD_JAVA_OPTS", ""), command.toArray(String[]::new));
    assertEquals(0, plain.code(), plain.err());
    assertTrue(List.of(plain.out().strip().split(" "))
        .contains("-Djdk.nio.maxCachedBufferSize=262144"), plain.out());
    Run own = run(dir, Map.of("LPD_JAVA_OPTS", "-Xmx4g -Djdk.nio.maxCachedBufferSize=1048576"),
        command.toArray(String[]::new));
    assertEquals(0, own.code(), own.err());
    assertTrue(own.out().contains("-Djdk.nio.maxCachedBufferSize=1048576"), own.out());
    assertFalse(own.out().contains("262144"), "the option given is the only one: " + own.out());
  }

  /**
   * A stand-in for {@code $JAVA_HOME/bin/java}: writes the class archive its options name, prints
   * its arguments and exits with {@code FAKE_RC} (default 0).
   */
  private static Path fakeJavaHome(Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = Files.writeString(bin.resolve("java"), String.join("\n", "#!/usr/bin/env bash",
        "for a in \"$@\"; do",
        "  [[ $a == -XX:ArchiveClassesAtExit=* ]] && echo classes > \"${a#*=}\"",
        "done",
        "echo \"java $*\"",
        "exit ${FAKE_RC:-0}", ""));
    assertTrue(java.toFile().setExecutable(true));
    return dir.resolve("jdk");
  }

  /** {@code script} run after {@code source jobs/lib.sh}, with the fake Java and {@code env}. */
  private static Run lib(Path dir, Map<String, String> env, String script) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(Map.of(
        "JAVA_HOME", dir.resolve("jdk").toString(), "LPD_CDS_DIR", dir.resolve("cds").toString(),
        "LPD_CDS", "", "LPD_JAVA_OPTS", ""));
    all.putAll(env);
    return run(dir, all, "bash", "-c", "source jobs/lib.sh && " + script);
  }

  @Test
  void theFirstAuditOfABuildWritesTheClassArchiveAndEveryLaterRunUsesIt(@TempDir Path dir)
      throws Exception {
    fakeJavaHome(dir);
    String quiet = " -Xlog:cds=off -Xlog:cds+dynamic=off";
    String archive = lib(dir, Map.of(), "cds_archive").out().strip();
    assertTrue(archive.startsWith(dir.resolve("cds") + "/lpd-") && archive.endsWith(".jsa"),
        archive);
    Run first = lib(dir, Map.of(), "cds_opts audit --quotes q.csv");
    assertTrue(first.out().matches("-XX:ArchiveClassesAtExit=\\Q" + archive
        + "\\E\\.\\d+\\.part\\Q" + quiet + "\\E\n"), first.out());
    assertTrue(lib(dir, Map.of(), "cds_opts nightly").out()
        .startsWith("-XX:ArchiveClassesAtExit=" + archive + "."), "the nightly run writes one too");
    assertEquals("", lib(dir, Map.of(), "cds_opts report").out(), "only an audit writes one");
    assertEquals("", lib(dir, Map.of(), "cds_opts audit --help").out(), "not its help");
    assertEquals("", lib(dir, Map.of("LPD_CDS_DIR", Files.writeString(dir.resolve("a-file"), "")
        .toString()), "cds_opts audit").out(), "nor into a directory that cannot be made");

    Files.createDirectories(dir.resolve("cds"));
    Files.writeString(Path.of(archive), "classes");
    assertEquals("-XX:SharedArchiveFile=" + archive + quiet + "\n",
        lib(dir, Map.of(), "cds_opts report").out());
    assertEquals("-XX:SharedArchiveFile=" + archive + quiet + "\n",
        lib(dir, Map.of(), "cds_opts audit").out());
    assertEquals("", lib(dir, Map.of("LPD_CDS", "0"), "cds_opts audit").out(), "LPD_CDS=0");
    assertEquals("", lib(dir, Map.of("LPD_JAVA_OPTS", "-Xmx4g -Xshare:off"), "cds_opts audit")
        .out(), "LPD_JAVA_OPTS sets class sharing");
  }

  @Test
  void aClassArchiveIsKeptOnlyWhenTheRunThatWroteItSucceeded(@TempDir Path dir)
      throws Exception {
    fakeJavaHome(dir);
    String archive = lib(dir, Map.of(), "cds_archive").out().strip();
    String launch = "cds=$(cds_opts audit --quotes q) && launch \"$(cds_writes \"$cds\")\" "
        + "\"$(find_java)\" -Xmx1g $cds -jar x.jar audit --quotes q";

    Run failed = lib(dir, Map.of("FAKE_RC", "2"), launch);
    assertEquals(2, failed.code(), "the run's exit code");
    assertTrue(failed.out().contains("-jar x.jar audit --quotes q"), failed.out());
    try (var left = Files.list(dir.resolve("cds"))) {
      assertEquals(List.of(), left.toList(), "a failed run leaves no archive, whole or part");
    }

    Path older = Files.writeString(dir.resolve("cds/lpd-1.jsa"), "an earlier build's");
    Path other = Files.writeString(dir.resolve("cds/not-ours.jsa"), "another tool's");
    Run ok = lib(dir, Map.of(), launch);
    assertEquals(0, ok.code(), ok.err());
    assertEquals("note: this first run of the build also writes the class archive later runs "
        + "start from\n", ok.err());
    assertEquals("classes\n", Files.readString(Path.of(archive)));
    try (var left = Files.list(dir.resolve("cds"))) {
      assertEquals(java.util.Set.of(Path.of(archive), other),
          java.util.Set.copyOf(left.toList()), "the earlier build's archive is gone");
    }
    assertTrue(Files.notExists(older));

    Run next = lib(dir, Map.of(), launch);
    assertEquals(0, next.code(), next.err());
    assertTrue(next.out().contains("-XX:SharedArchiveFile=" + archive), next.out());
    assertEquals("", next.err(), "a run with the archive writes none");

    // an archive the user's own options write is left to them
    Path mine = dir.resolve("mine.jsa");
    Run own = lib(dir, Map.of("LPD_JAVA_OPTS", "-XX:ArchiveClassesAtExit=" + mine),
        "cds=$(cds_opts audit) && launch \"$(cds_writes \"$cds\")\" \"$(find_java)\" "
            + "$LPD_JAVA_OPTS $cds -jar x.jar audit");
    assertEquals(0, own.code(), own.err());
    assertEquals("classes\n", Files.readString(mine));
    assertTrue(Files.exists(Path.of(archive)) && Files.exists(other));
  }

  @Test
  void aLimitThatIsNotAWholeNumberOfMegabytesStopsTheJobWithOneLine(@TempDir Path dir)
      throws Exception {
    Run r = run(dir, Map.of("LPD_SMALL_INPUT_MB", "32MB"),
        "bash", "-c", "source jobs/lib.sh && jit_opts --quotes data-samples/quotes.csv");
    assertEquals(2, r.code());
    assertEquals("error: LPD_SMALL_INPUT_MB is a whole number of megabytes such as 32, not '32MB'\n",
        r.err());
    Run bench = run(dir, Map.of("LPD_SMALL_INPUT_MB", "32MB"), "bash", "jobs/bench.sh", "1000");
    assertEquals(2, bench.code(), bench.err());
    assertEquals(r.err(), bench.err(), "the benchmark stops with the same line");
    assertTrue(Files.notExists(dir.resolve("bench")), "before anything is generated");
  }
}
