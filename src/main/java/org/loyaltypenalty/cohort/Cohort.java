package org.loyaltypenalty.cohort;

import java.util.Locale;

/** A customer's standing at the moment of a quote, from the purchases before it. */
public enum Cohort {
  NEW,
  REPEAT,
  LOYAL;

  private static final Cohort[] ALL = values();

  private final String code = name().toLowerCase(Locale.ROOT);

  public String code() {
    return code;
  }

  /**
   * The cohort whose {@link #code()} this is.
   *
   * @throws IllegalArgumentException for any other text
   */
  public static Cohort ofCode(String code) {
    for (Cohort c : ALL) {
      if (c.code.equals(code)) {
        return c;
      }
    }
    throw new IllegalArgumentException("not a cohort code: " + code);
  }
}
