package org.loyaltypenalty.sku;

import java.util.Arrays;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.stats.FixedEffectsRegression;

/**
 * The per-SKU model: a response (log price, or log list price) on indicators of the repeat and
 * loyal cohorts (new customers are the reference), with additive fixed effects for every context
 * dimension held fixed and standard errors clustered by customer; each quote's price rounding
 * (half a {@code price_unit}) enters as measurement error. See {@link FixedEffectsRegression}
 * for the maths and its sources.
 */
final class CohortFit {
  private CohortFit() {}

  /** The fit's coefficient that measures {@code comparison}: repeat first, then loyal. */
  static int coefficient(Comparison comparison) {
    return comparison == Comparison.REPEAT_VS_NEW ? 0 : 1;
  }

  /**
   * Fits {@code response} (one value per quote of {@code quotes}, in their order).
   *
   * @param priceUnit the smallest price step: a price is known to within half of it
   */
  static FixedEffectsRegression.Fit fit(SkuQuotes quotes, double[] response, double priceUnit) {
    Design d = design(quotes);
    return FixedEffectsRegression.fit(response, d.indicators(), d.levels(), d.clusters(),
        roundingVariance(quotes, priceUnit), FixedEffectsRegression.Options.DEFAULT);
  }

  /**
   * The model's design for {@code quotes}: the repeat and loyal indicators, each held dimension's
   * level per quote, and the customer each quote is clustered by.
   */
  private record Design(double[][] indicators, int[][] levels, int[] clusters) {}

  private static Design design(SkuQuotes quotes) {
    int n = quotes.n;
    double[] repeat = new double[n];
    double[] loyal = new double[n];
    for (int i = 0; i < n; i++) {
      repeat[i] = quotes.cohort[i] == Cohort.REPEAT.ordinal() ? 1 : 0;
      loyal[i] = quotes.cohort[i] == Cohort.LOYAL.ordinal() ? 1 : 0;
    }
    int[][] levels = new int[quotes.fe.length][];
    for (int k = 0; k < quotes.fe.length; k++) {
      levels[k] = Arrays.copyOf(quotes.fe[k], n);
    }
    return new Design(new double[][] {repeat, loyal}, levels, Arrays.copyOf(quotes.customer, n));
  }

  /**
   * Each quote's log-price rounding variance, {@code (priceUnit / price)^2 / 12} (uniform
   * rounding to the price unit; Sheppard's correction): the fits' measurement error.
   */
  static double[] roundingVariance(SkuQuotes quotes, double priceUnit) {
    double[] measurement = new double[quotes.n];
    for (int i = 0; i < quotes.n; i++) {
      double rel = priceUnit / quotes.price[i];
      measurement[i] = rel * rel / 12;
    }
    return measurement;
  }

  /**
   * Fits several responses on the design of {@link #fit} at once
   * ({@link FixedEffectsRegression#fitAll}).
   *
   * @param measurement each response's per-quote measurement-error variance
   */
  static FixedEffectsRegression.Fit[] fitAll(SkuQuotes quotes, double[][] responses,
      double[][] measurement) {
    Design d = design(quotes);
    return FixedEffectsRegression.fitAll(responses, d.indicators(), d.levels(), d.clusters(),
        measurement, FixedEffectsRegression.Options.DEFAULT);
  }

  /** Fits the quotes' log prices. */
  static FixedEffectsRegression.Fit fitLogPrice(SkuQuotes quotes, double priceUnit) {
    return fit(quotes, Arrays.copyOf(quotes.y, quotes.n), priceUnit);
  }
}
