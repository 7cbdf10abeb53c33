package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of its input a finished run stands on: rows read and quarantined, SKU comparisons and
 * those tested, and the {@link RunWarning}s they call for. A run that tested nothing, or little,
 * or quarantined more than {@code quality.max_quarantine_share} of an input, must not read as a
 * finding of no penalty. (A run without a single valid quote does not finish: see
 * {@code Errors.noValidQuotes}.)
 *
 * @param maxQuarantineShare the config's {@code quality.max_quarantine_share}
 * @param warnings in the order of {@link RunWarning}
 */
public record RunQuality(long quotesRead, long quotesQuarantined, long purchasesRead,
    long purchasesQuarantined, long comparisons, long comparisonsTested,
    double maxQuarantineShare, List<RunWarning> warnings) {
  /** A run that tested fewer than this share of its SKU comparisons tested little. */
  public static final double LITTLE_TESTED_SHARE = 0.1;

  public RunQuality {
    warnings = List.copyOf(warnings);
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
    if (share(quotesQuarantined, quotesRead) > maxQuarantineShare) {
      warnings.add(RunWarning.QUOTE_QUARANTINE_ABOVE_LIMIT);
    }
    if (share(purchasesQuarantined, purchasesRead) > maxQuarantineShare) {
      warnings.add(RunWarning.PURCHASE_QUARANTINE_ABOVE_LIMIT);
    }
    return new RunQuality(quotesRead, quotesQuarantined, purchasesRead, purchasesQuarantined,
        comparisons, comparisonsTested, maxQuarantineShare, warnings);
  }

  /** Judges a run from its counts and its SKU comparisons. */
  public static RunQuality of(RunCounts counts, long comparisons, long comparisonsTested,
      double maxQuarantineShare) {
    return of(counts.quotesRead(), counts.quotesQuarantined(), counts.purchasesRead(),
        counts.purchasesQuarantined(), comparisons, comparisonsTested, maxQuarantineShare);
  }

  /** Quarantined quotes over quotes read; 0 when none were read. */
  public double quoteQuarantineShare() {
    return share(quotesQuarantined, quotesRead);
  }

  /** Quarantined purchases over purchases read; 0 when none were read. */
  public double purchaseQuarantineShare() {
    return share(purchasesQuarantined, purchasesRead);
  }

  public boolean has(RunWarning warning) {
    return warnings.contains(warning);
  }

  /** The manifest's {@code results.quality}: the warnings as codes and the shares they judge. */
  @JsonValue
  public Map<String, Object> toManifest() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("warnings", warnings.stream().map(RunWarning::code).toList());
    m.put("quote_quarantine_share", quoteQuarantineShare());
    m.put("purchase_quarantine_share", purchaseQuarantineShare());
    m.put("max_quarantine_share", maxQuarantineShare);
    return m;
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
