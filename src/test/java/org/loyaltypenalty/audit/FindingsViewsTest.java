package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.Columns.Findings;
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
}
