package org.loyaltypenalty.audit;

import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunQuality;
import org.loyaltypenalty.run.RunResults;

/**
 * A finished run: its id, the manifest's counts and results, its duration (the manifest's
 * {@code duration_s}: one clock for the manifest, the summary and the steps' timings), and where
 * the outputs are.
 */
public record AuditResult(
    String runId,
    RunCounts counts,
    RunResults results,
    double durationSeconds,
    String findingsPath,
    String reportPath,
    String manifestPath) {
  /** What the findings stand on: the run's {@link RunResults#quality}. */
  public RunQuality quality() {
    return results.quality();
  }
}
