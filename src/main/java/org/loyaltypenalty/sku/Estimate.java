package org.loyaltypenalty.sku;

import org.loyaltypenalty.segment.Contrast;

/**
 * One comparison of one (SKU, currency): the counts of its estimation sample and, when it was
 * tested, the estimate on the log scale with its standard error, degrees of freedom, one-sided
 * p-value for a penalty and two-sided confidence interval, the minimum detectable effect and
 * the upper one-sided bound ({@link org.loyaltypenalty.stats.Inference}). Untested:
 * {@code reason} says why and the statistics are null.
 *
 * @param merchantId the SKU's merchant when it has exactly one, else null
 * @param merchants distinct merchants of the SKU's quotes
 * @param observations quotes in the fit (singletons of the fixed effects dropped)
 * @param quotesInSku quotes of the SKU, before the fit
 * @param adjustedLog the estimate with every tested segment held fixed for the others (one fit
 *     of all their indicators together), null when no segment is configured or it is not
 *     identified; {@code adjustedLowLog} and {@code adjustedHighLog} its two-sided interval
 */
public record Estimate(
    String skuId,
    String currency,
    String merchantId,
    int merchants,
    Contrast contrast,
    long nReference,
    long nCompared,
    long customersReference,
    long customersCompared,
    Double estimateLog,
    Double stdErrorLog,
    Double degreesOfFreedom,
    Double pValue,
    Double ciLowLog,
    Double ciHighLog,
    Double mdeLog,
    Double upperBoundLog,
    UntestedReason reason,
    long observations,
    long quotesInSku,
    Double adjustedLog,
    Double adjustedLowLog,
    Double adjustedHighLog) {

  public boolean tested() {
    return reason == null;
  }

  /** This estimate, of {@code other}. */
  Estimate withContrast(Contrast other) {
    return new Estimate(skuId, currency, merchantId, merchants, other, nReference, nCompared,
        customersReference, customersCompared, estimateLog, stdErrorLog, degreesOfFreedom,
        pValue, ciLowLog, ciHighLog, mdeLog, upperBoundLog, reason, observations, quotesInSku,
        adjustedLog, adjustedLowLog, adjustedHighLog);
  }

  /** This estimate with the adjusted view's estimate and interval. */
  Estimate withAdjusted(Double log, Double lowLog, Double highLog) {
    return new Estimate(skuId, currency, merchantId, merchants, contrast, nReference, nCompared,
        customersReference, customersCompared, estimateLog, stdErrorLog, degreesOfFreedom,
        pValue, ciLowLog, ciHighLog, mdeLog, upperBoundLog, reason, observations, quotesInSku,
        log, lowLog, highLog);
  }
}
