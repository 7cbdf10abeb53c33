package org.loyaltypenalty.cli;

import org.loyaltypenalty.audit.ReportPublisher;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.io.RunLayout;
import org.loyaltypenalty.report.ReportRenderer;

/** The report step the commands give the audit: the renderer, in the run's language and k. */
public final class Reports {
  private Reports() {}

  /** Renders with {@code report.lang} and {@code report.min_customers} of {@code config}. */
  public static ReportPublisher publisher(AuditConfig config) {
    return (data, manifest, run) -> ReportRenderer.write(data, manifest,
        run.readText(RunLayout.ANNEX_DATA), run.readText(RunLayout.PAIRS_DATA),
        config.reportLang(), config.reportMinCustomers(),
        run.child(RunLayout.REPORT_DIR));
  }
}
