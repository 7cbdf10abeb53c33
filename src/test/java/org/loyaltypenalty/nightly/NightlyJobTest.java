package org.loyaltypenalty.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;
import org.loyaltypenalty.generate.SampleGenerator;
import org.loyaltypenalty.io.RunLayout;

/**
 * Generated nights run through {@code nightly}: one partition per night, streaks and alerts,
 * idempotent re-runs, and a crashed write that leaves the history consistent.
 *
 * <p>Each nightly run is a whole audit (its Spark jobs, three Delta commits and a report), the
 * cost of this class: it runs {@value #NIGHTS} nights, one more than the persistence rule needs
 * to confirm a penalty and then stay quiet, and one re-run of the first night that the re-run,
 * killed-write and {@code --alert-on flagged} tests share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NightlyJobTest {
  static final LocalDate FIRST = LocalDate.of(2026, 1, 5);
  static final int NIGHTS = 4;
  static final LocalDate LAST = FIRST.plusDays(NIGHTS - 1);
  static final String FIRST_NIGHT = "run_date = DATE'" + FIRST + "' and level <> 'cell'";
  Path data;
  Path history;
  List<Integer> exitCodes = new ArrayList<>();
  String lastErr = "";
  /** The re-run of the first night, made once in {@link #runTheNights}. */
  List<Row> firstNightBefore;
  List<Row> firstNightAfter;
  long rowsBefore;
  long rowsWithAnOrphan;
  long rowsAfter;
  int rerunExit;
  String rerunErr;

  int night(LocalDate date, String... extra) {
    List<String> args = new ArrayList<>(List.of("nightly", "--quotes",
        data.resolve("quotes.csv").toString(), "--purchases", data.resolve("purchases.csv").toString(),
        "--history", history.toString(), "--date", date.toString(), "--quiet"));
    args.addAll(List.of(extra));
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        args.toArray(String[]::new));
    assertTrue(code == 0 || code == 3, date + ": " + err);
    lastErr = err.toString();
    return code;
  }

  Dataset<Row> table(String name) {
    return TestSpark.spark().read().format("delta").load(history.resolve(name).toString());
  }

  List<Row> firstNight() {
    return table(RunLayout.FINDINGS_HISTORY).filter(FIRST_NIGHT)
        .select("level", "comparison", "merchant_id", "sku_id", "currency", "penalty_pct", "flagged")
        .orderBy("level", "comparison", "merchant_id", "sku_id", "currency").collectAsList();
  }

  /**
   * Runs the nights in order, then re-runs the first night over what a killed write leaves in
   * its partition (data files written, no Delta commit), with {@code --alert-on flagged}.
   */
  @BeforeAll
  void runTheNights(@TempDir Path dir) throws Exception {
    data = dir.resolve("data");
    history = dir.resolve("history");
    SampleGenerator.generate(TestSpark.spark(), new SampleGenerator.Spec(60_000, 30, 7,
        Instant.parse(FIRST + "T00:00:00Z"), 11), data.toString(), SampleGenerator.Output.CSV_FILE);
    for (int d = 0; d < NIGHTS; d++) {
      exitCodes.add(night(FIRST.plusDays(d), "--fail-on-new-penalties"));
    }
    firstNightBefore = firstNight();
    rowsBefore = table(RunLayout.FINDINGS_HISTORY).count();
    Path partition = history.resolve(RunLayout.FINDINGS_HISTORY).resolve("run_date=" + FIRST);
    Path orphan = Files.list(partition).filter(p -> p.toString().endsWith(".parquet")).findFirst()
        .orElseThrow();
    Files.copy(orphan, partition.resolve("part-99999-killed-run.snappy.parquet"));
    rowsWithAnOrphan = table(RunLayout.FINDINGS_HISTORY).count();
    rerunExit = night(FIRST, "--fail-on-new-penalties", "--alert-on", "flagged");
    rerunErr = lastErr;
    firstNightAfter = firstNight();
    rowsAfter = table(RunLayout.FINDINGS_HISTORY).count();
  }

  @Test
  void eachNightIsOnePartitionOfTheHistory() {
    List<Row> nights = table(RunLayout.FINDINGS_HISTORY).groupBy("run_date").count()
        .orderBy("run_date").collectAsList();
    assertEquals(NIGHTS, nights.size());
    assertEquals(java.sql.Date.valueOf(FIRST), nights.get(0).getDate(0));
    for (int d = 0; d < NIGHTS; d++) {
      assertTrue(Files.exists(history.resolve("runs").resolve(FIRST.plusDays(d).toString())
          .resolve("report/index.html")));
      assertTrue(Files.exists(history.resolve("runs").resolve(FIRST.plusDays(d).toString())
          .resolve("manifest.json")));
    }
  }

  @Test
  void aStrongPenaltyBuildsAStreakAndAlertsOnceWhenConfirmed() {
    Row head = table(RunLayout.PENALTY_STATUS)
        .filter("run_date = DATE'" + LAST + "' and level = 'sku' and sku_id = 'SKU-0001'"
            + " and comparison = 'loyal_vs_new'").first();
    assertEquals((long) NIGHTS, head.<Long>getAs("streak"));
    assertEquals(true, head.getAs("confirmed"));
    assertEquals(java.sql.Date.valueOf(FIRST), head.getAs("first_flagged"));
    assertEquals(List.of(0, 0, 3), exitCodes.subList(0, 3),
        "the third night in a row confirms the planted penalties: exit 3 for the scheduler");
    Row third = table(RunLayout.PENALTY_STATUS)
        .filter("run_date = DATE'2026-01-07' and sku_id = 'SKU-0001' and comparison = 'loyal_vs_new'")
        .first();
    assertEquals(true, third.getAs("newly_confirmed"));
    assertEquals(false, head.getAs("newly_confirmed"), "a confirmed penalty alerts once");
    // the fourth night alerts only for penalties first flagged on the second, each planted
    List<Row> fourth = table(RunLayout.PENALTY_STATUS)
        .filter("run_date = DATE'" + LAST + "' and newly_confirmed").collectAsList();
    assertEquals(fourth.isEmpty() ? 0 : 3, exitCodes.get(3));
    java.util.Set<String> planted = new java.util.HashSet<>();
    try {
      for (String line : Files.readAllLines(data.resolve("truth.csv")).subList(1, Files
          .readAllLines(data.resolve("truth.csv")).size())) {
        String[] f = line.split(",");
        if (f[4].equals("planted")) {
          planted.add(f[0] + "|" + f[3]);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (Row r : fourth) {
      assertEquals(java.sql.Date.valueOf(FIRST.plusDays(1)), r.getAs("first_flagged"), r.toString());
      if ("sku".equals(r.getAs("level"))) {
        assertTrue(planted.contains(r.getAs("sku_id") + "|" + r.getAs("comparison")), r.toString());
      }
    }
  }

  @Test
  void theNightlyReportListsTonightAgainstEarlierNights() throws Exception {
    Path last = history.resolve("runs").resolve(LAST.toString());
    String html = Files.readString(last.resolve("report/index.html"));
    assertTrue(html.contains("Tonight (" + LAST + ") against earlier nights"));
    assertTrue(html.contains("All confirmed penalties"));
    assertTrue(Files.exists(last.resolve("report/report.pdf")));
    assertTrue(html.contains("SKU-0001"));
    assertTrue(Files.exists(last.resolve("penalty_changes.csv")));
    // each list says how many there are in all (the lists show at most 200 rows)
    String data = Files.readString(last.resolve("report-data.json"));
    long confirmed = table(RunLayout.PENALTY_STATUS)
        .filter("run_date = DATE'" + LAST + "' and confirmed").count();
    assertTrue(confirmed > 0);
    assertTrue(data.replaceAll("\\s", "").contains("\"confirmed_total\":" + confirmed), data);
  }

  /**
   * The first night again, into a history of its own and with its shuffles split into 7
   * partitions instead of 2: its tables are written in other files, the rows of its status
   * come out in another order, and the changes file must not show it.
   */
  @Test
  void theChangesFileDoesNotDependOnHowTheNightsWorkWasSplit(@TempDir Path other)
      throws Exception {
    Path mine = history.resolve("runs").resolve(FIRST.toString()).resolve("penalty_changes.csv");
    List<String> expected = Files.readAllLines(mine);
    assertTrue(expected.size() > 3, "the night's changes: " + expected);
    Path kept = history;
    String partitions = TestSpark.spark().conf().get("spark.sql.shuffle.partitions");
    TestSpark.spark().conf().set("spark.sql.shuffle.partitions", "7");
    try {
      history = other;
      night(FIRST, "--alert-on", "flagged");
    } finally {
      history = kept;
      TestSpark.spark().conf().set("spark.sql.shuffle.partitions", partitions);
    }
    assertEquals(expected, Files.readAllLines(
        other.resolve("runs").resolve(FIRST.toString()).resolve("penalty_changes.csv")));
    // and the order is the key's: its columns lead the file, a null written empty and first
    int keys = PenaltyTracker.KEY.size();
    assertEquals(PenaltyTracker.KEY, List.of(expected.get(0).split(",", -1)).subList(0, keys));
    List<List<String>> rows = expected.subList(1, expected.size()).stream()
        .map(l -> List.of(l.split(",", -1)).subList(0, keys)).toList();
    java.util.Comparator<List<String>> byKey = (a, b) -> {
      for (int i = 0; i < keys; i++) {
        int c = a.get(i).compareTo(b.get(i));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
    assertEquals(rows.stream().sorted(byKey).toList(), rows);
  }

  /**
   * --alert-on flagged exits 3 on the first night, when every planted penalty is new; the
   * default (confirmed) did not alert until the third.
   */
  @Test
  void alertOnFlaggedExitsThreeOnTheFirstNewFlag() {
    assertEquals(0, exitCodes.get(0));
    assertEquals(3, rerunExit, rerunErr);
  }

  @Test
  void rerunningANightReplacesItWithTheSameFindings() {
    assertEquals(firstNightBefore, firstNightAfter);
    assertEquals(rowsBefore, rowsAfter, "no duplicates");
    assertTrue(rerunErr.contains("warning: the history has " + (NIGHTS - 1) + " night(s) after "
        + FIRST), rerunErr);
  }

  @Test
  void aWriteKilledBeforeItsCommitLeavesTheHistoryConsistent() {
    assertEquals(rowsBefore, rowsWithAnOrphan, "uncommitted files are invisible");
    assertEquals(rowsBefore, rowsAfter, "the re-run commits one result");
  }

  /**
   * A day with no valid quote (here a day before the generated week; the log's undatable rows
   * are in every day's scope) exits 2 and writes nothing, so the history does not record an
   * empty night as one where nothing was flagged.
   */
  @Test
  void aDayWithoutValidQuotesExitsTwoAndWritesNothing() {
    LocalDate empty = FIRST.minusDays(10);
    long before = table(RunLayout.FINDINGS_HISTORY).count();
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "nightly", "--quotes", data.resolve("quotes.csv").toString(), "--purchases",
        data.resolve("purchases.csv").toString(), "--history", history.toString(), "--date",
        empty.toString(), "--quiet");
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().startsWith("error: no valid quotes from "), err.toString());
    assertEquals(before, table(RunLayout.FINDINGS_HISTORY).count());
    assertEquals(0, table(RunLayout.QUARANTINE_HISTORY)
        .filter("run_date = date'" + empty + "'").count());
    assertTrue(Files.notExists(history.resolve("runs").resolve(empty.toString())
        .resolve("manifest.json")));
  }

  @Test
  void badDateExitsTwo() {
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "nightly", "--quotes", "q", "--purchases", "p", "--history", "h", "--date", "2026-02-30");
    assertEquals(2, code);
    assertEquals("error: --date must be a date such as 2026-01-31, not 2026-02-30\n", err.toString());
  }
}
