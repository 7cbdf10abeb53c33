package org.loyaltypenalty.cohort;

import java.util.Locale;
import org.loyaltypenalty.segment.Contrast;
import org.loyaltypenalty.segment.SegmentSpec;

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

  /** This comparison as a contrast of the {@link SegmentSpec#COHORT} segment. */
  public Contrast contrast() {
    return new Contrast(SegmentSpec.COHORT, compared.code(), reference().code());
  }

  /** The comparison of a cohort contrast. */
  public static Comparison of(Contrast contrast) {
    for (Comparison c : values()) {
      if (c.contrast().equals(contrast)) {
        return c;
      }
    }
    throw new IllegalArgumentException("not a cohort comparison: " + contrast);
  }
}
