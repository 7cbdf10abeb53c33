package org.loyaltypenalty.audit;

import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunResults;

/**
 * A finished run: its id, the manifest's counts and results, and where the outputs are.
 */
public record AuditResult(
    String runId,
    RunCounts counts,
    RunResults results,
    String findingsPath,
    String reportPath,
    String manifestPath) {}
