package org.loyaltypenalty.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Checks the alternating-projections estimator against an explicit dummy-variable regression
 * computed with NumPy (numpy.linalg.lstsq, CR1 sandwich written out) in
 * {@code src/test/python/reference_values.py}.
 */
class FixedEffectsRegressionTest {
  static final int[] HOUR = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3};
  static final int[] CHANNEL = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
  static final int[] CUSTOMER = {0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7};
  static final int[] COHORT = {0, 0, 1, 1, 2, 2, 0, 1, 0, 0, 1, 1, 2, 2, 0, 1, 0, 0, 1, 1, 2, 2, 0, 1};
  static final double[] NOISE = {0.013, -0.021, 0.004, 0.017, -0.009, 0.022, -0.015, 0.006, 0.011,
      -0.004, -0.018, 0.009, 0.014, -0.012, 0.003, -0.007, 0.019, -0.016, 0.008, -0.002, -0.011,
      0.015, 0.005, -0.013};

  static double[] y() {
    double[] y = new double[HOUR.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = 3.0 + 0.1 * HOUR[i] + 0.05 * CHANNEL[i] + (COHORT[i] == 1 ? 0.02 : 0)
          + (COHORT[i] == 2 ? 0.06 : 0) + NOISE[i];
    }
    return y;
  }

  static double[][] cohortDummies() {
    double[][] x = new double[2][HOUR.length];
    for (int i = 0; i < HOUR.length; i++) {
      x[0][i] = COHORT[i] == 1 ? 1 : 0;
      x[1][i] = COHORT[i] == 2 ? 1 : 0;
    }
    return x;
  }

  @Test
  void twoWayFixedEffectsMatchDummyVariableOlsWithCr1Errors() {
    FixedEffectsRegression.Fit fit = FixedEffectsRegression.fit(y(), cohortDummies(),
        new int[][] {HOUR, CHANNEL}, CUSTOMER, null, FixedEffectsRegression.Options.DEFAULT);
    // NumPy: beta [0.02213186813186828, 0.06339926739926716], se [0.00913733587787441, 0.01005405460363338]
    assertArrayEquals(new double[] {0.02213186813186828, 0.06339926739926716}, fit.coefficients(), 1e-9);
    assertArrayEquals(new double[] {0.00913733587787441, 0.01005405460363338}, fit.standardErrors(), 1e-9);
    assertEquals(8, fit.clusters());
    assertEquals(7, fit.degreesOfFreedom());
    assertEquals(5, fit.absorbedDegreesOfFreedom(), "4 hours + (2 channels - 1)");
    assertTrue(fit.converged());
  }

  /**
   * The fit is linear in the response (the projections are linear maps), which the report's
   * split of an estimate into list price and discount relies on: on an unbalanced three-way
   * design, where the alternating projections need many sweeps and the fits of different
   * responses stop after different numbers of them, the coefficients of y - z are those of y
   * minus those of z to within a few times the demeaning tolerance.
   */
  @Test
  void coefficientsAreLinearInTheResponseToTheDemeaningTolerance() {
    java.util.Random random = new java.util.Random(17);
    int n = 300;
    int[][] fe = new int[3][n];
    int[] cluster = new int[n];
    double[][] x = new double[2][n];
    double[] y = new double[n];
    double[] z = new double[n];
    double[] difference = new double[n];
    for (int i = 0; i < n; i++) {
      fe[0][i] = random.nextInt(12);
      // the second and third dimensions lean on the first: unbalanced, slow to converge
      fe[1][i] = random.nextDouble() < 0.8 ? fe[0][i] % 4 : random.nextInt(4);
      fe[2][i] = random.nextDouble() < 0.7 ? (fe[0][i] + fe[1][i]) % 5 : random.nextInt(5);
      cluster[i] = random.nextInt(40);
      int cohort = cluster[i] % 3;
      x[0][i] = cohort == 1 ? 1 : 0;
      x[1][i] = cohort == 2 ? 1 : 0;
      y[i] = 3 + 0.1 * fe[0][i] + 0.05 * fe[1][i] - 0.02 * fe[2][i] + 0.04 * x[1][i]
          + 0.02 * random.nextGaussian();
      z[i] = 2.5 - 0.03 * fe[0][i] + 0.2 * fe[2][i] + 0.01 * x[1][i]
          + 0.02 * random.nextGaussian();
      difference[i] = y[i] - z[i];
    }
    FixedEffectsRegression.Options options = FixedEffectsRegression.Options.DEFAULT;
    FixedEffectsRegression.Fit a = FixedEffectsRegression.fit(y, x, fe, cluster, null, options);
    FixedEffectsRegression.Fit b = FixedEffectsRegression.fit(z, x, fe, cluster, null, options);
    FixedEffectsRegression.Fit d =
        FixedEffectsRegression.fit(difference, x, fe, cluster, null, options);
    assertTrue(a.iterations() > 3, "a design that needs several sweeps: " + a.iterations());
    for (int j = 0; j < 2; j++) {
      assertEquals(a.coefficients()[j] - b.coefficients()[j], d.coefficients()[j],
          100 * options.tolerance(), "coefficient " + j);
    }
  }

  @Test
  void oneWayFixedEffectsMatchDummyVariableOls() {
    FixedEffectsRegression.Fit fit = FixedEffectsRegression.fit(y(), cohortDummies(),
        new int[][] {HOUR}, CUSTOMER, null, FixedEffectsRegression.Options.DEFAULT);
    // NumPy: beta [0.03903999999999928, 0.07185333333332622], se [0.02101842916253471, 0.02643176300248953]
    assertArrayEquals(new double[] {0.03903999999999928, 0.07185333333332622}, fit.coefficients(), 1e-9);
    assertArrayEquals(new double[] {0.02101842916253471, 0.02643176300248953}, fit.standardErrors(), 1e-9);
  }

  @Test
  void singletonLevelsAreDroppedBeforeFitting() {
    int[] hour = {0, 0, 1, 1, 2, 3, 3};
    boolean[] kept = FixedEffects.dropSingletons(new int[][] {hour}, hour.length);
    assertArrayEquals(new boolean[] {true, true, true, true, false, true, true}, kept);
  }

  @Test
  void singletonRemovalIteratesUntilNoLevelIsAlone() {
    // dropping observation 4 (alone in hour 2) leaves observation 3 alone in channel 9
    int[] hour = {0, 0, 1, 1, 2};
    int[] channel = {5, 5, 7, 9, 9};
    boolean[] kept = FixedEffects.dropSingletons(new int[][] {hour, channel}, 5);
    assertArrayEquals(new boolean[] {true, true, false, false, false}, kept);
  }

  @Test
  void cohortThatNeverSharesAContextIsNotIdentified() {
    // loyal customers only quote in hour 1, where nobody else quotes
    double[] y = {1.0, 1.1, 1.2, 1.3, 2.0, 2.1};
    double[][] x = {{0, 1, 0, 1, 0, 0}, {0, 0, 0, 0, 1, 1}};
    int[] hour = {0, 0, 0, 0, 1, 1};
    int[] customer = {0, 1, 2, 3, 4, 5};
    FixedEffectsRegression.Fit fit = FixedEffectsRegression.fit(y, x, new int[][] {hour},
        customer, null, FixedEffectsRegression.Options.DEFAULT);
    assertTrue(fit.identified()[0]);
    assertFalse(fit.identified()[1]);
    assertTrue(Double.isNaN(fit.coefficients()[1]));
  }

  @Test
  void deterministicSurchargeIsEstimatedExactlyWithAFiniteStandardError() {
    // members always pay 5% more, in every hour; no other variation at all
    int n = 40;
    double[] y = new double[n];
    double[][] x = new double[2][n];
    int[] hour = new int[n];
    int[] customer = new int[n];
    double[] measurement = new double[n];
    for (int i = 0; i < n; i++) {
      hour[i] = i / 4;
      boolean member = i % 2 == 1;
      x[1][i] = member ? 1 : 0;
      y[i] = Math.log(10.0) + (hour[i] % 3) * 0.1 + (member ? Math.log(1.05) : 0);
      customer[i] = i % 10;
      measurement[i] = Math.pow(0.01 / 10.0, 2) / 12;
    }
    FixedEffectsRegression.Fit fit = FixedEffectsRegression.fit(y, x, new int[][] {hour}, customer,
        measurement, FixedEffectsRegression.Options.DEFAULT);
    assertEquals(Math.log(1.05), fit.coefficients()[1], 1e-12);
    double se = fit.standardErrors()[1];
    assertTrue(se > 0 && Double.isFinite(se), "the rounding floor keeps the error finite: " + se);
    assertTrue(Inference.oneSidedPenaltyP(fit.coefficients()[1], se, fit.degreesOfFreedom()) < 1e-6,
        "a deterministic surcharge over 10 customers is significant");
  }

  /**
   * Level and cluster numbers are counted in arrays when they are small non-negative numbers
   * and in maps otherwise; the fit is the same bit for bit either way, singletons included.
   */
  @Test
  void sparseOrNegativeLevelNumbersGiveTheFitOfDenseOnes() {
    int[] hourWithSingleton = HOUR.clone();
    hourWithSingleton[0] = 9; // a level of one quote: dropped
    int[][] dense = {hourWithSingleton, CHANNEL};
    int[][] sparse = new int[2][];
    for (int k = 0; k < 2; k++) {
      sparse[k] = new int[HOUR.length];
      for (int i = 0; i < HOUR.length; i++) {
        sparse[k][i] = dense[k][i] * 1_000_003 - 7;
      }
    }
    int[] sparseCustomer = new int[CUSTOMER.length];
    for (int i = 0; i < CUSTOMER.length; i++) {
      sparseCustomer[i] = -CUSTOMER[i] * 99_991 - 1;
    }
    FixedEffectsRegression.Fit a = FixedEffectsRegression.fit(y(), cohortDummies(), dense,
        CUSTOMER, null, FixedEffectsRegression.Options.DEFAULT);
    FixedEffectsRegression.Fit b = FixedEffectsRegression.fit(y(), cohortDummies(), sparse,
        sparseCustomer, null, FixedEffectsRegression.Options.DEFAULT);
    assertEquals(HOUR.length - 1, a.observations(), "the singleton is dropped");
    assertEquals(a.observations(), b.observations());
    assertEquals(a.clusters(), b.clusters());
    assertEquals(a.absorbedDegreesOfFreedom(), b.absorbedDegreesOfFreedom());
    assertArrayEquals(a.coefficients(), b.coefficients(), 0.0);
    assertArrayEquals(a.standardErrors(), b.standardErrors(), 0.0);
  }

  /**
   * The sweep that subtracts one dimension's means while it sums by the next gives the columns,
   * bit for bit, and the sweep count of the plain alternating projections kept here (a sum pass
   * and a subtract pass per column and dimension): data with several correlated dimensions
   * that need many sweeps, and one dimension alone.
   */
  @Test
  void fusedSweepsResidualiseBitForBitAsPlainAlternatingProjections() {
    java.util.Random rnd = new java.util.Random(11);
    for (int dims : new int[] {1, 2, 4}) {
      int m = 3_000;
      int[] counts = {300, 3, 4, 12};
      int[][] levels = new int[dims][m];
      for (int r = 0; r < m; r++) {
        int t = rnd.nextInt(counts[0]);
        levels[0][r] = t;
        for (int k = 1; k < dims; k++) {
          // correlated with the first dimension: the projections converge slowly
          levels[k][r] = (t * counts[k] / counts[0] + (rnd.nextInt(4) == 0 ? 1 : 0)) % counts[k];
        }
      }
      int[] levelCounts = java.util.Arrays.copyOf(counts, dims);
      double[][] cols = new double[3][m];
      for (double[] c : cols) {
        for (int r = 0; r < m; r++) {
          c[r] = rnd.nextGaussian() + 0.01 * levels[0][r];
        }
      }
      double[][] plain = new double[3][];
      for (int j = 0; j < 3; j++) {
        plain[j] = cols[j].clone();
      }
      FixedEffectsRegression.Options options = FixedEffectsRegression.Options.DEFAULT;
      int sweeps = FixedEffects.demean(cols, levels, levelCounts, options);
      int plainSweeps = plainDemean(plain, levels, levelCounts, options);
      assertEquals(plainSweeps, sweeps, "dimensions " + dims);
      assertTrue(dims == 1 || sweeps > 10, "the data should need many sweeps: " + sweeps);
      assertTrue(sweeps < options.maxIterations(), "converged by the tolerance: " + sweeps);
      for (int j = 0; j < 3; j++) {
        for (int r = 0; r < m; r++) {
          assertEquals(Double.doubleToLongBits(plain[j][r]), Double.doubleToLongBits(cols[j][r]),
              "column " + j + " row " + r + " with " + dims + " dimensions");
        }
      }
    }
  }

  /** Alternating projections as first written: per column and dimension, sum, then subtract. */
  private static int plainDemean(double[][] cols, int[][] levels, int[] levelCounts,
      FixedEffectsRegression.Options options) {
    int m = cols[0].length;
    int[][] sizes = new int[levels.length][];
    for (int k = 0; k < levels.length; k++) {
      sizes[k] = new int[levelCounts[k]];
      for (int r = 0; r < m; r++) {
        sizes[k][levels[k][r]]++;
      }
    }
    int sweep = 0;
    while (sweep < options.maxIterations()) {
      sweep++;
      double largest = 0;
      for (double[] c : cols) {
        for (int k = 0; k < levels.length; k++) {
          double[] sums = new double[levelCounts[k]];
          for (int r = 0; r < m; r++) {
            sums[levels[k][r]] += c[r];
          }
          for (int l = 0; l < sums.length; l++) {
            sums[l] /= sizes[k][l];
            largest = Math.max(largest, Math.abs(sums[l]));
          }
          for (int r = 0; r < m; r++) {
            c[r] -= sums[levels[k][r]];
          }
        }
      }
      if (largest < options.tolerance() || levels.length == 1) {
        break;
      }
    }
    return sweep;
  }
}
