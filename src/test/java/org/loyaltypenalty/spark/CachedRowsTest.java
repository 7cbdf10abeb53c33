package org.loyaltypenalty.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.columnar.InMemoryRelation;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;

class CachedRowsTest {
  /** Twenty rows behind a plan of a dozen projections and filters. */
  private static Dataset<Row> longPlan() {
    Dataset<Row> d = TestSpark.spark().range(0, 40).toDF("id").repartition(3);
    for (int i = 0; i < 12; i++) {
      d = d.withColumn("c" + i, concat(col("id").cast("string"), lit("-" + i)));
    }
    return d.filter(col("id").mod(2).equalTo(0));
  }

  @Test
  void queriesOverTheCachedRowsStartAtTheCacheAndSeeTheSameRowsInTheSameOrder() {
    Dataset<Row> plain = longPlan();
    List<Row> expected = plain.collectAsList();
    CachedRows cached = CachedRows.of(longPlan(), StorageLevel.MEMORY_AND_DISK());
    try {
      LogicalPlan analysed = cached.rows().queryExecution().analyzed();
      assertTrue(analysed instanceof InMemoryRelation,
          "the plan is the cache's relation alone, not: " + analysed.nodeName());
      assertEquals(expected, cached.rows().collectAsList(), "rows and their order");
      assertEquals(3, cached.rows().rdd().getNumPartitions(), "partitions");
      assertEquals(List.of(RowFactory.create(10L, "10-11")),
          cached.rows().filter(col("id").equalTo(10)).select("id", "c11").collectAsList(),
          "a query over the rows");
    } finally {
      cached.release();
    }
  }

  @Test
  void releaseDropsTheCache() {
    Dataset<Row> data = longPlan();
    CachedRows cached = CachedRows.of(data, StorageLevel.MEMORY_AND_DISK());
    cached.rows().count();
    assertFalse(TestSpark.spark().sharedState().cacheManager()
        .lookupCachedData((org.apache.spark.sql.classic.Dataset<Row>) data).isEmpty(),
        "cached before the release");
    cached.release();
    assertTrue(TestSpark.spark().sharedState().cacheManager()
        .lookupCachedData((org.apache.spark.sql.classic.Dataset<Row>) data).isEmpty(),
        "not cached after the release");
  }
}
