package org.loyaltypenalty.nightly;

import java.util.Locale;

/** What happened to a tracked penalty tonight ({@link PenaltyTracker}). */
public enum StatusChange {
  /** Flagged tonight, not in the previous run. */
  NEW,
  /** Flagged in the previous run, tested and not flagged tonight. */
  RESOLVED,
  /**
   * Flagged in the previous run; tonight the gap is no longer flagged once the quotes carrying a
   * disclosed offer are left out (status {@code explained_by_disclosed_offer}): the announced
   * promotion's, not resolved by the platform.
   */
  EXPLAINED_BY_DISCLOSED_OFFER,
  /**
   * Flagged in the previous run, no test tonight (not quoted, or too few quotes): the streak
   * ends, but the penalty is not reported as gone.
   */
  UNTESTED,
  /** Flagged tonight and in the previous run. */
  CONTINUING;

  /** The code written to the status table: the name in lower case. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
