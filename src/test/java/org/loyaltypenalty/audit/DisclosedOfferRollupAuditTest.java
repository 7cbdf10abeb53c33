package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;

/**
 * Merchant roll-ups re-estimated without the disclosed offers' quotes, on a handmade log
 * ({@link OfferLog}) of three merchants with one SKU each. On {@code M_open}'s SKU half of the
 * new customers take the disclosed offer {@code NEWUSER} (10% off): its roll-up is flagged only
 * through that gap and, pooled again over the SKU's estimate without those quotes, is
 * {@code explained_by_disclosed_offer}. On {@code M_hidden}'s the same discount is the
 * personalised offer {@code P123}: its roll-up pools no disclosed quote and stays flagged with no
 * re-estimate. On {@code M_mixed}'s half of the new customers take {@code NEWUSER} and the other
 * half get the same discount with no offer: without the disclosed quotes the gap is still there,
 * so its roll-up is pooled again and stays flagged, with the re-estimate beside it.
 *
 * <p>A roll-up of one SKU is that SKU's estimate: the DerSimonian-Laird pool of a single study
 * is the study (tau = 0, weight 1; DerSimonian and Laird 1986), so each re-pooled roll-up's
 * penalty equals its SKU's re-estimate.
 */
class DisclosedOfferRollupAuditTest {
  @Test
  void aRollupFlaggedOnlyThroughADisclosedOfferIsExplainedAndOneWithAPersonalisedOfferStays(
      @TempDir Path dir) throws Exception {
    OfferLog.write(dir, List.of(new OfferLog.Sku("sku_open", "M_open", "NEWUSER", false),
        new OfferLog.Sku("sku_hidden", "M_hidden", "P123", false),
        new OfferLog.Sku("sku_mixed", "M_mixed", "NEWUSER", true)));
    Files.writeString(dir.resolve("audit.properties"), "offers.disclosed = NEWUSER\n");
    Path out = CliAudit.run(dir);

    Row open = loyalVsNew(out, "merchant", "M_open");
    assertTrue(open.<Double>getAs("penalty_pct") > 4, "with every quote: " + open);
    assertEquals("explained_by_disclosed_offer", open.getAs("status"), open.toString());
    assertFalse(open.<Boolean>getAs("flagged"), open.toString());
    Row openSku = loyalVsNew(out, "sku", "M_open");
    assertEquals("explained_by_disclosed_offer", openSku.getAs("status"), openSku.toString());
    assertEquals(openSku.<Double>getAs("penalty_pct_without_disclosed"),
        open.<Double>getAs("penalty_pct_without_disclosed"), 1e-9,
        "a roll-up of one SKU pooled again is that SKU's re-estimate: " + open);
    assertEquals(0.0, open.<Double>getAs("penalty_pct_without_disclosed"), 0.5, open.toString());
    assertTrue(open.<Double>getAs("ci_low_pct_without_disclosed") <= 0
        && open.<Double>getAs("ci_high_pct_without_disclosed") >= 0, open.toString());
    assertTrue(open.<Double>getAs("p_value_without_disclosed") > 0.05, open.toString());
    assertTrue(open.<String>getAs("context").endsWith("; re-estimated without the quotes"
        + " carrying a disclosed offer: pooled again over 1 tested SKUs"),
        open.<String>getAs("context"));

    Row hidden = loyalVsNew(out, "merchant", "M_hidden");
    assertEquals("penalty", hidden.getAs("status"), "a personalised offer stays in: " + hidden);
    assertTrue(hidden.<Boolean>getAs("flagged"));
    assertTrue(hidden.isNullAt(hidden.fieldIndex("penalty_pct_without_disclosed")),
        "it pools no disclosed quote: not pooled again " + hidden);

    Row mixed = loyalVsNew(out, "merchant", "M_mixed");
    Row mixedSku = loyalVsNew(out, "sku", "M_mixed");
    assertEquals("penalty", mixed.getAs("status"), mixed.toString());
    assertTrue(mixed.<Boolean>getAs("flagged"));
    assertEquals(mixedSku.<Double>getAs("penalty_pct_without_disclosed"),
        mixed.<Double>getAs("penalty_pct_without_disclosed"), 1e-9, mixed.toString());
    assertTrue(mixed.<Double>getAs("penalty_pct_without_disclosed") > 9,
        "without the disclosed quotes every new customer left pays 10% less: " + mixed);
    assertTrue(mixed.<Double>getAs("p_value_without_disclosed") < 1e-6, mixed.toString());

    ObjectMapper json = new ObjectMapper();
    JsonNode offers = json.readTree(out.resolve("manifest.json").toFile()).get("disclosed_offers");
    assertEquals(2, offers.get("sku_comparisons_reestimated").asLong(), offers.toString());
    assertEquals(1, offers.get("sku_comparisons_explained").asLong(), offers.toString());
    assertEquals(2, offers.get("merchant_rollups_reestimated").asLong(), offers.toString());
    assertEquals(1, offers.get("merchant_rollups_explained").asLong(), offers.toString());
    assertEquals(2, json.readTree(out.resolve("manifest.json").toFile())
        .at("/results/merchant_rollups_flagged").asLong(), "M_hidden and M_mixed");

    // the report lists what the manifest counts: explained first, a SKU before a roll-up
    JsonNode report = json.readTree(out.resolve("report").resolve("report.json").toFile());
    assertEquals(offers.get("merchant_rollups_reestimated"),
        report.at("/disclosed_offers/merchant_rollups_reestimated"));
    List<String> listed = new ArrayList<>();
    for (JsonNode r : report.at("/disclosed_offers/comparisons")) {
      listed.add(r.get("level").asText() + " " + r.get("merchant_id").asText() + " "
          + r.get("status").asText());
    }
    assertEquals(List.of("sku M_open explained_by_disclosed_offer",
        "merchant M_open explained_by_disclosed_offer", "sku M_mixed penalty",
        "merchant M_mixed penalty"), listed);

    Path zh = CliAudit.reportInChinese(out);
    String en = Files.readString(out.resolve("report").resolve("index.html"));
    String chinese = Files.readString(zh.resolve("index.html"));
    assertTrue(en.contains("M_open: merchant roll-up"), "the roll-up is listed by its merchant");
    assertTrue(chinese.contains("M_open：商家汇总"), "the roll-up is listed by its merchant");
    assertTrue(en.contains("2 flagged gaps of the 4 re-estimated"), "the headline counts both");
  }

  private static Row loyalVsNew(Path out, String level, String merchant) {
    List<Row> rows = TestSpark.spark().read().format("delta")
        .load(out.resolve("findings").toString())
        .filter(String.format("level = '%s' and merchant_id = '%s' and comparison = 'loyal_vs_new'"
            + " and segment = 'cohort'", level, merchant)).collectAsList();
    assertEquals(1, rows.size(), level + " " + merchant + ": " + rows);
    return rows.get(0);
  }
}
