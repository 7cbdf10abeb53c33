package org.loyaltypenalty.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.io.RunLayout;

/** The history tables across versions of the tool. */
class NightlySinkTest {
  /**
   * A night written by a version whose rows have a column more than the table's: the partition
   * is committed, the column added, and the older night reads it as null.
   */
  @Test
  void aNightWithANewColumnIsMergedIntoTheHistorysSchema(@TempDir Path dir) {
    String history = dir.toString();
    Dataset<Row> before = TestSpark.strings(List.of("source", "reason"),
        List.of(List.of("quotes", "missing_sku_id")));
    new NightlySink(TestSpark.spark(), history, LocalDate.of(2026, 1, 1), 3, 0)
        .writeQuarantine(before);
    Dataset<Row> after = TestSpark.strings(List.of("source", "reason", "detail"),
        List.of(List.of("quotes", "missing_sku_id", "new in this version")));
    new NightlySink(TestSpark.spark(), history, LocalDate.of(2026, 1, 2), 3, 0)
        .writeQuarantine(after);

    List<Row> rows = TestSpark.spark().read().format("delta")
        .load(dir.resolve(RunLayout.QUARANTINE_HISTORY).toString())
        .orderBy("run_date").select("run_date", "detail").collectAsList();
    assertEquals(2, rows.size());
    assertEquals(null, rows.get(0).get(1));
    assertEquals("new in this version", rows.get(1).getString(1));
  }

  /**
   * A week of nights, the last with {@code nightly.retain_days = 3}: the quarantine of the first four is
   * gone from the table, from its files on disk (no data file and no log entry holds their
   * rows) and from their run folders; the findings' nights are not touched.
   */
  @Test
  void aWeekOfNightsKeepsOnlyTheLastThreeNightsOfRowLevelDataOnDisk(@TempDir Path dir)
      throws Exception {
    String history = dir.toString();
    LocalDate first = LocalDate.of(2026, 3, 1);
    for (int night = 0; night < 7; night++) {
      LocalDate date = first.plusDays(night);
      Dataset<Row> rows = TestSpark.strings(List.of("source", "reason", "raw"),
          List.of(List.of("quotes", "missing_sku_id", "{\"customer_id\":\"row-of-night-" + night
              + "\"}")));
      // the retention applies on the last night (each night's deletion is the same step)
      NightlySink sink = new NightlySink(TestSpark.spark(), history, date, 3, night == 6 ? 3 : 0);
      sink.writeQuarantine(rows);
      sink.writeCsv(RunLayout.QUARANTINE_CSV, rows);
      sink.runFiles().writeText(RunLayout.MANIFEST, "{}");
    }

    String table = dir.resolve(RunLayout.QUARANTINE_HISTORY).toString();
    List<String> nights = TestSpark.spark().read().format("delta").load(table)
        .select("run_date").distinct().orderBy("run_date").collectAsList().stream()
        .map(r -> r.get(0).toString()).toList();
    assertEquals(List.of("2026-03-05", "2026-03-06", "2026-03-07"), nights);

    List<Path> files;
    try (var walk = java.nio.file.Files.walk(dir.resolve(RunLayout.QUARANTINE_HISTORY))) {
      files = walk.filter(java.nio.file.Files::isRegularFile).toList();
    }
    java.util.Set<String> onDisk = new java.util.TreeSet<>();
    for (Path f : files) {
      String bytes = new String(java.nio.file.Files.readAllBytes(f),
          java.nio.charset.StandardCharsets.ISO_8859_1);
      if (f.getFileName().toString().endsWith(".parquet")) {
        // a data file, or a checkpoint of the log: its rows as Spark reads them decompressed
        List<String> rows = TestSpark.spark().read().parquet(f.toString()).toJSON()
            .collectAsList();
        bytes = bytes + String.join("\n", rows);
        if (!f.toString().contains("_delta_log")) {
          rows.forEach(r -> onDisk.add(r.replaceAll(".*row-of-night-(\\d).*", "$1")));
        }
      }
      for (int night = 0; night < 4; night++) {
        assertFalse(bytes.contains("row-of-night-" + night), f + " holds night " + night);
      }
    }
    assertEquals(java.util.Set.of("4", "5", "6"), onDisk);

    for (int night = 0; night < 7; night++) {
      Path run = Path.of(RunLayout.nightRun(history, first.plusDays(night)));
      assertEquals(night >= 4, java.nio.file.Files.exists(run.resolve(RunLayout.QUARANTINE_CSV)),
          "night " + night + "'s quarantine.csv");
      assertTrue(java.nio.file.Files.exists(run.resolve(RunLayout.MANIFEST)));
    }
  }
}
