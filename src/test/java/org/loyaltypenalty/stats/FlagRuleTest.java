package org.loyaltypenalty.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;

class FlagRuleTest {
  private static final FlagRule RULE = new FlagRule(0.05, 1.0);

  /**
   * The pre-screen never misses what the findings flag: for estimates at and around both
   * thresholds, every row the Spark rule flags (q = p, the smallest a q-value can be) passes
   * {@link FlagRule#mayBeFlagged}.
   */
  @Test
  void everyRowTheFindingsFlagPassesThePreScreen() {
    double atThreshold = Math.log1p(0.01);
    List<Row> rows = new ArrayList<>();
    for (double p : new double[] {0.0, 0.01, Math.nextDown(0.05), 0.05, Math.nextUp(0.05), 0.2}) {
      for (double b : new double[] {Math.nextDown(atThreshold), atThreshold,
          Math.nextUp(atThreshold), 0.05, -0.05}) {
        rows.add(RowFactory.create(p, b));
      }
    }
    StructType schema = new StructType().add("p", DataTypes.DoubleType)
        .add("b", DataTypes.DoubleType);
    Dataset<Row> estimates = TestSpark.spark().createDataFrame(rows, schema);
    List<Row> flagged = estimates.filter(RULE.flagged(functions.col("p"),
        Inference.percent(functions.col("b")))).collectAsList();
    assertTrue(flagged.size() >= 6, "the grid flags rows: " + flagged);
    for (Row r : flagged) {
      assertTrue(RULE.mayBeFlagged(r.getDouble(0), r.getDouble(1)), "pre-screened out: " + r);
    }
    long screenedIn = rows.stream().filter(r -> RULE.mayBeFlagged(r.getDouble(0), r.getDouble(1)))
        .count();
    assertTrue(screenedIn <= flagged.size() + 6, "the slack lets only near misses through");
  }

  @Test
  void untestedRowsAreNeverFlagged() {
    assertFalse(RULE.mayBeFlagged(null, 0.5));
    assertFalse(RULE.mayBeFlagged(0.001, null));
    Dataset<Row> nulls = TestSpark.spark().sql(
        "select cast(null as double) as q, 5.0d as pct union all select 0.01d, cast(null as double)");
    assertEquals(0, nulls.filter(RULE.flagged(functions.col("q"), functions.col("pct"))).count());
    assertEquals(2, nulls.filter(functions.not(RULE.flagged(functions.col("q"),
        functions.col("pct")))).count(), "false, not null: the findings' flagged column is never null");
  }

  /**
   * The run's threshold is {@code q R / m}: a p-value put in place of a rejected one is rejected
   * exactly when it is at or under it. Reference: SciPy 1.17.1,
   * {@code scipy.stats.false_discovery_control(p)} for these ten p-values gives
   * {@code [0.01, 0.04, 0.084, 0.084, 0.084, 0.1, 0.10571429, 0.216, 0.216, 0.216]} (as R's
   * {@code p.adjust(p, "BH")}): at q = 0.05 only 0.001 and 0.008 are rejected (R = 2, m = 10),
   * so the threshold is 0.01, and 0.039 (below q, above 3 q / 10) is not significant. With 0.008
   * replaced, SciPy's q-value of the replacement is 0.05 for 0.01 (rejected), 0.0500005 for
   * 0.0100001 (not), 0.045 for 0.009 and 0.0525 for 0.0105; the same with 0.001 replaced.
   */
  @Test
  void theThresholdIsWhereBenjaminiHochbergWouldStillRejectAReplacedPValue() {
    double[] p = {0.216, 0.001, 0.042, 0.008, 0.06, 0.039, 0.212, 0.041, 0.074, 0.205};
    List<Row> rows = new ArrayList<>();
    for (double v : p) {
      rows.add(RowFactory.create(v));
    }
    rows.add(RowFactory.create((Object) null)); // untested: not in the family
    Dataset<Row> tests = BenjaminiHochberg.adjust(TestSpark.spark().createDataFrame(rows,
        new StructType().add("p", DataTypes.DoubleType)), "p", "q");
    double threshold = tests.agg(RULE.rejectionThreshold(functions.col("q"), functions.col("p")))
        .first().getDouble(0);
    assertEquals(0.01, threshold, 1e-15);
    // SciPy's verdict on each replacement, in place of 0.008 and of 0.001
    double[][] replacements = {{0.01, 1}, {0.0100001, 0}, {0.009, 1}, {0.0105, 0}};
    for (double[] r : replacements) {
      assertEquals(r[1] == 1, r[0] <= threshold, "replacement " + r[0]);
    }

    Dataset<Row> none = tests.filter("p > 0.05");
    assertTrue(none.agg(RULE.rejectionThreshold(functions.col("q"), functions.col("p")))
        .first().isNullAt(0), "no rejection: no threshold");
  }

  /** A re-estimate is flagged at the run's threshold only when significant there and material. */
  @Test
  void aReEstimateIsFlaggedWhenAtOrUnderTheThresholdAndMaterial() {
    Dataset<Row> re = TestSpark.spark().sql("select * from values"
        + " (0.008d, 5.0d, true), (0.0081d, 5.0d, false), (0.001d, 0.99d, false),"
        + " (0.001d, 1.0d, true), (cast(null as double), cast(null as double), false)"
        + " as t(p, pct, expected)");
    for (Row r : re.withColumn("flagged", RULE.flaggedAt(0.008, functions.col("p"),
        functions.col("pct"))).collectAsList()) {
      assertEquals(r.getBoolean(2), r.getBoolean(3), "p, pct: " + r);
    }
  }

  @Test
  void percentIsOneHundredTimesExpMinusOne() {
    // exp(0.1) - 1 = 0.10517091807564771 (Python: math.expm1(0.1))
    assertEquals(10.517091807564771, Inference.percent(0.1), 1e-12);
    assertEquals(-9.516258196404048, Inference.percent(-0.1), 1e-12);
  }
}
