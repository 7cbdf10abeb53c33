package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.List;

/**
 * How much of its input a finished run stands on: the {@link RunWarning}s its counts call for
 * and the shares they judge (the manifest's {@code results.quality}). A run that tested nothing,
 * or little, or quarantined more than {@code quality.max_quarantine_share} of an input, must not
 * read as a finding of no penalty. (A run without a single valid quote does not finish: see
 * {@code Errors.noValidQuotes}.)
 *
 * @param warnings in the order of {@link RunWarning}
 * @param quoteQuarantineShare quarantined quotes over quotes read; 0 when none were read
 * @param purchaseQuarantineShare quarantined purchases over purchases read; 0 when none were read
 * @param maxQuarantineShare the config's {@code quality.max_quarantine_share}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"warnings", "quote_quarantine_share", "purchase_quarantine_share",
    "max_quarantine_share"})
public record RunQuality(List<RunWarning> warnings, double quoteQuarantineShare,
    double purchaseQuarantineShare, double maxQuarantineShare) {
  /** A run that tested fewer than this share of its SKU comparisons tested little. */
  public static final double LITTLE_TESTED_SHARE = 0.1;
  /** The judgement of a run whose data records none (written before runs were judged). */
  public static final RunQuality NONE = new RunQuality(List.of(), 0, 0, 0);

  public RunQuality {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** Judges a run from its counts. */
  public static RunQuality of(long quotesRead, long quotesQuarantined, long purchasesRead,
      long purchasesQuarantined, long comparisons, long comparisonsTested,
      double maxQuarantineShare) {
    List<RunWarning> warnings = new ArrayList<>();
    if (comparisonsTested == 0) {
      warnings.add(RunWarning.NOTHING_TESTED);
    } else if (comparisonsTested < LITTLE_TESTED_SHARE * comparisons) {
      warnings.add(RunWarning.LITTLE_TESTED);
    }
    double quoteShare = share(quotesQuarantined, quotesRead);
    double purchaseShare = share(purchasesQuarantined, purchasesRead);
    if (quoteShare > maxQuarantineShare) {
      warnings.add(RunWarning.QUOTE_QUARANTINE_ABOVE_LIMIT);
    }
    if (purchaseShare > maxQuarantineShare) {
      warnings.add(RunWarning.PURCHASE_QUARANTINE_ABOVE_LIMIT);
    }
    return new RunQuality(warnings, quoteShare, purchaseShare, maxQuarantineShare);
  }

  /** Judges a run from its counts and its SKU comparisons. */
  public static RunQuality of(RunCounts counts, long comparisons, long comparisonsTested,
      double maxQuarantineShare) {
    return of(counts.quotesRead(), counts.quotesQuarantined(), counts.purchasesRead(),
        counts.purchasesQuarantined(), comparisons, comparisonsTested, maxQuarantineShare);
  }

  public boolean has(RunWarning warning) {
    return warnings.contains(warning);
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
