package org.loyaltypenalty.stats;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Independent filtering of the Benjamini-Hochberg family (Bourgon, Gentleman &amp; Huber 2010,
 * PNAS 107(21):9546-9551): a test whose smaller side has fewer than {@code minCustomers}
 * distinct customers keeps its p-value and its interval but is left out of the family, so that
 * tests that can hardly reach significance do not raise everyone else's threshold.
 *
 * <p>Why this is sound: filtering then adjusting controls the FDR when the filter statistic is
 * independent of the p-value under the null. The number of customers on each side is a property
 * of the design (who was quoted), not of the prices: given the design, the p-value of a true null
 * has the same distribution whether the test passes the filter or not. A statistic built from the
 * estimate is never admissible, and neither is one built from the estimated standard error (the
 * minimum detectable effect): under the null the t-statistic {@code b / se} conditional on a small
 * {@code se} is over-dispersed, so keeping the tests with small estimated errors keeps the ones
 * whose errors were under-estimated (Bourgon et al. 2010, Fig. 2, the within-class variance
 * filter). {@code minCustomers = 0} keeps every test.
 *
 * <p>A test left out has a p-value but no q-value, is never flagged, and can still be a
 * discount or rule a material penalty out (neither depends on the family).
 *
 * @param minCustomers fewest distinct customers on the smaller side of a test in the family
 */
public record FamilyFilter(int minCustomers) implements Serializable {
  /** Name of the temporary column the family's p-values are adjusted in. */
  static final String FAMILY_P = "__family_p";

  public FamilyFilter {
    if (minCustomers < 0) {
      throw new IllegalArgumentException(
          "minCustomers must be at least 0, cannot be: " + minCustomers);
    }
  }

  /** Whether a row with a p-value is in the family; false for untested rows. */
  public Column admits(Column pValue, Column customersReference, Column customersCompared) {
    return pValue.isNotNull().and(coalesce(least(customersReference, customersCompared), lit(0L))
        .geq(minCustomers));
  }

  /** Whether a row with a p-value is in the family, plain Java. */
  public boolean admits(Double pValue, long customersReference, long customersCompared) {
    return pValue != null && Math.min(customersReference, customersCompared) >= minCustomers;
  }

  /**
   * {@code tests} with {@code qColumn}: the Benjamini-Hochberg q-value over the rows the filter
   * admits ({@link BenjaminiHochberg#adjust}); null for rows without a p-value or left out.
   */
  public Dataset<Row> adjust(Dataset<Row> tests, String pColumn, String qColumn,
      String customersReference, String customersCompared) {
    Dataset<Row> marked = tests.withColumn(FAMILY_P, when(admits(col(pColumn),
        col(customersReference), col(customersCompared)), col(pColumn)));
    return BenjaminiHochberg.adjust(marked, FAMILY_P, qColumn).drop(FAMILY_P);
  }
}
