package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.TestSpark;

class FindingsViewsTest {
  private static final StructType SCHEMA = new StructType()
      .add(Findings.LEVEL, DataTypes.StringType)
      .add(Findings.SKU_ID, DataTypes.StringType)
      .add(Findings.FLAGGED, DataTypes.BooleanType)
      .add(Findings.P_VALUE, DataTypes.DoubleType);

  @Test
  void flaggedSkusAreTheFlaggedSkuRowsHeldOnTheDriver() {
    Dataset<Row> findings = TestSpark.spark().createDataFrame(List.of(
            RowFactory.create("sku", "A", true, 0.001),
            RowFactory.create("sku", "B", false, 0.4),
            RowFactory.create("merchant", null, true, 0.002),
            RowFactory.create("sku", "C", true, 0.01),
            RowFactory.create("cell", "A", false, null)), SCHEMA)
        .repartition(3).persist(StorageLevel.MEMORY_ONLY());
    try {
      Dataset<Row> flagged = FindingsViews.flaggedSkus(findings);
      assertEquals(SCHEMA, flagged.schema());
      assertEquals(List.of("A", "C"), flagged.orderBy(Findings.SKU_ID).collectAsList().stream()
          .map(r -> r.getString(1)).toList());
      // rows on the driver: a join broadcasts them without a job that reads the findings
      assertInstanceOf(LocalRelation.class, flagged.queryExecution().optimizedPlan());
    } finally {
      findings.unpersist();
    }
  }

  @Test
  void onSkusOfKeepsTheQuotesOfTheFlaggedSkusAndFiltersAsTheCacheIsRead() {
    StructType quotes = new StructType()
        .add(Quotes.SKU_ID, DataTypes.StringType).add(Quotes.PRICE, DataTypes.DoubleType);
    Dataset<Row> cached = TestSpark.spark().createDataFrame(List.of(
            RowFactory.create("A", 1.0), RowFactory.create("B", 2.0),
            RowFactory.create("C", 3.0), RowFactory.create("A", 4.0)), quotes)
        .persist(StorageLevel.MEMORY_ONLY());
    Dataset<Row> flagged = TestSpark.spark().createDataFrame(List.of(
        RowFactory.create("sku", "C", true, 0.01), RowFactory.create("sku", "A", true, 0.001),
        RowFactory.create("sku", "A", true, 0.002)), SCHEMA);
    try {
      Dataset<Row> on = FindingsViews.onSkusOf(cached.withColumn("__twice",
          functions.col(Quotes.PRICE).multiply(2)), flagged);
      assertEquals(List.of(1.0, 3.0, 4.0), on.orderBy(Quotes.PRICE).collectAsList().stream()
          .map(r -> r.getDouble(1)).toList());
      // the filter reaches the scan of the cache, below what is computed per quote
      String plan = on.queryExecution().optimizedPlan().toString();
      assertTrue(plan.indexOf("Filter") > plan.indexOf("Project"), plan);
      assertEquals(0, FindingsViews.onSkusOf(cached, flagged.limit(0)).count());
    } finally {
      cached.unpersist();
    }
  }

  @Test
  void onSkusOfPassesTheQuotesWholeBeyondTheFilterLimit() {
    List<Row> many = new java.util.ArrayList<>();
    for (int i = 0; i <= FindingsViews.SKU_FILTER_MAX; i++) {
      many.add(RowFactory.create("sku", "S" + i, true, 0.01));
    }
    Dataset<Row> quotes = TestSpark.spark().createDataFrame(
        List.of(RowFactory.create("elsewhere")),
        new StructType().add(Quotes.SKU_ID, DataTypes.StringType));
    Dataset<Row> flagged = TestSpark.spark().createDataFrame(many, SCHEMA);
    assertSame(quotes, FindingsViews.onSkusOf(quotes, flagged));
  }
}
