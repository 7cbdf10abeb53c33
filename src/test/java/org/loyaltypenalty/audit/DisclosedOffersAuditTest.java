package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;

/**
 * An audit of a small handmade log ({@link OfferLog}) where new customers pay less on two SKUs
 * for the same reason, a 10% offer given to half of them, announced on one SKU and personalised on the other. On
 * {@code sku_open} the offer is {@code NEWUSER}, listed in {@code offers.disclosed}: without its
 * quotes the new customers pay what loyal ones pay, so the penalty the run flags with every quote
 * is {@code explained_by_disclosed_offer} and not flagged. On {@code sku_hidden} the same
 * discount is offer {@code P123}, not listed: personalised, it stays in and the penalty stays
 * flagged, with no re-estimate.
 */
class DisclosedOffersAuditTest {
  private static final int CUSTOMERS = OfferLog.CUSTOMERS;
  private static final int HOURS = OfferLog.HOURS;

  @Test
  void aDisclosedNewUserOfferExplainsTheGapAndAnUndisclosedOneStaysFlagged(@TempDir Path dir)
      throws Exception {
    OfferLog.write(dir, List.of(new OfferLog.Sku("sku_open", null, "NEWUSER", false),
        new OfferLog.Sku("sku_hidden", null, "P123", false)));
    Files.writeString(dir.resolve("audit.properties"), "offers.disclosed = NEWUSER\n");
    Path out = CliAudit.run(dir);

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
    // the SKU comparison, and the platform's roll-up that pools it (DisclosedOfferRollupAuditTest)
    assertEquals(offers.get("sku_comparisons_reestimated").asLong()
        + offers.get("merchant_rollups_reestimated").asLong(), rows.size(), rows.toString());
    assertEquals(1, offers.get("merchant_rollups_reestimated").asLong(), rows.toString());
    assertEquals("sku_open", rows.get(0).get("sku_id").asText());
    assertEquals("explained_by_disclosed_offer", rows.get(0).get("status").asText());
    assertEquals(open.<Double>getAs("penalty_pct_without_disclosed"),
        rows.get(0).get("penalty_pct_without_disclosed").asDouble(), 1e-12);
    assertEquals(disclosed, report.at("/disclosed_offers/quotes_with_disclosed_offer").asLong());

    Path zh = CliAudit.reportInChinese(out);
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
