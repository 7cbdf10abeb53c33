package org.loyaltypenalty.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    new NightlySink(TestSpark.spark(), history, LocalDate.of(2026, 1, 1), 3)
        .writeQuarantine(before);
    Dataset<Row> after = TestSpark.strings(List.of("source", "reason", "detail"),
        List.of(List.of("quotes", "missing_sku_id", "new in this version")));
    new NightlySink(TestSpark.spark(), history, LocalDate.of(2026, 1, 2), 3)
        .writeQuarantine(after);

    List<Row> rows = TestSpark.spark().read().format("delta")
        .load(dir.resolve(RunLayout.QUARANTINE_HISTORY).toString())
        .orderBy("run_date").select("run_date", "detail").collectAsList();
    assertEquals(2, rows.size());
    assertEquals(null, rows.get(0).get(1));
    assertEquals("new in this version", rows.get(1).getString(1));
  }
}
