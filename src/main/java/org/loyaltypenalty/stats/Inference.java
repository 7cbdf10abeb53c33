package org.loyaltypenalty.stats;

import static org.apache.spark.sql.functions.exp;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.spark.sql.Column;

/**
 * p-values and intervals for an estimate with a standard error, by Apache Commons Statistics.
 * The test is one-sided for a penalty: H0 {@code b <= 0} against H1 {@code b > 0}; the p-value
 * is {@code P(T >= b/se)} with T Student-t (or standard normal when {@code df} is infinite).
 * Strong effects can underflow to p = 0: readers should show that as {@code < 1e-16}.
 */
public final class Inference {
  private Inference() {}

  public static double oneSidedPenaltyP(double estimate, double stdError, double df) {
    double t = estimate / stdError;
    return Double.isInfinite(df)
        ? NormalDistribution.of(0, 1).survivalProbability(t)
        : TDistribution.of(df).survivalProbability(t);
  }

  /** The two-sided {@code level} interval {@code estimate -+ crit * se}. */
  public static double[] interval(double estimate, double stdError, double df, double level) {
    double tail = (1 - level) / 2;
    double crit = Double.isInfinite(df)
        ? NormalDistribution.of(0, 1).inverseSurvivalProbability(tail)
        : TDistribution.of(df).inverseSurvivalProbability(tail);
    return new double[] {estimate - crit * stdError, estimate + crit * stdError};
  }

  /** The power {@link #minimumDetectable} is computed at. */
  public static final double POWER = 0.8;

  /**
   * The minimum detectable effect of a one-sided test at level {@code alpha}: the smallest true
   * effect it rejects with probability {@link #POWER}, by the usual approximation
   * {@code se (t(1 - alpha) + t(POWER))} with t the Student-t quantiles at {@code df} (normal when
   * {@code df} is infinite). The approximation ignores the noncentral t's skew: at 30 degrees
   * of freedom its exact power is 80.2% (SciPy, {@code scipy.stats.nct}). Source: Cohen,
   * Statistical Power Analysis for the Behavioral Sciences (1988), ch. 2; Bloom, "Minimum
   * detectable effects", Evaluation Review 19 (1995).
   */
  public static double minimumDetectable(double stdError, double df, double alpha) {
    return stdError * (quantile(1 - alpha, df) + quantile(POWER, df));
  }

  /**
   * The upper one-sided bound at {@code confidence}: {@code estimate + t(confidence) se}. A
   * penalty of at least a margin is ruled out when this bound is below it: the upper half of
   * the two one-sided tests for equivalence (Schuirmann, J. Pharmacokinet. Biopharm. 15, 1987),
   * at level {@code 1 - confidence}.
   */
  public static double upperBound(double estimate, double stdError, double df,
      double confidence) {
    return estimate + quantile(confidence, df) * stdError;
  }

  private static double quantile(double p, double df) {
    return Double.isInfinite(df)
        ? NormalDistribution.of(0, 1).inverseCumulativeProbability(p)
        : TDistribution.of(df).inverseCumulativeProbability(p);
  }

  /**
   * A log-price difference as a percentage: {@code 100 (e^b - 1)}, the percentage by which the
   * compared group's price exceeds the reference group's.
   */
  public static double percent(double logDifference) {
    return 100 * Math.expm1(logDifference);
  }

  /**
   * {@link #percent(double)} as a Spark column: {@code (e^b - 1) * 100}, the formula every
   * percentage of the findings table is computed with (it may differ from the Java one in the
   * last bit).
   */
  public static Column percent(Column logDifference) {
    return exp(logDifference).minus(1).multiply(100);
  }
}
