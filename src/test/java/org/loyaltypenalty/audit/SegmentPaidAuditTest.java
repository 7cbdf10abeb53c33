package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;

/**
 * What a membership tier paid, through a whole audit of a small handmade log: the Meituan case
 * by tier (diamond members pay a fee of 6 against 2 at the same price) is flagged on the tier's
 * fee and total, in the findings, the report data and {@code report.json}; a tier's fee gap that
 * only a disclosed offer (free delivery for some of the other tier's quotes) makes is
 * re-estimated without the offer's quotes and explained by it.
 */
class SegmentPaidAuditTest {

  /**
   * SKU "meal": 12 diamond and 12 non-member customers, 4 quotes each in 4 hours, the same
   * prices; diamond members pay a fee of 6.00 and the others 2.00, and half of the others'
   * quotes carry the disclosed offer WELCOME without changing their fee. SKU "snack": the same,
   * but the fee is 4.00 for everyone except the others' WELCOME quotes, which are delivered
   * free.
   */
  private static List<String> quotes() {
    List<String> out = new ArrayList<>();
    out.add("quote_id,customer_id,sku_id,quoted_at,price,currency,member_tier,fee,offer_id");
    int id = 0;
    for (String sku : List.of("meal", "snack")) {
      for (int h = 0; h < 4; h++) {
        for (int c = 0; c < 12; c++) {
          String at = String.format(Locale.ROOT, "2026-01-05T%02d:%02d:00Z", 8 + h, 4 * c);
          String price = String.format(Locale.ROOT, "%.2f", 20 + 0.01 * ((c + h) % 3 - 1));
          boolean offer = h % 2 == 0;
          String memberFee = sku.equals("meal") ? "6.00" : "4.00";
          String otherFee = sku.equals("meal") ? "2.00" : offer ? "0.00" : "4.00";
          out.add(String.format("q%d,D%02d,%s,%s,%s,CNY,diamond,%s,", id++, c, sku, at, price,
              memberFee));
          out.add(String.format("q%d,N%02d,%s,%s,%s,CNY,none,%s,%s", id++, c, sku, at, price,
              otherFee, offer ? "WELCOME" : ""));
        }
      }
    }
    return out;
  }

  @Test
  void aTiersFeePenaltyIsFlaggedReportedAndReestimatedWithoutTheDisclosedOffer(
      @TempDir Path dir) throws Exception {
    Files.write(dir.resolve("quotes.csv"), quotes());
    Files.write(dir.resolve("purchases.csv"),
        List.of("customer_id,purchased_at", "Z01,2024-06-01T10:00:00Z"));
    Files.writeString(dir.resolve("audit.properties"), "segments = member_tier\n"
        + "segment.member_tier.reference = none\noffers.disclosed = WELCOME\n");
    Path out = CliAudit.run(dir);

    Map<String, Row> tier = new HashMap<>();
    for (Row r : TestSpark.spark().read().format("delta").load(out.resolve("findings").toString())
        .filter("level = 'sku' and segment = 'member_tier'").collectAsList()) {
      assertEquals("diamond_vs_none", r.getAs("comparison"));
      tier.put(r.getAs("sku_id") + "/" + r.getAs("outcome"), r);
    }
    assertEquals(java.util.Set.of("meal/price", "meal/total", "meal/fee", "snack/price",
        "snack/total", "snack/fee"), tier.keySet(), "no coupon column: no coupon rows");

    Row price = tier.get("meal/price");
    assertFalse(price.<Boolean>getAs("flagged"), "the same prices: " + price);
    Row fee = tier.get("meal/fee");
    assertEquals("penalty", fee.getAs("status"), fee.toString());
    assertTrue(fee.<Boolean>getAs("flagged"), fee.toString());
    assertNotNull(fee.getAs("q_value"), "in the run's family: " + fee);
    assertEquals(4.0, fee.<Double>getAs("estimate_money"), 1e-9, "6 against 2");
    assertEquals(22.0, fee.<Double>getAs("reference_mean"), 0.01, "the non-members' total");
    assertEquals(100 * 4.0 / fee.<Double>getAs("reference_mean"),
        fee.<Double>getAs("penalty_pct"), 1e-9, "in % of the reference level's total");
    assertEquals(fee.<Double>getAs("penalty_pct"),
        fee.<Double>getAs("penalty_pct_without_disclosed"), 0.05,
        "the same gap without the offer's quotes: still a penalty");
    assertTrue(tier.get("meal/total").<Boolean>getAs("flagged"), tier.get("meal/total").toString());

    Row snack = tier.get("snack/fee");
    assertEquals("explained_by_disclosed_offer", snack.getAs("status"), snack.toString());
    assertFalse(snack.<Boolean>getAs("flagged"), snack.toString());
    assertTrue(snack.<Double>getAs("penalty_pct") > 5, "a gap with every quote: " + snack);
    assertEquals(0.0, snack.<Double>getAs("penalty_pct_without_disclosed"), 0.05,
        "none without the free deliveries: " + snack);
    assertEquals("explained_by_disclosed_offer", tier.get("snack/total").getAs("status"));

    JsonNode paid = new ObjectMapper().readTree(out.resolve("report/report.json").toFile())
        .get("paid");
    Map<String, JsonNode> rows = new HashMap<>();
    for (JsonNode r : paid) {
      rows.put(r.get("segment").asText() + "/" + r.get("sku_id").asText() + "/"
          + r.get("outcome").asText(), r);
    }
    assertEquals(java.util.Set.of("member_tier/meal/fee", "member_tier/meal/total"),
        rows.keySet(), "the flagged money gaps; the one explained is not among them");
    JsonNode total = rows.get("member_tier/meal/total");
    assertEquals("diamond", total.get("compared").asText());
    assertEquals("none", total.get("reference").asText());
    assertEquals("no_material_penalty", rows.get("member_tier/meal/fee").get("price_status")
        .asText(), "no price penalty beside the fee penalty");
    assertEquals(4.0, total.get("part_fee").asDouble(), 1e-9, "the fee part");
    assertEquals(total.get("gap").asDouble(), total.get("part_price").asDouble()
        + total.get("part_fee").asDouble(), 1e-9, "the parts add up to the gap");
    assertTrue(total.get("part_coupon").isNull(), "no coupon column");
  }
}
