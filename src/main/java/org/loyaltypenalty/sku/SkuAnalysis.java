package org.loyaltypenalty.sku;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.segment.Contrast;
import org.loyaltypenalty.segment.SegmentLevels;
import org.loyaltypenalty.stats.FixedEffectsRegression;
import org.loyaltypenalty.stats.FlagRule;
import org.loyaltypenalty.stats.Inference;

/**
 * Everything the audit needs from one (SKU, currency)'s quotes, from one fit: the estimate of
 * each comparison, the placebo estimate, the exact cells that hold both groups, and the
 * report's figures when an estimate may be flagged. Plain Java over {@link SkuQuotes}; the
 * Spark side is {@link SkuPass}.
 *
 * @param dimensions the context dimensions held fixed, in the order of the quotes' levels
 */
record SkuAnalysis(ComparisonTest test, FlagRule flagRule, double priceUnit,
    List<String> dimensions, List<SegmentLevels> segments) implements Serializable {

  SkuAnalysis {
    dimensions = List.copyOf(dimensions);
    segments = List.copyOf(segments);
  }

  static SkuAnalysis of(AuditConfig config, List<String> dimensions) {
    return of(config, dimensions, List.of());
  }

  /** @param segments the configured segments, resolved on the run's data */
  static SkuAnalysis of(AuditConfig config, List<String> dimensions,
      List<SegmentLevels> segments) {
    return new SkuAnalysis(ComparisonTest.of(config), config.flagRule(), config.priceUnit(),
        dimensions, segments);
  }

  /**
   * What one SKU yields.
   *
   * @param estimates the loyalty cohort's comparisons
   * @param segmentEstimates each configured segment's comparisons, segment by segment in level
   *     order
   * @param outcomes the comparisons of what was paid in money (total, fee, coupon), when the
   *     quotes carry a fee or a coupon (else empty): the loyalty cohort's, then each configured
   *     segment's in the order of {@code segmentEstimates}
   */
  record Result(List<Estimate> estimates, List<Estimate> segmentEstimates, List<Estimate> placebo,
      List<ExactCells.Cell> cells, List<SkuFigures.Figure> figures,
      List<OutcomeEstimate> outcomes) {
    /** Every comparison, the cohort's first. */
    List<Estimate> all() {
      List<Estimate> out = new ArrayList<>(estimates);
      out.addAll(segmentEstimates);
      return out;
    }
  }

  /** The whole analysis of {@code quotes} (canonicalised). */
  Result analyse(SkuQuotes quotes) {
    FixedEffectsRegression.Fit fit = CohortFit.fitLogPrice(quotes, priceUnit);
    List<Estimate> estimates = estimates(quotes, fit);
    List<SkuFigures.Figure> figures = estimates.stream()
        .anyMatch(e -> flagRule.mayBeFlagged(e.pValue(), e.estimateLog()))
        ? SkuFigures.of(quotes, fit, estimates, dimensions, priceUnit) : List.of();
    List<Estimate> segmentEstimates = new ArrayList<>();
    List<OutcomeEstimate> outcomes = new ArrayList<>(paid(quotes));
    for (int s = 0; s < segments.size(); s++) {
      Marginal marginal = marginal(quotes, s);
      segmentEstimates.addAll(marginal.estimates());
      outcomes.addAll(marginal.outcomes());
    }
    if (!segments.isEmpty()) {
      Map<Contrast, double[]> adjusted = adjusted(quotes);
      estimates = withAdjusted(estimates, adjusted);
      segmentEstimates = withAdjusted(segmentEstimates, adjusted);
    }
    List<ExactCells.Cell> cells = new ArrayList<>(ExactCells.withBoth(quotes));
    for (int s = 0; s < segments.size(); s++) {
      cells.addAll(cells(quotes, s));
    }
    return new Result(estimates, segmentEstimates, placebo(quotes), cells, figures, outcomes);
  }

  /**
   * The loyalty cohort's comparisons of the total paid per unit, the fee and the coupon, in
   * money, from one fit of the total and its parts ({@link PaidFit}); each total comparison
   * carries its split into parts.
   */
  List<OutcomeEstimate> paid(SkuQuotes quotes) {
    if (!quotes.hasAmounts()) {
      return List.of();
    }
    List<Compared> compared = new ArrayList<>();
    for (Comparison c : Comparison.values()) {
      compared.add(new Compared(CohortFit.coefficient(c), c.compared().ordinal(), c.contrast()));
    }
    return outcomes(quotes, PaidFit.fit(quotes, priceUnit), quotes.cohortLevels(),
        Comparison.reference().ordinal(), compared);
  }

  /**
   * A level compared with the reference: its coefficient in the fit, its level index in the
   * compared attribute and its contrast.
   */
  private record Compared(int coefficient, int level, Contrast contrast) {}

  /**
   * The tests of each money outcome of {@code fits} (of {@code quotes}), level by level; each
   * total comparison carries its split into parts.
   *
   * @param group each quote's level in the compared attribute
   * @param reference the reference level
   */
  private List<OutcomeEstimate> outcomes(SkuQuotes quotes, PaidFit.Result fits, int[] group,
      int reference, List<Compared> compared) {
    List<OutcomeEstimate> out = new ArrayList<>();
    for (Outcome outcome : PaidFit.outcomes(quotes)) {
      FixedEffectsRegression.Fit fit = fits.of(outcome);
      for (Compared c : compared) {
        Estimate e = test.test(quotes, fit, c.coefficient(), group, reference, c.level(),
            c.contrast());
        Double[] split = outcome == Outcome.TOTAL && e.tested() ? fits.split(c.coefficient())
            : null;
        out.add(new OutcomeEstimate(outcome, e, fits.referenceMean(), split));
      }
    }
    return out;
  }

  /** A segment's comparisons of the unit price and of the money outcomes. */
  private record Marginal(List<Estimate> estimates, List<OutcomeEstimate> outcomes) {}

  /**
   * Segment {@code s}'s comparisons: each level against the reference, in one fit of the
   * quotes whose level is known, holding fixed every context dimension but the segment itself;
   * when the quotes carry a fee or a coupon, the same comparisons of the total paid per unit
   * and its parts, in one fit of them on the same design ({@link PaidFit}), in % of the
   * reference level's mean total.
   */
  private Marginal marginal(SkuQuotes quotes, int s) {
    SegmentLevels segment = segments.get(s);
    int[] levelOf = quotes.segment[s];
    SkuQuotes known = new SkuQuotes(quotes, i -> levelOf[i] >= 0, i -> quotes.cohort[i]);
    List<Estimate> out = new ArrayList<>();
    List<OutcomeEstimate> money = new ArrayList<>();
    if (known.n == 0) {
      for (Contrast c : segment.contrasts()) {
        out.add(new Estimate(quotes.skuId, quotes.currency, null, 0, c, 0, 0, 0, 0, null, null,
            null, null, null, null, null, null, UntestedReason.FEWER_QUOTES, 0, 0, null, null,
            null));
      }
      for (Outcome outcome : PaidFit.outcomes(quotes)) {
        out.forEach(e -> money.add(new OutcomeEstimate(outcome, e, Double.NaN, null)));
      }
      return new Marginal(out, money);
    }
    List<SegmentFit.Group> groups = List.of(new SegmentFit.Group(known.segment[s],
        segment.levels().size(), segment.reference()));
    boolean[] held = held(List.of(s));
    SegmentFit.Result fit = SegmentFit.fit(known, groups, held, priceUnit);
    List<Compared> compared = new ArrayList<>();
    for (int level = 0; level < segment.levels().size(); level++) {
      if (level == segment.reference()) {
        continue;
      }
      int j = fit.coefficient(groups, 0, level);
      out.add(test.test(known, fit.fit(), j, known.segment[s], segment.reference(), level,
          segment.contrast(level)));
      compared.add(new Compared(j, level, segment.contrast(level)));
    }
    if (known.hasAmounts() && !compared.isEmpty()) {
      PaidFit.Result fits = PaidFit.fit(known, priceUnit,
          (ys, m) -> SegmentFit.fitAll(known, groups, held, ys, m), known.segment[s],
          segment.reference());
      money.addAll(outcomes(known, fits, known.segment[s], segment.reference(), compared));
    }
    return new Marginal(out, money);
  }

  /** Segment {@code s}'s exact cells: the context dimensions its fit holds fixed, equal. */
  private List<ExactCells.Cell> cells(SkuQuotes quotes, int s) {
    SegmentLevels segment = segments.get(s);
    Contrast[] contrastOf = new Contrast[segment.levels().size()];
    for (int level = 0; level < contrastOf.length; level++) {
      if (level != segment.reference()) {
        contrastOf[level] = segment.contrast(level);
      }
    }
    return contrastOf.length == 0 ? List.of() : ExactCells.withBoth(quotes, quotes.segment[s],
        segment.reference(), contrastOf, held(List.of(s)));
  }

  /**
   * The adjusted view: one fit of the cohort's and every segment's indicators together, over
   * the quotes whose level is known in every segment, holding fixed the context dimensions that
   * are not segments. Per contrast: the estimate and its two-sided interval, where identified.
   */
  private Map<Contrast, double[]> adjusted(SkuQuotes quotes) {
    SkuQuotes known = new SkuQuotes(quotes, i -> {
      for (int[] levelOf : quotes.segment) {
        if (levelOf[i] < 0) {
          return false;
        }
      }
      return true;
    }, i -> quotes.cohort[i]);
    Map<Contrast, double[]> out = new HashMap<>();
    if (known.n == 0) {
      return out;
    }
    int[] cohort = known.cohortLevels();
    List<SegmentFit.Group> groups = new ArrayList<>();
    groups.add(new SegmentFit.Group(cohort, Cohort.values().length,
        Comparison.reference().ordinal()));
    List<Integer> all = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      groups.add(new SegmentFit.Group(known.segment[s], segments.get(s).levels().size(),
          segments.get(s).reference()));
      all.add(s);
    }
    SegmentFit.Result result = SegmentFit.fit(known, groups, held(all), priceUnit);
    FixedEffectsRegression.Fit fit = result.fit();
    if (fit.degreesOfFreedom() < 1) {
      return out;
    }
    double df = fit.degreesOfFreedom();
    for (Comparison c : Comparison.values()) {
      put(out, c.contrast(), fit, result.coefficient(groups, 0, c.compared().ordinal()), df);
    }
    for (int s = 0; s < segments.size(); s++) {
      SegmentLevels segment = segments.get(s);
      for (int level = 0; level < segment.levels().size(); level++) {
        if (level != segment.reference()) {
          put(out, segment.contrast(level), fit, result.coefficient(groups, s + 1, level), df);
        }
      }
    }
    return out;
  }

  private void put(Map<Contrast, double[]> out, Contrast contrast, FixedEffectsRegression.Fit fit,
      int j, double df) {
    double se = fit.standardErrors()[j];
    if (fit.identified()[j] && Double.isFinite(se)) {
      double b = fit.coefficients()[j];
      double[] ci = Inference.interval(b, se, df, test.confidence());
      out.put(contrast, new double[] {b, ci[0], ci[1]});
    }
  }

  /** The tested estimates with their adjusted view, where it is identified. */
  private static List<Estimate> withAdjusted(List<Estimate> estimates,
      Map<Contrast, double[]> adjusted) {
    List<Estimate> out = new ArrayList<>();
    for (Estimate e : estimates) {
      double[] a = e.tested() ? adjusted.get(e.contrast()) : null;
      out.add(a == null ? e : e.withAdjusted(a[0], a[1], a[2]));
    }
    return out;
  }

  /** Which context dimensions a fit of the segments {@code tested} holds fixed. */
  private boolean[] held(List<Integer> tested) {
    boolean[] held = new boolean[dimensions.size()];
    for (int k = 0; k < held.length; k++) {
      held[k] = true;
      for (int s : tested) {
        if (dimensions.get(k).equals(segments.get(s).name())) {
          held[k] = false;
        }
      }
    }
    return held;
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

  /** The compared level of a segment's placebo: a random half of its reference level. */
  static final String PLACEBO_HALF = "placebo_half";

  /**
   * The loyal_vs_new estimate between two random halves of the new customers (by the hash
   * {@link SkuPass#pseudoLoyal} computed before the shuffle), and the same split of each
   * segment's reference level; nothing when the SKU has no new customers.
   */
  private List<Estimate> placebo(SkuQuotes quotes) {
    int reference = Cohort.NEW.ordinal();
    SkuQuotes split = new SkuQuotes(quotes, i -> quotes.cohort[i] == reference,
        i -> quotes.pseudoLoyal[i] ? Cohort.LOYAL.ordinal() : reference);
    List<Estimate> out = new ArrayList<>();
    if (split.n > 0) {
      out.add(test.test(split, CohortFit.fitLogPrice(split, priceUnit), Comparison.LOYAL_VS_NEW));
    }
    // each segment's reference level split the same way: the segment's comparisons' false
    // alarms on this data, where no difference can exist
    for (int s = 0; s < segments.size(); s++) {
      SegmentLevels segment = segments.get(s);
      if (segment.levels().isEmpty()) {
        continue;
      }
      int[] levelOf = quotes.segment[s];
      int ref = segment.reference();
      SkuQuotes half = new SkuQuotes(quotes, i -> levelOf[i] == ref,
          i -> quotes.pseudoLoyal[i] ? Cohort.LOYAL.ordinal() : reference);
      if (half.n > 0) {
        out.add(test.test(half, CohortFit.fitLogPrice(half, priceUnit), Comparison.LOYAL_VS_NEW)
            .withContrast(new Contrast(segment.name(), PLACEBO_HALF, segment.referenceLevel())));
      }
    }
    return out;
  }
}
