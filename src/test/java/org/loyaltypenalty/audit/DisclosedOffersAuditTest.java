package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;

/**
 * An audit of a small handmade log where new customers pay less on two SKUs for the same reason,
 * a 10% offer given to half of them, announced on one SKU and personalised on the other. On
 * {@code sku_open} the offer is {@code NEWUSER}, listed in {@code offers.disclosed}: without its
 * quotes the new customers pay what loyal ones pay, so the penalty the run flags with every quote
 * is {@code explained_by_disclosed_offer} and not flagged. On {@code sku_hidden} the same
 * discount is offer {@code P123}, not listed: personalised, it stays in and the penalty stays
 * flagged, with no re-estimate.
 */
class DisclosedOffersAuditTest {
  private static final int CUSTOMERS = 12;
  private static final int HOURS = 10;

  @Test
  void aDisclosedNewUserOfferExplainsTheGapAndAnUndisclosedOneStaysFlagged(@TempDir Path dir)
      throws Exception {
    List<String> purchases = new ArrayList<>();
    purchases.add("customer_id,purchased_at");
    for (int c = 0; c < CUSTOMERS; c++) {
      purchases.add(String.format("L%02d,2024-06-01T10:00:00Z", c));
      for (int p = 0; p < 6; p++) {
        purchases.add(String.format("L%02d,2025-%02d-15T10:00:00Z", c, 1 + p));
      }
    }
    List<String> quotes = new ArrayList<>();
    quotes.add("quote_id,customer_id,sku_id,quoted_at,price,currency,offer_id");
    int id = 0;
    for (String[] sku : new String[][] {{"sku_open", "NEWUSER"}, {"sku_hidden", "P123"}}) {
      for (int h = 0; h < HOURS; h++) {
        for (int c = 0; c < CUSTOMERS; c++) {
          String at = String.format("2026-01-05T%02d:%02d:00Z", 8 + h, 2 * c);
          double price = 10.00 + 0.01 * ((h + c) % 3);
          // half the new customers always take the offer (10% off), the other half never
          boolean offer = c < CUSTOMERS / 2;
          quotes.add(String.format(Locale.ROOT, "q%d,N%02d,%s,%s,%.2f,EUR,%s", id++, c, sku[0],
              at, offer ? price * 0.9 : price, offer ? sku[1] : ""));
          quotes.add(String.format(Locale.ROOT, "q%d,L%02d,%s,%s,%.2f,EUR,", id++, c, sku[0], at,
              price));
        }
      }
    }
    Files.write(dir.resolve("quotes.csv"), quotes);
    Files.write(dir.resolve("purchases.csv"), purchases);
    Files.writeString(dir.resolve("audit.properties"), "offers.disclosed = NEWUSER\n");
    Path out = dir.resolve("out");
    TestSpark.spark();
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "audit", "--quotes", dir.resolve("quotes.csv").toString(), "--purchases",
        dir.resolve("purchases.csv").toString(), "--config",
        dir.resolve("audit.properties").toString(), "--out", out.toString(), "--quiet");
    assertEquals(0, code, err.toString());

    Row open = loyalVsNew(out, "sku_open");
    Row hidden = loyalVsNew(out, "sku_hidden");
    // with every quote the two SKUs are the same: new customers pay about 5% less
    assertEquals(open.<Double>getAs("penalty_pct"), hidden.<Double>getAs("penalty_pct"), 1e-9);
    assertTrue(open.<Double>getAs("penalty_pct") > 4, "the gap with every quote: " + open);

    assertEquals("explained_by_disclosed_offer", open.getAs("status"), open.toString());
    assertFalse(open.<Boolean>getAs("flagged"));
    assertNotNull(open.getAs("q_value"), "it stays in the run's family with its q-value");
    assertEquals(0.0, open.<Double>getAs("penalty_pct_without_disclosed"), 0.5,
        "without the offer's quotes new customers pay what loyal ones pay: " + open);
    assertTrue(open.<Double>getAs("ci_low_pct_without_disclosed") <= 0
        && open.<Double>getAs("ci_high_pct_without_disclosed") >= 0, open.toString());
    assertTrue(open.<Double>getAs("p_value_without_disclosed") > 0.05, open.toString());
    assertTrue(open.<String>getAs("context").contains("re-estimated without the quotes carrying"
        + " a disclosed offer"), open.<String>getAs("context"));

    assertEquals("penalty", hidden.getAs("status"), "a personalised offer stays in: " + hidden);
    assertTrue(hidden.<Boolean>getAs("flagged"));
    for (String c : List.of("penalty_pct_without_disclosed", "ci_low_pct_without_disclosed",
        "ci_high_pct_without_disclosed", "p_value_without_disclosed")) {
      assertTrue(hidden.isNullAt(hidden.fieldIndex(c)), "no re-estimate: " + c + " " + hidden);
    }

    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(out.resolve("manifest.json").toFile());
    JsonNode offers = manifest.get("disclosed_offers");
    assertEquals("[\"NEWUSER\"]", offers.get("offers_disclosed").toString());
    long disclosed = (long) HOURS * CUSTOMERS / 2;
    assertEquals(disclosed, offers.get("quotes_with_disclosed_offer").asLong());
    assertEquals(2 * disclosed, offers.get("quotes_with_offer").asLong());
    assertEquals(1, offers.get("sku_comparisons_reestimated").asLong());
    assertEquals(1, offers.get("sku_comparisons_explained").asLong());
    assertEquals("NEWUSER", manifest.at("/config/offers.disclosed").asText());
    assertEquals(1, manifest.at("/results/sku_comparisons_flagged").asLong(),
        "the explained comparison is not counted as flagged");

    // coverage by outcome: sku_open's loyal quotes are explained, sku_hidden's flagged
    java.util.Map<String, Long> coverage = new java.util.TreeMap<>();
    for (JsonNode c : json.readTree(out.resolve("report-data.json").toFile())
        .at("/figures/coverage_by_outcome")) {
      coverage.merge(c.get("outcome").asText(), c.get("quotes").asLong(), Long::sum);
    }
    assertEquals(java.util.Map.of("explained", (long) HOURS * CUSTOMERS,
        "flagged", (long) HOURS * CUSTOMERS), coverage);

    JsonNode report = json.readTree(out.resolve("report").resolve("report.json").toFile());
    JsonNode rows = report.at("/disclosed_offers/comparisons");
    assertEquals(1, rows.size(), rows.toString());
    assertEquals("sku_open", rows.get(0).get("sku_id").asText());
    assertEquals("explained_by_disclosed_offer", rows.get(0).get("status").asText());
    assertEquals(open.<Double>getAs("penalty_pct_without_disclosed"),
        rows.get(0).get("penalty_pct_without_disclosed").asDouble(), 1e-12);
    assertEquals(disclosed, report.at("/disclosed_offers/quotes_with_disclosed_offer").asLong());

    Path zh = out.resolve("report-zh");
    assertEquals(0, LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), "report", "--run", out.toString(), "--lang", "zh-CN",
        "--out", zh.toString()));
    String en = Files.readString(out.resolve("report").resolve("index.html"));
    String chinese = Files.readString(zh.resolve("index.html"));
    for (String html : List.of(en, chinese)) {
      assertTrue(html.contains("id=\"disclosed-offers\""), "the section in both languages");
      assertTrue(html.contains("sku_open"), "the explained comparison is listed");
    }
    assertTrue(en.contains("explained by a disclosed offer"));
    assertTrue(en.contains("Explained by a disclosed offer"), "the coverage table's row");
    assertTrue(chinese.contains("由公开优惠解释"));
  }

  private static Row loyalVsNew(Path out, String sku) {
    List<Row> rows = TestSpark.spark().read().format("delta")
        .load(out.resolve("findings").toString())
        .filter(String.format("level = 'sku' and sku_id = '%s' and comparison = 'loyal_vs_new'",
            sku)).collectAsList();
    assertEquals(1, rows.size(), sku + ": " + rows);
    return rows.get(0);
  }
}
