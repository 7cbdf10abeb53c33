package org.loyaltypenalty.sku;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.audit.ContextFrame;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;

class SkuRowsTest {
  private static final AuditConfig CONFIG = ConfigLoader.fromMap(Map.of(), "test");

  /** Two SKUs' quotes, narrowed as the per-SKU pass ships them. */
  private static List<Row> narrowed(SkuPass pass) {
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String at = String.format("2026-01-05T%02d:00:00Z", 10 + i % 3);
      rows.add(List.of("q" + i, "c" + i % 5, i % 2 == 0 ? "a" : "b", at,
          Double.toString(10 + i), i % 3 == 0 ? "loyal" : "new", i % 4 == 0 ? "app" : "web",
          "EUR", "M1"));
    }
    Dataset<Row> in = TestSpark.strings(List.of("quote_id", "customer_id", "sku_id",
            "quoted_at", "price", "cohort", "channel", "currency", "merchant_id"), rows)
        .withColumn("quoted_at", functions.col("quoted_at").cast("timestamp"))
        .withColumn("price", functions.col("price").cast("double"));
    return pass.narrow(new ContextFrame(CONFIG).prepare(in)).collectAsList();
  }

  /**
   * A group of the pass is the quotes of one hash of the key: should two keys share it, each is
   * read as a SKU of its own, the same as when its rows come alone, in the order of the keys.
   */
  @Test
  void aGroupHoldingTwoKeysIsReadAsOneSkuQuotesPerKey() {
    SkuPass pass = new SkuPass(CONFIG, List.of("time_bucket", "channel"));
    List<Row> rows = narrowed(pass);
    List<Row> a = rows.stream().filter(r -> r.getAs(SkuPass.KEY).equals("a\u0001EUR")).toList();
    List<Row> b = rows.stream().filter(r -> r.getAs(SkuPass.KEY).equals("b\u0001EUR")).toList();
    List<Row> mixed = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      mixed.add(b.get(i));
      mixed.add(a.get(5 - i));
    }
    List<SkuQuotes> read = pass.quotes(mixed.iterator());
    assertEquals(2, read.size());
    List<SkuQuotes> alone = List.of(pass.quotes(a.iterator()).get(0),
        pass.quotes(b.iterator()).get(0));
    for (int s = 0; s < 2; s++) {
      SkuQuotes got = read.get(s);
      SkuQuotes want = alone.get(s);
      assertEquals(List.of("a", "b").get(s), got.skuId);
      assertEquals("EUR", got.currency);
      assertEquals(6, got.n);
      assertArrayEquals(want.y, got.y);
      assertArrayEquals(want.price, got.price);
      assertArrayEquals(want.list, got.list);
      assertArrayEquals(want.prior, got.prior);
      assertArrayEquals(want.customer, got.customer);
      assertArrayEquals(want.merchantOf, got.merchantOf);
      assertArrayEquals(want.merchantNames(), got.merchantNames());
      assertArrayEquals(want.cohort, got.cohort);
      for (int k = 0; k < 2; k++) {
        assertArrayEquals(want.fe[k], got.fe[k]);
        assertArrayEquals(want.levelNames().get(k), got.levelNames().get(k));
      }
    }
    assertEquals(List.of(), pass.quotes(List.<Row>of().iterator()));
  }

  /**
   * The pass ships the price and takes its log itself: the log must be Spark's {@code log},
   * which the rest of the audit reads (the experiments' check, the report), to the last bit.
   * Prices from a cent to a billion, log-uniform, and the exact powers of ten between.
   */
  @Test
  void theLogPriceOfThePassIsSparksLogBitForBit() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    List<Double> prices = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      prices.add(Math.round(Math.exp(random.nextDouble(Math.log(0.01), Math.log(1e9))) * 100)
          / 100.0);
    }
    for (double p = 0.01; p <= 1e9; p *= 10) {
      prices.add(p);
    }
    // cached first: over a local relation Spark would fold the log on the driver, interpreted,
    // where the audit's queries run the log in generated code
    Dataset<Row> in = TestSpark.spark()
        .createDataset(prices, org.apache.spark.sql.Encoders.DOUBLE()).toDF("price").cache();
    try {
      Dataset<Row> logs =
          in.select(functions.col("price"), functions.log(functions.col("price")).as("log"));
      assertTrue(logs.queryExecution().executedPlan().exists(
              p -> p instanceof org.apache.spark.sql.execution.WholeStageCodegenExec),
          "the log is computed in generated code");
      int checked = 0;
      for (Row r : logs.collectAsList()) {
        assertEquals(Double.doubleToRawLongBits(r.getDouble(1)),
            Double.doubleToRawLongBits(SkuRows.logPrice(r.getDouble(0))), "log of " + r.get(0));
        checked++;
      }
      assertEquals(prices.size(), checked);
    } finally {
      in.unpersist();
    }
  }
}
