package org.loyaltypenalty.cohort;

import java.util.Locale;

/** A compared cohort against the reference cohort, new customers. */
public enum Comparison {
  REPEAT_VS_NEW(Cohort.REPEAT),
  LOYAL_VS_NEW(Cohort.LOYAL);

  private final Cohort compared;

  Comparison(Cohort compared) {
    this.compared = compared;
  }

  public Cohort compared() {
    return compared;
  }

  public static Cohort reference() {
    return Cohort.NEW;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
