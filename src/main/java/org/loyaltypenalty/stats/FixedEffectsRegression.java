package org.loyaltypenalty.stats;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Least squares with high-dimensional additive fixed effects and cluster-robust standard errors,
 * on plain arrays: the per-SKU engine of the audit, run on the executors.
 *
 * <p><b>Model.</b> {@code y_i = x_i'b + a_1[g_1(i)] + ... + a_d[g_d(i)] + e_i}, where each
 * {@code g_k} maps observation i to a level of fixed-effect dimension k (time bucket, channel,
 * region, quantity, ...). Only {@code b} is of interest.
 *
 * <p><b>Estimation.</b> By the Frisch-Waugh-Lovell theorem, {@code b} is the OLS coefficient of
 * {@code y} on {@code x} after both are residualised on all fixed effects. The residualising is
 * done by the method of alternating projections (Gaure 2013, "OLS with multiple high dimensional
 * category variables", CSDA 66; Guimaraes &amp; Portugal 2010, Stata Journal 10(4)): subtract
 * group means for each dimension in turn until a full sweep changes no value by more than the
 * tolerance ({@code FixedEffects.demean}). This is what lfe, reghdfe (Correia 2017) and fixest
 * (Berge 2018) do.
 *
 * <p><b>Singletons.</b> Observations alone in a level of some dimension are dropped, repeatedly,
 * before fitting ({@code FixedEffects.dropSingletons}).
 *
 * <p><b>Identification.</b> A regressor whose residualised sum of squares is numerically zero
 * (e.g. loyal customers never quote in the same context as new ones) is reported unidentified;
 * its coefficient is NaN.
 *
 * <p><b>Variance.</b> Cluster-robust CR1 sandwich (Cameron &amp; Miller 2015, "A Practitioner's
 * Guide to Cluster-Robust Inference", JHR 50(2), eq. 11 with the Stata small-sample factor):
 * {@code V = c (X'X)^-1 (sum_g s_g s_g') (X'X)^-1}, {@code s_g = sum_{i in g} x_i e_i},
 * {@code c = G/(G-1) * (N-1)/(N-K)}, with K the identified regressors plus the absorbed fixed
 * effects {@code L_1 + sum_{k>1} (L_k - 1)} (an upper bound when dimensions are disconnected, so
 * conservative). Inference uses Student t with {@code G - 1} degrees of freedom.
 *
 * <p><b>Zero variance.</b> When every price in every context is the same for a cohort (a
 * deterministic surcharge), all residuals vanish and so would the sandwich. Prices are quoted in
 * a smallest unit u, so each observed log price carries a rounding error of variance about
 * {@code (u/price)^2/12} (uniform rounding; Sheppard's correction). That variance, passed as
 * {@code measurementVariance}, floors each coefficient's variance at
 * {@code measurementVariance * [(X'X)^-1]_jj}: never a division by zero, and a deterministic
 * surcharge seen by enough customers is still found.
 */
public final class FixedEffectsRegression {
  private FixedEffectsRegression() {}

  /** Convergence settings of the alternating projections. */
  public record Options(double tolerance, int maxIterations) {
    public static final Options DEFAULT = new Options(1e-10, 10_000);
  }

  /**
   * The fit. Arrays are indexed by regressor; unidentified regressors have NaN coefficient and
   * standard error.
   *
   * @param kept which input observations entered the fit (singletons removed)
   * @param residuals the residual of each kept observation (in input order of the kept ones):
   *     orthogonal to every fixed-effect level and to every regressor, so its sum over any level
   *     and over the observations where a 0/1 regressor is 1 is zero
   */
  public record Fit(
      double[] coefficients,
      double[] standardErrors,
      boolean[] identified,
      int observations,
      int clusters,
      int absorbedDegreesOfFreedom,
      int iterations,
      boolean converged,
      boolean[] kept,
      double[] residuals) {

    /** Student-t degrees of freedom for inference: clusters minus one. */
    public int degreesOfFreedom() {
      return clusters - 1;
    }
  }

  /**
   * @param y response, length n
   * @param x regressors, {@code x[j][i]} is regressor j of observation i
   * @param fixedEffects {@code fixedEffects[k][i]} is the level (0-based) of observation i in
   *     dimension k; with no dimension, a constant is absorbed
   * @param cluster cluster id (0-based) of each observation
   * @param measurementVariance per-observation measurement-error variance of y, averaged over
   *     the observations kept to floor the coefficient variances (see the class comment); null
   *     for no floor
   */
  public static Fit fit(
      double[] y, double[][] x, int[][] fixedEffects, int[] cluster, double[] measurementVariance,
      Options options) {
    return fitAll(new double[][] {y}, x, fixedEffects, cluster,
        new double[][] {measurementVariance}, options)[0];
  }

  /**
   * Several responses on one design: the same regressors, fixed effects, singletons and
   * clusters, residualised together in one run of the alternating projections (they stop when
   * every column has converged). The estimator is linear in the response, so the coefficients
   * of a sum of responses are the sum of their coefficients, to rounding: what splitting a gap
   * into parts relies on. With one response this is {@link #fit}.
   *
   * @param ys the responses, each of length n
   * @param measurementVariance per response, as in {@link #fit} (an entry may be null)
   * @return one fit per response, in order
   */
  public static Fit[] fitAll(
      double[][] ys, double[][] x, int[][] fixedEffects, int[] cluster,
      double[][] measurementVariance, Options options) {
    int n = ys[0].length;
    int p = x.length;
    int responses = ys.length;
    int[][] fe = fixedEffects.length == 0 ? new int[][] {new int[n]} : fixedEffects;
    boolean[] kept = FixedEffects.dropSingletons(fe, n);
    int[] index = indexOf(kept);
    int m = index.length;

    double[][] cols = new double[p + responses][m];
    for (int r = 0; r < m; r++) {
      int i = index[r];
      for (int t = 0; t < responses; t++) {
        cols[t][r] = ys[t][i];
      }
      for (int j = 0; j < p; j++) {
        cols[j + responses][r] = x[j][i];
      }
    }
    int[][] levels = new int[fe.length][];
    int[] levelCounts = new int[fe.length];
    for (int k = 0; k < fe.length; k++) {
      levels[k] = new int[m];
      levelCounts[k] = FixedEffects.compact(fe[k], index, levels[k]);
    }
    int[] clusterOf = new int[m];
    int clusters = FixedEffects.compact(cluster, index, clusterOf);

    double[] rawSs = new double[p];
    for (int j = 0; j < p; j++) {
      rawSs[j] = centredSumOfSquares(cols[j + responses]);
    }
    int iterations = FixedEffects.demean(cols, levels, levelCounts, options);
    boolean converged = iterations < options.maxIterations();

    boolean[] identified = new boolean[p];
    for (int j = 0; j < p; j++) {
      double ss = dot(cols[j + responses], cols[j + responses]);
      identified[j] = m > 0 && ss > 1e-8 && ss > 1e-10 * rawSs[j];
    }
    int[] use = indexOf(identified);
    while (use.length > 0
        && !new LUDecomposition(gram(cols, use, responses), 1e-11).getSolver().isNonSingular()) {
      identified[use[use.length - 1]] = false;
      use = indexOf(identified);
    }

    int absorbed = levelCounts[0];
    for (int k = 1; k < levelCounts.length; k++) {
      absorbed += levelCounts[k] - 1;
    }
    int q = use.length;
    Fit[] fits = new Fit[responses];
    RealMatrix inverse = q == 0
        ? null : new LUDecomposition(gram(cols, use, responses)).getSolver().getInverse();
    for (int t = 0; t < responses; t++) {
      double[] coefficients = new double[p];
      double[] standardErrors = new double[p];
      Arrays.fill(coefficients, Double.NaN);
      Arrays.fill(standardErrors, Double.NaN);
      if (q == 0) {
        fits[t] = new Fit(coefficients, standardErrors, identified.clone(), m, clusters, absorbed,
            iterations, converged, kept.clone(), Arrays.copyOf(cols[t], m));
        continue;
      }
      double[] xty = new double[q];
      for (int a = 0; a < q; a++) {
        xty[a] = dot(cols[use[a] + responses], cols[t]);
      }
      double[] beta = inverse.operate(xty);

      double[] residual = Arrays.copyOf(cols[t], m);
      for (int a = 0; a < q; a++) {
        double[] xa = cols[use[a] + responses];
        for (int r = 0; r < m; r++) {
          residual[r] -= beta[a] * xa[r];
        }
      }
      double[][] scores = new double[clusters][q];
      for (int r = 0; r < m; r++) {
        for (int a = 0; a < q; a++) {
          scores[clusterOf[r]][a] += cols[use[a] + responses][r] * residual[r];
        }
      }
      double[][] meat = new double[q][q];
      for (double[] s : scores) {
        for (int a = 0; a < q; a++) {
          for (int b = 0; b < q; b++) {
            meat[a][b] += s[a] * s[b];
          }
        }
      }
      double noise = 0;
      double[] measurement = measurementVariance == null ? null : measurementVariance[t];
      if (measurement != null) {
        for (int i : index) {
          noise += measurement[i];
        }
        noise /= m;
      }
      int k = q + absorbed;
      double factor = clusters > 1 && m > k
          ? (double) clusters / (clusters - 1) * (m - 1.0) / (m - k)
          : Double.NaN;
      RealMatrix v = inverse.multiply(new Array2DRowRealMatrix(meat)).multiply(inverse)
          .scalarMultiply(factor);
      for (int a = 0; a < q; a++) {
        int j = use[a];
        coefficients[j] = beta[a];
        double floor = noise * inverse.getEntry(a, a);
        standardErrors[j] = Math.sqrt(Math.max(v.getEntry(a, a), floor));
      }
      fits[t] = new Fit(coefficients, standardErrors, identified.clone(), m, clusters, absorbed,
          iterations, converged, kept.clone(), residual);
    }
    return fits;
  }

  private static int[] indexOf(boolean[] mask) {
    int count = 0;
    for (boolean b : mask) {
      count += b ? 1 : 0;
    }
    int[] out = new int[count];
    int c = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        out[c++] = i;
      }
    }
    return out;
  }

  private static RealMatrix gram(double[][] cols, int[] use, int responses) {
    double[][] g = new double[use.length][use.length];
    for (int a = 0; a < use.length; a++) {
      for (int b = 0; b < use.length; b++) {
        g[a][b] = dot(cols[use[a] + responses], cols[use[b] + responses]);
      }
    }
    return new Array2DRowRealMatrix(g, false);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double centredSumOfSquares(double[] a) {
    double mean = 0;
    for (double v : a) {
      mean += v;
    }
    mean /= Math.max(1, a.length);
    double s = 0;
    for (double v : a) {
      s += (v - mean) * (v - mean);
    }
    return s;
  }
}
