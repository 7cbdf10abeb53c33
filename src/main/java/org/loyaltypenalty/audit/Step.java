package org.loyaltypenalty.audit;

import java.util.Locale;

/**
 * The steps of a run, in order. {@link #id} keys the manifest's {@code timings_s} (and
 * {@code beside_s}, for the steps that run beside the main line) and the report's names for
 * them; the console prints {@link #describe}.
 */
public enum Step {
  START_SPARK("starting Spark%s"),
  READ_QUOTES("reading and validating quotes from %s"),
  READ_PURCHASES("reading and validating purchases from %s"),
  READ_CUSTOMERS("reading and validating customers from %s (columns: %s)"),
  COHORTS("placing each quote's customer in a cohort as of the quote's time%s"),
  QUARANTINE("writing the quarantine, beside the per-SKU estimates and the merchant roll-ups"),
  PER_SKU("estimating per-SKU penalties (fixed effects: %s), the placebo split and the"
      + " exact-context cells that hold both cohorts"),
  MERCHANTS("pooling SKU estimates per merchant"),
  FINDINGS("controlling the false discovery rate"),
  WRITE_FINDINGS("writing the findings, beside the placebo check and the report's figures"),
  PLACEBO("placebo check: new customers split at random into two pseudo-cohorts"),
  FIGURES("computing the report's figures, its other sections and the evidence annex"),
  REPORT("writing the manifest and the report");

  private final String console;

  Step(String console) {
    this.console = console;
  }

  /** The stable id: the name in lower case. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The console's line for this step, with its details filled in. */
  public String describe(Object... details) {
    return String.format(Locale.ROOT, console, details);
  }
}
