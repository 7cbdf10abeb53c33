package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;

/**
 * A small handmade log: members pay exactly 8% more for two SKUs whose ids are hostile (markup
 * and a spreadsheet formula). The deterministic surcharge must be found without dividing by zero,
 * and the ids must come out inert in the report and the CSV.
 */
class HostileInputAuditTest {
  static final String SCRIPT_SKU = "<script>alert('x')</script>";
  static final String FORMULA_SKU = "=HYPERLINK(\"http://evil\",\"x\")";

  @Test
  void deterministicSurchargeIsFlaggedAndHostileIdsAreNeutralised(@TempDir Path dir) throws Exception {
    List<String> quotes = new ArrayList<>();
    quotes.add("quote_id,customer_id,sku_id,quoted_at,price,currency,channel");
    List<String> purchases = new ArrayList<>();
    purchases.add("customer_id,purchased_at");
    for (int c = 0; c < 12; c++) {
      // an old purchase, outside the lookback, so the history covers a full year before the quotes
      purchases.add(String.format("L%02d,2024-06-01T10:00:00Z", c));
      for (int p = 0; p < 6; p++) {
        purchases.add(String.format("L%02d,2025-%02d-15T10:00:00Z", c, 1 + p));
      }
    }
    int id = 0;
    for (String sku : List.of(SCRIPT_SKU, FORMULA_SKU)) {
      String quotedSku = "\"" + sku.replace("\"", "\"\"") + "\"";
      for (int h = 0; h < 10; h++) {
        for (int k = 0; k < 2; k++) {
          String at = String.format("2026-01-05T%02d:%02d:00Z", 8 + h, 10 * k);
          int customer = (h * 2 + k) % 12;
          quotes.add(String.format("q%d,N%02d,%s,%s,10.00,EUR,web", id++, customer, quotedSku, at));
          quotes.add(String.format("q%d,L%02d,%s,%s,10.80,EUR,web", id++, customer, quotedSku, at));
        }
      }
    }
    Files.write(dir.resolve("quotes.csv"), quotes);
    Files.write(dir.resolve("purchases.csv"), purchases);
    Path out = dir.resolve("out");
    TestSpark.spark();
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "audit", "--quotes", dir.resolve("quotes.csv").toString(), "--purchases",
        dir.resolve("purchases.csv").toString(), "--out", out.toString(), "--quiet");
    assertEquals(0, code, err.toString());

    List<Row> loyal = TestSpark.spark().read().format("delta").load(out.resolve("findings").toString())
        .filter("level = 'sku' and comparison = 'loyal_vs_new'").collectAsList();
    assertEquals(2, loyal.size());
    for (Row r : loyal) {
      assertEquals(8.0, r.<Double>getAs("penalty_pct"), 1e-9, "the exact surcharge: " + r);
      assertTrue(Double.isFinite(r.<Double>getAs("std_error_log")) && r.<Double>getAs("std_error_log") > 0);
      assertEquals(true, r.getAs("flagged"), r.toString());
    }

    String html = Files.readString(out.resolve("report/index.html"));
    assertFalse(html.contains(SCRIPT_SKU), "markup from the data is escaped");
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "and still shown");
    for (String file : List.of("findings.csv", "report/evidence-annex.csv")) {
      String csv = Files.readString(out.resolve(file));
      assertFalse(csv.contains("," + FORMULA_SKU.substring(0, 10))
          || csv.startsWith(FORMULA_SKU.substring(0, 10))
          || csv.contains("\n" + FORMULA_SKU.substring(0, 10)), "no cell starts with = in " + file);
      assertTrue(csv.contains("'=HYPERLINK"), "the formula is shown inert in " + file);
    }
    assertTrue(Files.readString(out.resolve("report/evidence-annex.csv")).contains("'<script>")
        || Files.readString(out.resolve("report/evidence-annex.csv")).contains("<script>"),
        "both hostile SKUs have annex rows");
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(out.resolve("report/report.json").toFile());
    assertEquals(2, json.get("flagged").size(), "12 customers per cohort: published at k = 10");
    assertTrue(org.loyaltypenalty.report.PdfText.of(Files.readAllBytes(out.resolve("report/report.pdf")))
        .contains("HYPERLINK"));
  }
}
