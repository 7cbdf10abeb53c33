package org.loyaltypenalty.sku;

import java.util.Locale;

/**
 * Why a comparison was not tested, in the order the rules are checked ({@link ComparisonTest}).
 * Components pass the constant; words for it live at the edges (the findings' context text, the
 * report's message bundles).
 */
public enum UntestedReason {
  /** Fewer than {@code test.min_quotes_per_cohort} quotes in either group after the fit. */
  FEWER_QUOTES,
  /** Fewer than {@code test.min_customers_per_cohort} distinct customers in either group. */
  FEWER_CUSTOMERS,
  /** The groups never share a context: the comparison is not identified. */
  NO_SHARED_CONTEXT,
  /** Too few observations left after the fixed effects to estimate a standard error. */
  NO_STANDARD_ERROR;

  /** The code written to data: the name in lower case. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant of a {@link #code}. */
  public static UntestedReason ofCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
