package org.loyaltypenalty.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;

/**
 * The independent filter of the Benjamini-Hochberg family (Bourgon, Gentleman &amp; Huber 2010):
 * the q-values of the tests it admits are the BH q-values of those tests alone, as R gives them
 * ({@code p.adjust(c(0.001, 0.012, 0.02, 0.04), "BH")} = 0.004, 0.024, 0.02666667, 0.04), and a
 * test it leaves out keeps its p-value but has no q-value, however small its p-value.
 */
class FamilyFilterTest {
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType).add("p", DataTypes.DoubleType)
      .add("c_ref", DataTypes.LongType).add("c_cmp", DataTypes.LongType);

  @Test
  void admittedTestsGetTheQValuesOfTheirOwnFamilyAndTheOthersNone() {
    List<Row> rows = List.of(
        RowFactory.create("a", 0.001, 40L, 12L),
        RowFactory.create("b", 0.012, 10L, 10L),
        RowFactory.create("c", 0.02, 300L, 25L),
        RowFactory.create("d", 0.04, 11L, 90L),
        RowFactory.create("thin_reference", 0.0001, 9L, 500L),
        RowFactory.create("thin_compared", 0.03, 200L, 3L),
        RowFactory.create("untested", null, 100L, 100L));
    Map<String, Double> q = new HashMap<>();
    Map<String, Double> p = new HashMap<>();
    new FamilyFilter(10).adjust(TestSpark.spark().createDataFrame(rows, SCHEMA).repartition(2),
        "p", "q", "c_ref", "c_cmp").collectAsList().forEach(r -> {
          q.put(r.getString(0), r.isNullAt(r.fieldIndex("q")) ? null : r.getDouble(r.fieldIndex("q")));
          p.put(r.getString(0), r.isNullAt(1) ? null : r.getDouble(1));
        });
    assertEquals(0.004, q.get("a"), 1e-12);
    assertEquals(0.024, q.get("b"), 1e-12);
    assertEquals(0.02 * 4 / 3, q.get("c"), 1e-12);
    assertEquals(0.04, q.get("d"), 1e-12);
    assertNull(q.get("thin_reference"), "9 reference customers: left out");
    assertNull(q.get("thin_compared"), "3 compared customers: left out");
    assertEquals(0.0001, p.get("thin_reference"), "a test left out keeps its p-value");
    assertNull(q.get("untested"));
    assertEquals(7, q.size(), "no row is lost or added");
  }

  @Test
  void zeroKeepsEveryTestAndTheJavaRuleAgreesWithTheColumn() {
    FamilyFilter none = new FamilyFilter(0);
    assertTrue(none.admits(0.5, 0, 0));
    assertFalse(none.admits(null, 100, 100), "an untested row is never in the family");
    FamilyFilter ten = new FamilyFilter(10);
    assertTrue(ten.admits(0.5, 10, 10));
    assertFalse(ten.admits(0.5, 10, 9));
    assertEquals("minCustomers must be at least 0, cannot be: -1",
        assertThrows(IllegalArgumentException.class, () -> new FamilyFilter(-1)).getMessage());
  }
}
