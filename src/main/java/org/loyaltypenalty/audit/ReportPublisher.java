package org.loyaltypenalty.audit;

import org.loyaltypenalty.io.OutputWriter;

/**
 * Renders a run's report from what the audit collected, before the manifest is written. The
 * audit knows what goes into a report, not how it looks: the command that runs it passes the
 * renderer.
 */
@FunctionalInterface
public interface ReportPublisher {
  /**
   * @param reportData the run's {@code report-data.json}
   * @param manifest the run's {@code manifest.json} as it will be written
   * @param run the run's directory: the report reads its annex data there and writes into its
   *     report folder ({@link org.loyaltypenalty.io.RunLayout})
   */
  void publish(String reportData, String manifest, OutputWriter run);
}
