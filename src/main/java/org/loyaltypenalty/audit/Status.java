package org.loyaltypenalty.audit;

import java.util.Locale;

/** What a finding row says, in one word. */
public enum Status {
  /** Significant after FDR control and at least the materiality threshold: flagged. */
  PENALTY,
  /** Significant after FDR control, but smaller than the materiality threshold. */
  NOT_MATERIAL,
  /** The compared cohort pays less: the whole interval is below zero. Reported, not flagged. */
  DISCOUNT,
  /**
   * Tested, not flagged, and a material penalty is ruled out: the upper one-sided bound at
   * test.confidence is below test.materiality_pct (the upper half of a TOST).
   */
  NO_MATERIAL_PENALTY,
  /** Tested, neither flagged nor ruled out: too little data to tell at this materiality. */
  INCONCLUSIVE,
  /** Too few quotes or customers per cohort, or no overlap in matched contexts: not tested. */
  INSUFFICIENT_DATA,
  /** An exact-context cell: descriptive evidence, not a test. */
  EVIDENCE,

  /**
   * Flagged as a penalty, and no longer flagged by the same rule once the quotes that carry a
   * disclosed offer ({@code offers.disclosed}) are left out: the gap is the announced
   * promotion's. Reported with both estimates, not flagged.
   */
  EXPLAINED_BY_DISCLOSED_OFFER,
  /**
   * A price experiment whose arms depend on the customers' level (its randomisation test is
   * significant after FDR control); flagged when its arms' price gap is material.
   */
  NOT_RANDOMISED,
  /** A price experiment tested for randomisation and not found to depend on the level. */
  RANDOMISATION_PASSED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
