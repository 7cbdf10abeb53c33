package org.loyaltypenalty.sku;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.loyaltypenalty.stats.FixedEffectsRegression;

/**
 * The per-SKU model of {@link CohortFit} with any set of segments: log price on one indicator
 * per non-reference level of each segment, with additive fixed effects for the context
 * dimensions held fixed and standard errors clustered by customer. With one segment it is that
 * segment's marginal comparison; with all of them together each is held fixed for the others
 * (the adjusted view). The quotes must have a known level in every segment of the fit.
 */
final class SegmentFit {
  private SegmentFit() {}

  /**
   * One segment of a fit.
   *
   * @param levelOf each quote's level index (0..levels-1)
   * @param levels how many levels the segment has
   * @param reference the reference level: it gets no indicator
   */
  record Group(int[] levelOf, int levels, int reference) {
    /** The indicator's position among this group's regressors of {@code level} (not the reference). */
    int slot(int level) {
      return level < reference ? level : level - 1;
    }
  }

  /** A fit and where each group's regressors start in it. */
  record Result(FixedEffectsRegression.Fit fit, int[] offsets) {
    /** The coefficient of {@code level} of group {@code g}. */
    int coefficient(List<Group> groups, int g, int level) {
      return offsets[g] + groups.get(g).slot(level);
    }
  }

  /**
   * Fits the log prices of {@code quotes} on the groups' indicators.
   *
   * @param held which context dimensions are held fixed (a dimension that is a segment of the
   *     fit is not: its levels are what is compared)
   * @param priceUnit the smallest price step: a price is known to within half of it
   */
  static Result fit(SkuQuotes quotes, List<Group> groups, boolean[] held, double priceUnit) {
    Design d = design(quotes, groups, held);
    FixedEffectsRegression.Fit fit = FixedEffectsRegression.fit(Arrays.copyOf(quotes.y, quotes.n),
        d.indicators(), d.levels(), d.clusters(), CohortFit.roundingVariance(quotes, priceUnit),
        FixedEffectsRegression.Options.DEFAULT);
    return new Result(fit, d.offsets());
  }

  /**
   * Fits several responses on the design of {@link #fit} at once
   * ({@link FixedEffectsRegression#fitAll}): what {@link PaidFit} fits a segment's money
   * outcomes with, as {@link CohortFit#fitAll} the loyalty cohort's.
   *
   * @param measurement each response's per-quote measurement-error variance
   * @return one fit per response, in order; every fit's coefficients are placed as
   *     {@link #offsets} says
   */
  static FixedEffectsRegression.Fit[] fitAll(SkuQuotes quotes, List<Group> groups,
      boolean[] held, double[][] responses, double[][] measurement) {
    Design d = design(quotes, groups, held);
    return FixedEffectsRegression.fitAll(responses, d.indicators(), d.levels(), d.clusters(),
        measurement, FixedEffectsRegression.Options.DEFAULT);
  }

  /** Where each group's regressors start in a fit of {@code groups}. */
  private static int[] offsets(List<Group> groups) {
    int[] offsets = new int[groups.size()];
    int at = 0;
    for (int g = 0; g < groups.size(); g++) {
      offsets[g] = at;
      Group group = groups.get(g);
      for (int level = 0; level < group.levels(); level++) {
        if (level != group.reference()) {
          at++;
        }
      }
    }
    return offsets;
  }

  /**
   * The model's design: one indicator per non-reference level of each group, the held
   * dimensions' level per quote, and the customer each quote is clustered by.
   */
  private record Design(double[][] indicators, int[][] levels, int[] clusters, int[] offsets) {}

  private static Design design(SkuQuotes quotes, List<Group> groups, boolean[] held) {
    int n = quotes.n;
    List<double[]> regressors = new ArrayList<>();
    for (Group group : groups) {
      for (int level = 0; level < group.levels(); level++) {
        if (level == group.reference()) {
          continue;
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] = group.levelOf()[i] == level ? 1 : 0;
        }
        regressors.add(x);
      }
    }
    List<int[]> levels = new ArrayList<>();
    for (int k = 0; k < quotes.fe.length; k++) {
      if (held[k]) {
        levels.add(Arrays.copyOf(quotes.fe[k], n));
      }
    }
    return new Design(regressors.toArray(double[][]::new), levels.toArray(int[][]::new),
        Arrays.copyOf(quotes.customer, n), offsets(groups));
  }
}
