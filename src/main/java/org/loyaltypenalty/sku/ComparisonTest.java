package org.loyaltypenalty.sku;

import java.util.BitSet;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.segment.Contrast;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.stats.FixedEffectsRegression;
import org.loyaltypenalty.stats.Inference;

/**
 * Whether a comparison of one SKU can be tested and, if so, its test: the minimum-data rules
 * (checked in the order of {@link UntestedReason}) on the quotes the fit kept, then the
 * one-sided p-value for a penalty and the two-sided interval at {@code confidence}
 * ({@link Inference}).
 *
 * @param minQuotes fewest quotes per group in the fit
 * @param minCustomers fewest distinct customers per group in the fit
 * @param confidence level of the two-sided interval and of the upper one-sided bound
 * @param alpha the one-sided level the minimum detectable effect is computed at: the FDR level
 *     {@code test.fdr_q}, the most a Benjamini-Hochberg threshold can be ({@code q R / m <= q})
 */
record ComparisonTest(int minQuotes, int minCustomers, double confidence, double alpha)
    implements java.io.Serializable {

  static ComparisonTest of(AuditConfig config) {
    return new ComparisonTest(config.minQuotesPerCohort(), config.minCustomersPerCohort(),
        config.confidence(), config.fdrQ());
  }

  /** The estimate of {@code comparison} from {@code fit} of {@code quotes}. */
  Estimate test(SkuQuotes quotes, FixedEffectsRegression.Fit fit, Comparison comparison) {
    int[] cohort = quotes.cohortLevels();
    return test(quotes, fit, CohortFit.coefficient(comparison), cohort,
        Comparison.reference().ordinal(), comparison.compared().ordinal(),
        comparison.contrast());
  }

  /**
   * The estimate of {@code contrast}, the fit's regressor {@code coefficient}: the groups are
   * the quotes whose {@code group} is {@code ref} and {@code cmp}.
   */
  Estimate test(SkuQuotes quotes, FixedEffectsRegression.Fit fit, int coefficient, int[] group,
      int ref, int cmp, Contrast contrast) {
    long nRef = 0;
    long nCmp = 0;
    BitSet custRef = new BitSet();
    BitSet custCmp = new BitSet();
    for (int i = 0; i < quotes.n; i++) {
      if (!fit.kept()[i]) {
        continue;
      }
      if (group[i] == ref) {
        nRef++;
        custRef.set(quotes.customer[i]);
      } else if (group[i] == cmp) {
        nCmp++;
        custCmp.set(quotes.customer[i]);
      }
    }
    UntestedReason reason = null;
    if (nRef < minQuotes || nCmp < minQuotes) {
      reason = UntestedReason.FEWER_QUOTES;
    } else if (custRef.cardinality() < minCustomers || custCmp.cardinality() < minCustomers) {
      reason = UntestedReason.FEWER_CUSTOMERS;
    } else if (!fit.identified()[coefficient]) {
      reason = UntestedReason.NO_SHARED_CONTEXT;
    } else if (fit.degreesOfFreedom() < 1
        || !Double.isFinite(fit.standardErrors()[coefficient])) {
      reason = UntestedReason.NO_STANDARD_ERROR;
    }
    Double estimate = null;
    Double se = null;
    Double df = null;
    Double p = null;
    Double low = null;
    Double high = null;
    Double mde = null;
    Double upper = null;
    if (reason == null) {
      estimate = fit.coefficients()[coefficient];
      se = fit.standardErrors()[coefficient];
      df = (double) fit.degreesOfFreedom();
      p = Inference.oneSidedPenaltyP(estimate, se, df);
      double[] ci = Inference.interval(estimate, se, df, confidence);
      low = ci[0];
      high = ci[1];
      mde = Inference.minimumDetectable(se, df, alpha);
      upper = Inference.upperBound(estimate, se, df, confidence);
    }
    return new Estimate(quotes.skuId, quotes.currency, quotes.singleMerchant(),
        quotes.merchants.size(), contrast, nRef, nCmp, custRef.cardinality(),
        custCmp.cardinality(), estimate, se, df, p, low, high, mde, upper, reason,
        fit.observations(), quotes.n, null, null, null);
  }
}
