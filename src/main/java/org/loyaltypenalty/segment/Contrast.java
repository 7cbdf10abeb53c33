package org.loyaltypenalty.segment;

import java.io.Serializable;

/**
 * One level of a segment against the segment's reference level: what a findings row compares.
 *
 * @param segment {@link SegmentSpec#COHORT} or a configured segment's name
 * @param compared the level compared, e.g. {@code loyal}, {@code diamond}
 * @param reference the reference level, e.g. {@code new}, {@code none}
 */
public record Contrast(String segment, String compared, String reference) implements Serializable {

  /** The findings' {@code comparison}: {@code <compared>_vs_<reference>}. */
  public String code() {
    return compared + "_vs_" + reference;
  }

  public boolean cohort() {
    return SegmentSpec.COHORT.equals(segment);
  }
}
