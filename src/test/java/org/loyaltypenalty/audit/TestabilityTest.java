package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.config.ConfigLoader;
import org.loyaltypenalty.run.TestabilityAdvice;

/**
 * The testability advice counts, at the next coarser time bucket, the untested comparisons whose
 * quotes in exact cells holding both groups meet the minimum-data rules: here counted by hand.
 */
class TestabilityTest {
  static final StructType QUOTES = new StructType()
      .add(Quotes.SKU_ID, DataTypes.StringType).add(Quotes.CURRENCY, DataTypes.StringType)
      .add(Quotes.QUOTED_AT, DataTypes.TimestampType).add(Derived.COHORT, DataTypes.StringType)
      .add(Quotes.CUSTOMER_ID, DataTypes.StringType)
      .add(ContextFrame.feColumn(ContextFrame.TIME_BUCKET), DataTypes.StringType)
      .add(ContextFrame.feColumn("region"), DataTypes.StringType);
  static final StructType FINDINGS = new StructType()
      .add(Findings.LEVEL, DataTypes.StringType).add(Findings.SKU_ID, DataTypes.StringType)
      .add(Findings.CURRENCY, DataTypes.StringType).add(Findings.COMPARISON, DataTypes.StringType)
      .add(Findings.STATUS, DataTypes.StringType)
      .add(Findings.CUSTOMERS_REFERENCE, DataTypes.LongType)
      .add(Findings.CUSTOMERS_COMPARED, DataTypes.LongType)
      .add(Findings.CELLS_WITH_BOTH, DataTypes.LongType);

  @Test
  void aDayBucketMakesTestableExactlyTheComparisonsWhoseGroupsShareADayAndRegion() {
    List<Row> quotes = new ArrayList<>();
    // sku1: six new customers in the morning, six loyal in the afternoon, same day and region
    add(quotes, "sku1", "new", "N", 6, "2026-03-02T09:00:00Z", "A");
    add(quotes, "sku1", "loyal", "L", 6, "2026-03-02T15:00:00Z", "A");
    // sku2: the same day, other regions: no shared cell at any bucket
    add(quotes, "sku2", "new", "N", 6, "2026-03-02T09:00:00Z", "A");
    add(quotes, "sku2", "loyal", "L", 6, "2026-03-02T15:00:00Z", "B");
    // sku3: a shared day, but three loyal customers (five needed)
    add(quotes, "sku3", "new", "N", 6, "2026-03-02T09:00:00Z", "A");
    add(quotes, "sku3", "loyal", "L", 3, "2026-03-02T15:00:00Z", "A");
    // sku4: tested, inconclusive on 2 customers a side at the hour; 6 a side share the day
    add(quotes, "sku4", "new", "N", 6, "2026-03-02T09:00:00Z", "A");
    add(quotes, "sku4", "loyal", "L", 6, "2026-03-02T15:00:00Z", "A");
    Dataset<Row> analysed = TestSpark.spark().createDataFrame(quotes, QUOTES);
    Dataset<Row> findings = TestSpark.spark().createDataFrame(List.of(
        RowFactory.create("sku", "sku1", "EUR", "loyal_vs_new", "insufficient_data", 6L, 6L, 0L),
        RowFactory.create("sku", "sku2", "EUR", "loyal_vs_new", "insufficient_data", 6L, 6L, 0L),
        RowFactory.create("sku", "sku3", "EUR", "loyal_vs_new", "insufficient_data", 6L, 3L, 0L),
        RowFactory.create("sku", "sku4", "EUR", "loyal_vs_new", "inconclusive", 2L, 2L, 1L),
        RowFactory.create("sku", "sku4", "EUR", "repeat_vs_new", "no_material_penalty", 9L, 9L,
            0L)), FINDINGS);
    Testability t = new Testability(ConfigLoader.fromMap(Map.of("test.min_quotes_per_cohort", "5",
        "test.min_customers_per_cohort", "5", "context.columns", "region"), "test"),
        List.of(ContextFrame.TIME_BUCKET, "region"));
    assertEquals(new TestabilityAdvice("1h", "1d", 3, 1, 3, 1L, 1L),
        t.advise(analysed, findings));
  }

  @Test
  void noCoarserBucketIsCountedAtSevenDaysOrMore() {
    Testability t = new Testability(ConfigLoader.fromMap(Map.of("context.time_bucket", "7d"),
        "test"), List.of(ContextFrame.TIME_BUCKET));
    assertNull(t.coarser());
    assertEquals(java.time.Duration.ofDays(7), new Testability(ConfigLoader.fromMap(
        Map.of("context.time_bucket", "1d"), "test"), List.of()).coarser());
  }

  @Test
  void theCountsPerSkuAreThoseOfTheSameQueryInSparkSql() {
    // 12 SKUs in two currencies, three cohorts, 40 customers, two regions, quotes over ten days
    java.util.Random random = new java.util.Random(7);
    List<Row> quotes = new ArrayList<>();
    String[] cohorts = {"new", "repeat", "loyal"};
    for (int i = 0; i < 3000; i++) {
      int sku = random.nextInt(12);
      quotes.add(RowFactory.create("sku" + sku, sku % 3 == 0 ? "USD" : "EUR",
          Timestamp.from(Instant.parse("2026-03-02T00:00:00Z")
              .plusSeconds(random.nextInt(10 * 86_400))),
          cohorts[random.nextInt(sku % 4 == 0 ? 2 : 3)], "c" + random.nextInt(40), "b",
          random.nextInt(5) == 0 ? "B" : "A"));
    }
    Dataset<Row> analysed = TestSpark.spark().createDataFrame(quotes, QUOTES);
    Dataset<Row> skus = TestSpark.spark().createDataFrame(List.of(
            RowFactory.create("sku1", "EUR"), RowFactory.create("sku3", "USD"),
            RowFactory.create("sku4", "EUR"), RowFactory.create("sku5", "EUR"),
            RowFactory.create("sku5", "USD"), RowFactory.create("sku9", "USD")),
        new StructType().add(Quotes.SKU_ID, DataTypes.StringType)
            .add(Quotes.CURRENCY, DataTypes.StringType));
    for (String zone : List.of("UTC", "Asia/Shanghai")) {
      Testability t = new Testability(ConfigLoader.fromMap(Map.of("context.columns", "region",
          "input.timezone", zone), "test"), List.of(ContextFrame.TIME_BUCKET, "region"));
      List<String> expected = sorted(sparkSqlCounts(analysed, 86_400, skus, zone));
      assertEquals(expected, sorted(t.matchedCounts(analysed, 86_400, skus)));
      assertEquals(9, expected.size(), "sku4 (no loyal quotes) has one comparison, sku5/USD none");
    }
  }

  private static List<String> sorted(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  /**
   * The counts of {@link Testability#matchedCounts} as one Spark SQL query (the detector's before
   * it counted each SKU's cells in a task): quotes of each comparison's groups, the cells that
   * hold both groups by an aggregation joined back, then quotes and distinct customers per group.
   */
  private static Dataset<Row> sparkSqlCounts(Dataset<Row> analysed, long seconds,
      Dataset<Row> skus, String zone) {
    org.apache.spark.sql.Column localSeconds = org.apache.spark.sql.functions.unix_seconds(
        org.apache.spark.sql.functions.from_utc_timestamp(
            org.apache.spark.sql.functions.col(Quotes.QUOTED_AT), zone));
    Dataset<Row> sides = null;
    for (org.loyaltypenalty.cohort.Comparison c
        : org.loyaltypenalty.cohort.Comparison.values()) {
      String reference = org.loyaltypenalty.cohort.Comparison.reference().code();
      Dataset<Row> part = analysed.filter("cohort = '" + reference + "' or cohort = '"
              + c.compared().code() + "'")
          .withColumn(Findings.COMPARISON, org.apache.spark.sql.functions.lit(c.code()))
          .withColumn("ref", org.apache.spark.sql.functions.expr("cohort = '" + reference + "'"));
      sides = sides == null ? part : sides.unionByName(part);
    }
    List<String> cell = List.of(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON, "bucket",
        ContextFrame.feColumn("region"));
    Dataset<Row> keyed = sides.join(skus, scala.jdk.javaapi.CollectionConverters.asScala(
            List.of(Quotes.SKU_ID, Quotes.CURRENCY)).toList(), "left_semi")
        .withColumn("bucket", org.apache.spark.sql.functions.floor(localSeconds.divide(seconds)));
    Dataset<Row> both = keyed.groupBy(cell.stream().map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new))
        .agg(org.apache.spark.sql.functions.expr(
            "max(case when ref then 1 else 0 end) + max(case when ref then 0 else 1 end)")
            .as("both"))
        .filter("both = 2");
    return keyed.join(both, scala.jdk.javaapi.CollectionConverters.asScala(cell).toList())
        .groupBy(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON)
        .agg(org.apache.spark.sql.functions.expr("sum(case when ref then 1 else 0 end)")
                .as("quotes_ref"),
            org.apache.spark.sql.functions.expr("sum(case when ref then 0 else 1 end)")
                .as("quotes_cmp"),
            org.apache.spark.sql.functions.expr(
                "count(distinct case when ref then customer_id end)").as("customers_ref"),
            org.apache.spark.sql.functions.expr(
                "count(distinct case when ref then null else customer_id end)")
                .as("customers_cmp"),
            org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1))
                .as("__quotes"));
  }

  private static void add(List<Row> rows, String sku, String cohort, String prefix, int customers,
      String at, String region) {
    for (int c = 0; c < customers; c++) {
      rows.add(RowFactory.create(sku, "EUR", Timestamp.from(Instant.parse(at)), cohort,
          prefix + c, "b", region));
    }
  }
}
