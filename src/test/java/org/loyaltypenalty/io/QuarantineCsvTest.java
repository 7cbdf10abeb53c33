package org.loyaltypenalty.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;

/** The quarantine as a CSV beside its Delta table: capped, in a fixed order, formula-safe, counted. */
class QuarantineCsvTest {
  @Test
  void firstRowsInSourceReasonRawOrderUpToTheCapAndTheManifestCountsAll(@TempDir Path dir)
      throws Exception {
    Dataset<Row> quarantine = TestSpark.strings(List.of("source", "reason", "raw", "run_id"),
        List.of(List.of("quotes", "unparseable_price", "{\"price\":\"12,50\"}", "r1"),
            List.of("purchases", "missing_purchased_at", "{\"customer_id\":\"c9\"}", "r1"),
            List.of("quotes", "missing_price", "=1+1", "r1"),
            List.of("quotes", "unparseable_price", "{\"price\":\"3,10\"}", "r1"),
            List.of("quotes", "missing_customer_id", "{\"quote_id\":\"q4\"}", "r1")));
    Map<String, Object> entry = QuarantineCsv.write(
        new DirectorySink(TestSpark.spark(), dir.toString()), quarantine, 5, 3);
    assertEquals(Map.of("rows_written", 3L, "rows_in_quarantine", 5L, "max_rows", 3), entry);
    assertEquals(List.of("source,reason,raw,run_id",
            "purchases,missing_purchased_at,\"{\"\"customer_id\"\":\"\"c9\"\"}\",r1",
            "quotes,missing_customer_id,\"{\"\"quote_id\"\":\"\"q4\"\"}\",r1",
            "quotes,missing_price,'=1+1,r1"),
        Files.readAllLines(dir.resolve("quarantine.csv")), "sorted, capped, the formula inert");
  }
}
