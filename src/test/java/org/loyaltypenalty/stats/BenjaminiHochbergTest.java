package org.loyaltypenalty.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;

/**
 * Distributed BH q-values against a NumPy implementation of the step-up rule (the same as R
 * {@code p.adjust(p, "BH")}; src/test/python/reference_values.py).
 */
class BenjaminiHochbergTest {
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType).add("p", DataTypes.DoubleType);

  @Test
  void qValuesMatchTheStepUpRuleAcrossPartitionsAndSkipUntestedRows() {
    double[] p = {0.01, 0.04, 0.03, 0.005, 0.20, 0.04, 0.9, 0.0001};
    double[] expected = {0.02666666666666667, 0.05333333333333334, 0.05333333333333334, 0.02,
        0.2285714285714286, 0.05333333333333334, 0.9, 0.0008};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      rows.add(RowFactory.create("t" + i, p[i]));
    }
    rows.add(RowFactory.create("untested", null));
    Dataset<Row> in = TestSpark.spark().createDataFrame(rows, SCHEMA).repartition(3);
    Map<String, Double> q = new HashMap<>();
    for (Row r : BenjaminiHochberg.adjust(in, "p", "q").collectAsList()) {
      q.put(r.getString(0), r.isNullAt(2) ? null : r.getDouble(2));
    }
    for (int i = 0; i < p.length; i++) {
      assertEquals(expected[i], q.get("t" + i), 1e-12, "q of p = " + p[i]);
    }
    assertNull(q.get("untested"));
    assertEquals(p.length + 1, q.size());
  }

  @Test
  void manyPValuesOverManyPartitionsGiveMonotoneCappedQValues() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      rows.add(RowFactory.create("t" + i, (i + 1) / 2000.0));
    }
    Dataset<Row> q = BenjaminiHochberg.adjust(
        TestSpark.spark().createDataFrame(rows, SCHEMA).repartition(7), "p", "q");
    // uniform p-values k/m: every raw ratio m p_(k) / k is exactly 1
    for (Row r : q.collectAsList()) {
      assertEquals(1.0, r.getDouble(2), 1e-12, r.getString(0));
    }
  }
}
