package org.loyaltypenalty.sku;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.stats.FixedEffectsRegression;
import org.loyaltypenalty.stats.FlagRule;

/**
 * Everything the audit needs from one (SKU, currency)'s quotes, from one fit: the estimate of
 * each comparison, the placebo estimate, the exact cells that hold both groups, and the
 * report's figures when an estimate may be flagged. Plain Java over {@link SkuQuotes}; the
 * Spark side is {@link SkuPass}.
 *
 * @param dimensions the context dimensions held fixed, in the order of the quotes' levels
 */
record SkuAnalysis(ComparisonTest test, FlagRule flagRule, double priceUnit,
    List<String> dimensions) implements Serializable {

  static SkuAnalysis of(AuditConfig config, List<String> dimensions) {
    return new SkuAnalysis(ComparisonTest.of(config), config.flagRule(), config.priceUnit(),
        List.copyOf(dimensions));
  }

  /** What one SKU yields. */
  record Result(List<Estimate> estimates, List<Estimate> placebo, List<ExactCells.Cell> cells,
      List<SkuFigures.Figure> figures) {}

  /** The whole analysis of {@code quotes} (canonicalised). */
  Result analyse(SkuQuotes quotes) {
    FixedEffectsRegression.Fit fit = CohortFit.fitLogPrice(quotes, priceUnit);
    List<Estimate> estimates = estimates(quotes, fit);
    List<SkuFigures.Figure> figures = estimates.stream()
        .anyMatch(e -> flagRule.mayBeFlagged(e.pValue(), e.estimateLog()))
        ? SkuFigures.of(quotes, fit, estimates, dimensions, priceUnit) : List.of();
    return new Result(estimates, placebo(quotes), ExactCells.withBoth(quotes), figures);
  }

  /** The figures of {@code quotes} from a fit of their own, whatever their estimates. */
  List<SkuFigures.Figure> figures(SkuQuotes quotes) {
    FixedEffectsRegression.Fit fit = CohortFit.fitLogPrice(quotes, priceUnit);
    return SkuFigures.of(quotes, fit, estimates(quotes, fit), dimensions, priceUnit);
  }

  private List<Estimate> estimates(SkuQuotes quotes, FixedEffectsRegression.Fit fit) {
    List<Estimate> out = new ArrayList<>();
    for (Comparison c : Comparison.values()) {
      out.add(test.test(quotes, fit, c));
    }
    return out;
  }

  /**
   * The loyal_vs_new estimate between two random halves of the new customers (by the hash
   * {@link SkuPass#pseudoLoyal} computed before the shuffle); nothing when the SKU has no new
   * customers.
   */
  private List<Estimate> placebo(SkuQuotes quotes) {
    int reference = Cohort.NEW.ordinal();
    SkuQuotes split = new SkuQuotes(quotes, i -> quotes.cohort[i] == reference,
        i -> quotes.pseudoLoyal[i] ? Cohort.LOYAL.ordinal() : reference);
    if (split.n == 0) {
      return List.of();
    }
    return List.of(test.test(split, CohortFit.fitLogPrice(split, priceUnit),
        Comparison.LOYAL_VS_NEW));
  }
}
