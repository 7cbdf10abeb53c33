package org.loyaltypenalty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console summary of a run that stands on little: its headline says so before anything else;
 * and the quarantine is also a CSV file, counted in the manifest.
 */
class AuditSummaryTest {
  @Test
  void runThatTestedNothingLeadsWithItWarnsOfTheQuarantineShareAndWritesItsCsv(@TempDir Path dir)
      throws Exception {
    List<String> quotes = new ArrayList<>();
    quotes.add("quote_id,customer_id,sku_id,quoted_at,price,currency");
    int id = 0;
    for (int c = 0; c < 6; c++) {
      // R customers quote first on the 2nd (new then), and again on the 5th (repeat)
      quotes.add(String.format("q%d,R%d,s1,2026-01-02T10:%02d:00Z,10.00,GBP", id++, c, c));
      quotes.add(String.format("q%d,R%d,s1,2026-01-05T10:%02d:00Z,10.50,GBP", id++, c, c));
      quotes.add(String.format("q%d,N%d,s1,2026-01-05T10:%02d:00Z,10.00,GBP", id++, c, c));
    }
    quotes.add("q-bad,N9,s1,2026-01-05T10:00:00Z,abc,GBP");
    Files.write(dir.resolve("quotes.csv"), quotes);
    Path cfg = dir.resolve("audit.properties");
    // 6 customers and 6 quotes per cohort: too few quotes for a floor of 20
    Files.writeString(cfg, "cohort.lookback_days = 7\ncohort.history_start = 2025-12-01\n"
        + "test.min_quotes_per_cohort = 20\n");
    Path out = dir.resolve("out");
    CliErrorsTest.Outcome o = CliErrorsTest.run("audit", "--quotes",
        dir.resolve("quotes.csv").toString(), "--config", cfg.toString(), "--out", out.toString(),
        "--quiet");
    assertEquals(0, o.code(), o.err());
    List<String> lines = o.out().lines().toList();
    assertTrue(lines.get(0).startsWith("NOTHING TESTED: none of the ")
        && lines.get(0).endsWith(" SKU comparisons had enough quotes and customers in both cohorts"
            + " (test.min_quotes_per_cohort 20, test.min_customers_per_cohort 5); this is not a"
            + " finding of no penalty"), o.out());
    assertEquals("warning: 5.3% of the quotes are quarantined (1 of 19;"
        + " quality.max_quarantine_share 0.05): the findings stand on the valid rows only; the"
        + " reasons are in the manifest", lines.get(1), o.out());
    assertTrue(lines.get(2).startsWith("audit "), o.out());

    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals("{\"rows_written\":1,\"rows_in_quarantine\":1,\"max_rows\":100000}",
        manifest.path("counts").path("quarantine_csv").toString());
    List<String> csv = Files.readAllLines(out.resolve("quarantine.csv"));
    assertEquals(2, csv.size(), "a header and the one quarantined row: " + csv);
    assertTrue(csv.get(1).startsWith("quotes,unparseable_price,"), csv.get(1));
    JsonNode quality = manifest.path("results").path("quality");
    assertEquals("[\"nothing_tested\",\"quote_quarantine_above_limit\"]",
        quality.path("warnings").toString());
    assertEquals(1.0 / 19, quality.path("quote_quarantine_share").asDouble(), 1e-12);
  }
}
