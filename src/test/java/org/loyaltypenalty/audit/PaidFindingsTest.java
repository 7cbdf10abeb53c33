package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.sku.SkuPass;

/**
 * What the customer paid, through the per-SKU pass and the findings: the money outcomes' rows
 * beside the unit price's, in one FDR family under one flag rule.
 */
class PaidFindingsTest {

  /**
   * SKU "fee": every customer is quoted 20 (within 0.3%), but loyal customers pay a fee of 6
   * and new ones 2 (the Meituan case). SKU "plain": the same prices, the same fee for all.
   */
  static Dataset<Row> quotes() {
    List<List<String>> rows = new ArrayList<>();
    int id = 0;
    for (int h = 0; h < 6; h++) {
      for (int k = 0; k < 4; k++) {
        String at = String.format("2026-01-05T%02d:%02d:00Z", 10 + h, 5 * k);
        double wobble = 1 + 0.003 * (k - 1.5) * (h % 2 == 0 ? 1 : -1);
        for (String sku : List.of("fee", "plain")) {
          double loyalFee = sku.equals("fee") ? 6 : 2;
          rows.add(List.of("q" + id++, "n" + k, sku, at, Double.toString(20 * wobble), "new",
              "2", "0.5"));
          rows.add(List.of("q" + id++, "l" + k, sku, at, Double.toString(20 / wobble), "loyal",
              Double.toString(loyalFee), "0.5"));
        }
      }
    }
    Dataset<Row> in = TestSpark.strings(List.of("quote_id", "customer_id", "sku_id",
        "quoted_at", "price", "cohort", "fee", "coupon"), rows)
        .withColumn("currency", functions.lit("CNY"))
        .withColumn("merchant_id", functions.lit("M1"))
        .withColumn("channel", functions.lit("app"))
        .withColumn("quoted_at", functions.col("quoted_at").cast("timestamp"))
        .withColumn("price", functions.col("price").cast("double"))
        .withColumn("fee", functions.col("fee").cast("double"))
        .withColumn("coupon", functions.col("coupon").cast("double"));
    return new ContextFrame(PenaltyComponentsTest.CONFIG).prepare(in);
  }

  @Test
  void feePenaltyWithoutPriceGapIsFlaggedOnTheFeeAndTheTotal() {
    Dataset<Row> q = quotes();
    List<String> dims = new ContextFrame(PenaltyComponentsTest.CONFIG).dimensions(q);
    Dataset<Row> pass = new SkuPass(PenaltyComponentsTest.CONFIG, dims).analyse(q);
    Dataset<Row> est = SkuPass.estimates(pass);
    CellEvidence cells = new CellEvidence(PenaltyComponentsTest.CONFIG, dims);
    Dataset<Row> all = cells.cellsWithBoth(SkuPass.cells(pass));
    Dataset<Row> merchants = new MerchantRollup(PenaltyComponentsTest.CONFIG).rollUp(est, q);
    Map<String, Row> f = new HashMap<>();
    for (Row r : new FindingsBuilder(PenaltyComponentsTest.CONFIG, dims)
        .build("run-1", est, SkuPass.outcomes(pass), all, cells.strongest(all), merchants, null)
        .filter("level = 'sku' and comparison = 'loyal_vs_new'").collectAsList()) {
      f.put(r.getAs("sku_id") + "/" + r.getAs("outcome"), r);
    }
    assertEquals(java.util.Set.of("fee/price", "fee/total", "fee/fee", "fee/coupon",
        "plain/price", "plain/total", "plain/fee", "plain/coupon"), f.keySet());

    Row price = f.get("fee/price");
    assertFalse(price.<Boolean>getAs("flagged"), "no price gap: " + price);
    assertNull(price.getAs("estimate_money"));

    Row fee = f.get("fee/fee");
    assertTrue(fee.<Boolean>getAs("flagged"), "the fee penalty is flagged: " + fee);
    assertEquals("penalty", fee.getAs("status"));
    assertEquals(4.0, fee.<Double>getAs("estimate_money"), 1e-9);
    assertNull(fee.getAs("estimate_log"), "a money row has no log estimate");
    double m = fee.<Double>getAs("reference_mean");
    assertEquals(20 + 2 - 0.5, m, 0.01, "new customers' total per unit");
    assertEquals(100 * 4 / m, fee.<Double>getAs("penalty_pct"), 1e-9);
    assertTrue(f.get("fee/total").<Boolean>getAs("flagged"), "the total is dearer too");
    assertEquals(4.0, f.get("fee/total").<Double>getAs("estimate_money"), 0.05);

    for (String other : List.of("plain/total", "plain/fee", "plain/coupon", "fee/coupon")) {
      assertFalse(f.get(other).<Boolean>getAs("flagged"), other);
      assertTrue(f.get(other).getAs("q_value") != null, "in the family: " + other);
    }
  }
}
