package org.loyaltypenalty.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report's part on what the customer paid, on the renderer's fixture with report data
 * {@code paid} planted here: a flagged total split into price, coupon and fee parts, a fee
 * penalty with no price penalty, and a row below k.
 */
class PaidReportTest {

  static Map<String, Object> gap(String sku, String outcome, double pct, double gap,
      long customers, String priceStatus, Double price, Double fee, Double coupon) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("sku_id", sku);
    r.put("currency", "CNY");
    r.put("comparison", "loyal_vs_new");
    r.put("outcome", outcome);
    r.put("penalty_pct", pct);
    r.put("ci_low_pct", pct - 2);
    r.put("ci_high_pct", pct + 2);
    r.put("q_value", 1e-6);
    r.put("gap", gap);
    r.put("reference_mean", 22.0);
    r.put("customers_reference", 40);
    r.put("customers_compared", customers);
    r.put("price_status", priceStatus);
    r.put("part_list", null);
    r.put("part_discount", null);
    r.put("part_price", price);
    r.put("part_fee", fee);
    r.put("part_coupon", coupon);
    return r;
  }

  static Map<String, Object> data() throws IOException {
    Map<String, Object> data = ReportRendererTest.fixture("report-data.json");
    List<Map<String, Object>> paid = new ArrayList<>();
    paid.add(gap("MEAL-7", "fee", 18.18, 4.0, 40, "no_material_penalty", null, null, null));
    paid.add(gap("MEAL-7", "total", 19.55, 4.3, 40, "no_material_penalty", 0.06, 4.0, 0.24));
    paid.add(gap("MEAL-9", "total", 30.0, 6.6, 3, "penalty", 6.6, 0.0, 0.0));
    data.put("paid", paid);
    return data;
  }

  @Test
  void bothLanguagesSplitTheFlaggedTotalAndShowTheFeePenalty() throws IOException {
    for (String lang : Messages.LANGUAGES) {
      Messages m = new Messages(lang);
      String html = ReportRendererTest.render(data(), lang, 10).html();
      assertTrue(html.contains(m.text("paid.title")), lang);
      assertTrue(html.contains(m.text("paid.outcome.fee")), lang);
      assertTrue(html.contains(m.text("paid.col.fee")), lang);
      assertTrue(html.contains(">4.00<") && html.contains(">0.24<") && html.contains(">0.06<"),
          lang + ": the parts of MEAL-7's total");
      assertTrue(html.contains(m.text("status.no_material_penalty")), lang
          + ": the unit price's status beside the fee penalty");
      assertFalse(html.contains(">6.60<"), lang + ": MEAL-9 compares 3 customers: suppressed");
    }
  }

  @Test
  void reportJsonCarriesThePaidGapsWithTheirPartsAndSuppression() throws IOException {
    JsonNode paid = new ObjectMapper().readTree(ReportRendererTest.render(data(), "en", 10)
        .json()).get("paid");
    assertEquals(3, paid.size());
    JsonNode total = paid.get(1);
    assertEquals("total", total.get("outcome").asText());
    assertEquals(4.3, total.get("part_price").asDouble() + total.get("part_fee").asDouble()
        + total.get("part_coupon").asDouble(), 1e-9, "the parts add up to the gap");
    assertEquals(4.3, total.get("gap").asDouble(), 1e-12);
    assertTrue(total.get("part_list").isNull(), "no list price: the price part stands alone");
    assertFalse(total.get("suppressed").asBoolean());
    JsonNode small = paid.get(2);
    assertTrue(small.get("suppressed").asBoolean());
    assertTrue(small.get("gap").isNull() && small.get("part_price").isNull()
        && small.get("penalty_pct").isNull());
  }

  /** A membership tier's fee gap (the Meituan case): diamond members against none. */
  static Map<String, Object> tierFee() {
    Map<String, Object> r = gap("MEAL-3", "fee", 18.18, 4.0, 40, "no_material_penalty", null,
        null, null);
    r.put("segment", "member_tier");
    r.put("comparison", "diamond_vs_none");
    r.put("compared", "diamond");
    r.put("reference", "none");
    return r;
  }

  @Test
  void bothLanguagesNameASegmentsMoneyGapByItsAttributeAndLevels() throws IOException {
    for (String lang : Messages.LANGUAGES) {
      Messages m = new Messages(lang);
      Map<String, Object> data = data();
      data.put("paid", List.of(tierFee()));
      String html = ReportRendererTest.render(data, lang, 10).html();
      String comparison = m.text("segments.comparison", "compared", "diamond", "reference",
          "none");
      String label = m.text("paid.segment_label", "sku", "MEAL-3", "currency", "CNY",
          "segment", m.text("segments.name.member_tier"), "comparison", comparison);
      assertTrue(html.contains(label), lang + ": " + label);
      assertTrue(html.contains(m.text("paid.outcome.fee")) && html.contains(">4.00<"), lang);
    }
  }

  @Test
  void reportJsonCarriesASegmentsMoneyGapWithItsLevels() throws IOException {
    Map<String, Object> data = data();
    data.put("paid", List.of(tierFee()));
    JsonNode row = new ObjectMapper().readTree(ReportRendererTest.render(data, "zh-CN", 10)
        .json()).get("paid").get(0);
    assertEquals("member_tier", row.get("segment").asText());
    assertEquals("diamond", row.get("compared").asText());
    assertEquals("none", row.get("reference").asText());
    assertEquals("fee", row.get("outcome").asText());
    assertEquals(4.0, row.get("gap").asDouble(), 1e-12);
  }

  @Test
  void withoutFeeOrCouponTheReportHasNoPaidPart() throws IOException {
    ReportRenderer.Rendered r = ReportRendererTest.render(
        ReportRendererTest.fixture("report-data.json"), "en", 10);
    assertFalse(r.html().contains(new Messages("en").text("paid.title")));
    assertFalse(new ObjectMapper().readTree(r.json()).has("paid"));
  }
}
