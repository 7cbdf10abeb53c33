package org.loyaltypenalty.segment;

import java.util.Locale;

/**
 * What becomes of a flagged penalty once every other tested attribute is held fixed (the
 * adjusted view: one fit of all the segments' indicators together).
 */
public enum Attribution {
  /** The adjusted interval still lies above zero and its estimate is material. */
  SURVIVES,
  /** Still above zero, but smaller than the materiality threshold once the others are held. */
  ATTENUATED,
  /** The adjusted interval holds zero: the gap follows another attribute. */
  DISAPPEARS,
  /** No adjusted estimate: too few quotes with every attribute known, or not identified. */
  NOT_ESTIMABLE;

  /**
   * @param adjustedPct the adjusted penalty in %, null when not estimable
   * @param adjustedLowPct the lower end of its two-sided interval in %
   * @param materialityPct {@code test.materiality_pct}
   */
  public static Attribution of(Double adjustedPct, Double adjustedLowPct, double materialityPct) {
    if (adjustedPct == null || adjustedLowPct == null) {
      return NOT_ESTIMABLE;
    }
    if (adjustedLowPct <= 0) {
      return DISAPPEARS;
    }
    return adjustedPct >= materialityPct ? SURVIVES : ATTENUATED;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
