package org.loyaltypenalty.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.loyaltypenalty.audit.AuditResult;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigKey;
import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunQuality;
import org.loyaltypenalty.run.RunWarning;

/**
 * The words for a run's {@link RunWarning}s: the lines a summary prints before anything else, so
 * that a run which tested nothing, or little, or stands on a fraction of its input, is not read
 * as a finding of no penalty.
 */
final class QualitySummary {
  private QualitySummary() {}

  /** One line per warning of {@code r}, in the order of {@link RunWarning}; none for a sound run. */
  static List<String> headlines(AuditResult r, AuditConfig config) {
    RunQuality q = r.quality();
    RunCounts c = r.counts();
    long comparisons = r.results().skuComparisons();
    List<String> lines = new ArrayList<>();
    for (RunWarning w : q.warnings()) {
      lines.add(switch (w) {
        case NOTHING_TESTED -> comparisons == 0
            ? format("NOTHING TESTED: the %,d valid quotes gave no SKU comparison (%,d analysed,"
                + " %,d before a full cohort lookback); this is not a finding of no penalty",
                c.quotesValid(), c.quotesAnalysed(), c.quotesCohortCensored())
            : format("NOTHING TESTED: none of the %,d SKU comparisons had enough quotes and"
                + " customers in both cohorts (%s %d, %s %d); this is not a finding of no penalty",
                comparisons, ConfigKey.MIN_QUOTES.key(), config.minQuotesPerCohort(),
                ConfigKey.MIN_CUSTOMERS.key(), config.minCustomersPerCohort());
        case LITTLE_TESTED -> format("LITTLE TESTED: only %,d of the %,d SKU comparisons had"
            + " enough data to be tested; what is not flagged among the others was not tested",
            r.results().skuComparisonsTested(), comparisons);
        case QUOTE_QUARANTINE_ABOVE_LIMIT -> quarantine("quotes", q.quoteQuarantineShare(),
            c.quotesQuarantined(), c.quotesRead(), q.maxQuarantineShare());
        case PURCHASE_QUARANTINE_ABOVE_LIMIT -> quarantine("purchases",
            q.purchaseQuarantineShare(), c.purchasesQuarantined(), c.purchasesRead(),
            q.maxQuarantineShare());
      });
    }
    return lines;
  }

  private static String quarantine(String what, double share, long quarantined, long read,
      double limit) {
    return format("warning: %.1f%% of the %s are quarantined (%,d of %,d; %s %s): the findings"
        + " stand on the valid rows only; the reasons are in the manifest", 100 * share, what,
        quarantined, read, ConfigKey.MAX_QUARANTINE_SHARE.key(), limit);
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
