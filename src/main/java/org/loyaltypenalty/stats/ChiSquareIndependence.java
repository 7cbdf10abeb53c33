package org.loyaltypenalty.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * Pearson's chi-square test of independence on an r x c contingency table of counts (Pearson
 * 1900; Agresti 2013, <i>Categorical Data Analysis</i>, 3rd ed., section 3.2.1).
 *
 * <p>H0: the row and the column of an observation are independent (here: the arm a customer
 * gets does not depend on the customer's level). With row totals {@code R_i}, column totals
 * {@code C_j} and total {@code N}, the expected count is {@code E_ij = R_i C_j / N} and the
 * statistic {@code X2 = sum (O_ij - E_ij)^2 / E_ij}; under H0 it is asymptotically chi-square
 * with {@code (r - 1)(c - 1)} degrees of freedom, and the p-value is {@code P(chi2_df >= X2)},
 * computed as a survival probability (not {@code 1 - cdf}), so that strong dependence gives a
 * small positive p rather than 0. No continuity correction (as SciPy's
 * {@code chi2_contingency(table, correction=False)}).
 *
 * <p>Rows and columns whose total is 0 carry no observation and are dropped before the test (an
 * expected count of 0 is undefined); a table left with fewer than two rows or two columns is not
 * testable. The approximation is poor when expected counts are small (Cochran's rule asks for
 * all {@code E_ij >= 1} and most {@code >= 5}): {@link #minExpected} is returned so that the
 * caller can report it.
 *
 * @param statistic Pearson's X2
 * @param degreesOfFreedom {@code (r - 1)(c - 1)} of the table after dropping empty rows/columns
 * @param pValue {@code P(chi2_df >= statistic)}
 * @param n the table's total
 * @param minExpected the smallest expected count
 */
public record ChiSquareIndependence(double statistic, int degreesOfFreedom, double pValue,
    long n, double minExpected) {

  /** Whether the table, once its empty rows and columns are dropped, has at least 2 x 2 cells. */
  public static boolean testable(long[][] table) {
    long[][] t = nonEmpty(table);
    return t.length >= 2 && t[0].length >= 2;
  }

  /**
   * The test of {@code table} (rows x columns, every row the same length, counts >= 0).
   *
   * @throws IllegalArgumentException when the table is not {@link #testable}, ragged or negative
   */
  public static ChiSquareIndependence test(long[][] table) {
    for (long[] row : table) {
      if (row.length != table[0].length) {
        throw new IllegalArgumentException("every row must have " + table[0].length
            + " columns, cannot be: " + row.length);
      }
      for (long v : row) {
        if (v < 0) {
          throw new IllegalArgumentException("counts must be at least 0, cannot be: " + v);
        }
      }
    }
    long[][] t = nonEmpty(table);
    if (t.length < 2 || t[0].length < 2) {
      throw new IllegalArgumentException(
          "the table must have at least 2 non-empty rows and 2 non-empty columns");
    }
    int r = t.length;
    int c = t[0].length;
    double[] rowTotals = new double[r];
    double[] columnTotals = new double[c];
    long n = 0;
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        rowTotals[i] += t[i][j];
        columnTotals[j] += t[i][j];
        n += t[i][j];
      }
    }
    double statistic = 0;
    double minExpected = Double.POSITIVE_INFINITY;
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        double expected = rowTotals[i] * columnTotals[j] / n;
        double d = t[i][j] - expected;
        statistic += d * d / expected;
        minExpected = Math.min(minExpected, expected);
      }
    }
    int df = (r - 1) * (c - 1);
    double p = ChiSquaredDistribution.of(df).survivalProbability(statistic);
    return new ChiSquareIndependence(statistic, df, p, n, minExpected);
  }

  /** {@code table} without its all-zero rows and columns. */
  private static long[][] nonEmpty(long[][] table) {
    List<long[]> rows = new ArrayList<>();
    for (long[] row : table) {
      long total = 0;
      for (long v : row) {
        total += v;
      }
      if (total > 0) {
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      return new long[0][0];
    }
    int width = rows.get(0).length;
    List<Integer> keep = new ArrayList<>();
    for (int j = 0; j < width; j++) {
      long total = 0;
      for (long[] row : rows) {
        total += row[j];
      }
      if (total > 0) {
        keep.add(j);
      }
    }
    long[][] out = new long[rows.size()][keep.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int k = 0; k < keep.size(); k++) {
        out[i][k] = rows.get(i)[keep.get(k)];
      }
    }
    return out;
  }
}
