package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a finished run's findings may not be read as a result: codes for the manifest and the
 * report ({@link #code()}); the words are at the edge (the command line's summary).
 */
public enum RunWarning {
  /** Valid quotes exist, but no SKU comparison had the data to be tested. */
  NOTHING_TESTED,
  /**
   * Fewer than {@link RunQuality#LITTLE_TESTED_SHARE} of the SKU comparisons were tested: a
   * finding of no penalty holds for the few that were.
   */
  LITTLE_TESTED,
  /** A larger share of the quotes than {@code quality.max_quarantine_share} was quarantined. */
  QUOTE_QUARANTINE_ABOVE_LIMIT,
  /** A larger share of the purchases than {@code quality.max_quarantine_share} was quarantined. */
  PURCHASE_QUARANTINE_ABOVE_LIMIT;

  /** The code written to the manifest: the name in lower case. */
  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The warning whose {@link #code} this is. */
  @JsonCreator
  public static RunWarning ofCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
