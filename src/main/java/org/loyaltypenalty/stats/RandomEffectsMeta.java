package org.loyaltypenalty.stats;

/**
 * Pools per-SKU estimates into one merchant-level estimate by the DerSimonian-Laird
 * random-effects model (DerSimonian &amp; Laird 1986, "Meta-analysis in clinical trials",
 * Controlled Clinical Trials 7(3); as in R metafor {@code rma(method = "DL")}).
 *
 * <p>With estimates {@code y_i} and variances {@code v_i}: fixed-effect weights
 * {@code w_i = 1/v_i}; Cochran's {@code Q = sum w_i (y_i - ybar_w)^2}; between-SKU variance
 * {@code tau^2 = max(0, (Q - (k-1)) / (sum w - sum w^2 / sum w))}; random-effects weights
 * {@code 1/(v_i + tau^2)}; pooled mean and standard error {@code 1/sqrt(sum w*)}. The pooled
 * estimate answers "what is the typical penalty across this merchant's SKUs", allowing SKUs to
 * differ; inference is normal (z), as in metafor's default.
 */
public final class RandomEffectsMeta {
  private RandomEffectsMeta() {}

  /** The pooled estimate, its standard error, tau^2 and the number of SKUs pooled. */
  public record Pooled(double estimate, double stdError, double tauSquared, int studies) {}

  public static Pooled pool(double[] estimates, double[] variances) {
    int k = estimates.length;
    if (k == 0) {
      return new Pooled(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double sw = 0;
    double sw2 = 0;
    double swy = 0;
    for (int i = 0; i < k; i++) {
      double w = 1 / variances[i];
      sw += w;
      sw2 += w * w;
      swy += w * estimates[i];
    }
    double mean = swy / sw;
    double q = 0;
    for (int i = 0; i < k; i++) {
      double d = estimates[i] - mean;
      q += d * d / variances[i];
    }
    double c = sw - sw2 / sw;
    double tau2 = k > 1 && c > 0 ? Math.max(0, (q - (k - 1)) / c) : 0;
    double swStar = 0;
    double swyStar = 0;
    for (int i = 0; i < k; i++) {
      double w = 1 / (variances[i] + tau2);
      swStar += w;
      swyStar += w * estimates[i];
    }
    return new Pooled(swyStar / swStar, Math.sqrt(1 / swStar), tau2, k);
  }
}
