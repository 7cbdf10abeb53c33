package org.loyaltypenalty.report;

/**
 * The small-numbers rule of the published report: a figure computed over fewer than {@code k}
 * distinct customers in any cohort it involves is not published. A comparison involves two
 * cohorts, so it needs {@code k} customers in each (a gap between 200 new customers and 3 loyal
 * ones says something about those 3). Missing counts are treated as zero: suppressed.
 */
public record Suppression(int k) {
  public Suppression {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
  }

  /** True when any of the cohorts' distinct customer counts is below {@code k}. */
  public boolean suppresses(Object... customerCounts) {
    for (Object c : customerCounts) {
      if (!(c instanceof Number n) || n.longValue() < k) {
        return true;
      }
    }
    return false;
  }
}
