package org.loyaltypenalty.run;

import java.util.Map;
import java.util.TreeMap;

/**
 * Rows of one input: every row read is valid or quarantined, and the quarantined rows are the
 * sum of their reasons.
 *
 * @param reasons quarantined rows per reason code, in code order
 */
public record InputCounts(long read, long valid, long quarantined, Map<String, Long> reasons) {
  /** The key of the valid rows among the rows per reason (no reason code is named so). */
  public static final String VALID = "(valid)";

  public InputCounts {
    reasons = java.util.Collections.unmodifiableMap(new TreeMap<>(reasons));
  }

  /** No input. */
  public static InputCounts none() {
    return new InputCounts(0, 0, 0, Map.of());
  }

  /** From rows per reason, {@link #VALID} for the valid rows. */
  public static InputCounts of(Map<String, Long> rowsPerReason) {
    Map<String, Long> reasons = new TreeMap<>(rowsPerReason);
    Long valid = reasons.remove(VALID);
    long quarantined = reasons.values().stream().mapToLong(Long::longValue).sum();
    long validRows = valid == null ? 0 : valid;
    return new InputCounts(validRows + quarantined, validRows, quarantined, reasons);
  }
}
