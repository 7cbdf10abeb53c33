package org.loyaltypenalty.cohort;

import java.util.Locale;

/** A customer's standing at the moment of a quote, from the purchases before it. */
public enum Cohort {
  NEW,
  REPEAT,
  LOYAL;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
