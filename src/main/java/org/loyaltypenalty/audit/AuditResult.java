package org.loyaltypenalty.audit;

import java.util.Map;

/**
 * A finished run: its id, the manifest counts and where the outputs are.
 *
 * @param counts the manifest's {@code counts} object
 * @param quality what the findings stand on, and the warnings it calls for
 */
public record AuditResult(
    String runId,
    Map<String, Object> counts,
    long skuTests,
    long skusTested,
    long flaggedSkus,
    long flaggedMerchants,
    String findingsPath,
    String reportPath,
    String manifestPath,
    RunQuality quality) {}
