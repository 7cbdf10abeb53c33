package org.loyaltypenalty.report;

import static org.loyaltypenalty.report.Values.dbl;
import static org.loyaltypenalty.report.Values.num;
import static org.loyaltypenalty.report.Values.str;

import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.loyaltypenalty.cohort.PurchasesSource;
import org.loyaltypenalty.config.ConfigKey;
import org.loyaltypenalty.run.DisclosedOffers;
import org.loyaltypenalty.run.ExperimentReport;
import org.loyaltypenalty.run.FindingRow;
import org.loyaltypenalty.run.ReestimatedFinding;
import org.loyaltypenalty.run.MerchantFinding;
import org.loyaltypenalty.run.NightlyReport;
import org.loyaltypenalty.run.ProcessingRecord;
import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunFigures;
import org.loyaltypenalty.run.RunPeriod;
import org.loyaltypenalty.run.RunQuality;
import org.loyaltypenalty.run.RunReportData;
import org.loyaltypenalty.run.RunResults;
import org.loyaltypenalty.run.SegmentReport;
import org.loyaltypenalty.run.PaidGap;
import org.loyaltypenalty.run.TestabilityAdvice;
import org.loyaltypenalty.run.UntestedCount;
import org.loyaltypenalty.text.DisplayText;

/**
 * What every part of one report reads: its language, its suppression rule, the run's report
 * data, manifest and settings, the normal quantile of its confidence level, and the running
 * number of its figures.
 */
final class ReportContext {
  final Messages m;
  final Suppression suppression;
  /** The run's report data, read once. */
  final RunReportData report;
  final Map<String, Object> manifest;
  final Map<String, String> config;
  /** The run's counts, read once. */
  final RunCounts counts;
  /** The run's results, read once. */
  final RunResults results;
  /** What the run's findings stand on ({@link RunQuality#NONE} when its data records none). */
  final RunQuality quality;
  /** The run's period, read once. */
  final RunPeriod period;
  /** Where the purchase history came from; null in a run written before it was a code. */
  final PurchasesSource purchasesSource;
  /** The report data's segments, the loyalty cohort first; empty without segments. */
  final List<SegmentReport> segments;
  /** What would make untested comparisons testable; null when the data has none. */
  final TestabilityAdvice testability;
  /** The report data's figures, read once. */
  final RunFigures figures;
  /** The report data's nightly section, read once (empty for a one-off audit). */
  final NightlyReport nightly;
  /** The report data's flagged SKU comparisons, largest penalty first, read once. */
  final List<FindingRow> flagged;
  /** The report data's merchant roll-ups, read once. */
  final List<MerchantFinding> merchants;
  /** The report data's discounts, read once. */
  final List<FindingRow> discounts;
  /** The report data's untested comparisons per reason, read once. */
  final List<UntestedCount> untested;
  /** What personal data the run processed; null in a run written before it was recorded. */
  final ProcessingRecord processing;
  final double z;
  /** What the check of disclosed offers did; null when the run disclosed no offer. */
  final DisclosedOffers disclosedOffers;
  /** The flagged comparisons re-estimated without disclosed offers, explained first. */
  final List<ReestimatedFinding> reestimated;
  /** The report data's price experiments; empty when the quotes carry none. */
  final List<ExperimentReport> experiments;
  /**
   * The report data's flagged comparisons of what was paid (total, fee, coupon); null when the
   * quotes carried neither fee nor coupon.
   */
  final List<PaidGap> paid;
  /** Rows of the published evidence annex. */
  final long annexRows;
  /** The run's published matched pairs ({@link PairsSection.Published#NONE}: none recorded). */
  final PairsSection.Published pairs;
  /** The sign-off block of the run's config ({@link ConfigKey#REPORT_ORGANISATION}, ...). */
  final SignOff signOff;
  private int figureNumber;

  @SuppressWarnings("unchecked")
  ReportContext(Map<String, Object> data, Map<String, Object> manifest, String languageTag,
      int k, long annexRows, PairsSection.Published pairs) {
    this.annexRows = annexRows;
    this.pairs = pairs;
    this.m = new Messages(languageTag);
    this.suppression = new Suppression(k);
    this.report = ReportData.read(data, RunReportData.class, null);
    this.manifest = manifest;
    this.config = (Map<String, String>) manifest.getOrDefault("config", Map.of());
    this.nightly = report.nightly() == null ? NightlyReport.NONE : report.nightly();
    this.untested = report.untested();
    this.flagged = report.flagged();
    this.merchants = report.merchants();
    this.discounts = report.discounts();
    // a missing section reads as empty: every count 0, every part null
    this.counts = report.counts() != null ? report.counts()
        : ReportData.read(Map.of(), RunCounts.class, null);
    this.results = report.results() != null ? report.results()
        : ReportData.read(Map.of(), RunResults.class, null);
    this.quality = results.quality() == null ? RunQuality.NONE : results.quality();
    this.period = report.period() != null ? report.period()
        : ReportData.read(Map.of(), RunPeriod.class, null);
    this.purchasesSource = report.purchasesSource();
    this.segments = report.segments();
    this.testability = report.testability();
    this.figures = report.figures() == null ? RunFigures.NONE : report.figures();
    this.processing = report.processing();
    this.disclosedOffers = report.disclosedOffers();
    this.reestimated = report.reestimated();
    this.experiments = report.experiments();
    this.paid = report.paid();
    double confidence = Double.parseDouble(setting(ConfigKey.CONFIDENCE));
    this.z = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.5 + confidence / 2);
    this.signOff = new SignOff(config.get(ConfigKey.REPORT_ORGANISATION.key()),
        config.get(ConfigKey.REPORT_AUDITOR.key()), config.get(ConfigKey.REPORT_STATEMENT.key()));
  }

  /**
   * The report's sign-off block as the run's config sets it: each part null when unset (blank);
   * the report prints the block when {@link #present}.
   */
  record SignOff(String organisation, String auditor, String statement) {
    SignOff {
      organisation = blankToNull(organisation);
      auditor = blankToNull(auditor);
      statement = blankToNull(statement);
    }

    boolean present() {
      return organisation != null || auditor != null || statement != null;
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }

  /** The next figure's number. */
  int nextFigure() {
    return ++figureNumber;
  }

  boolean suppressed(Map<String, Object> r) {
    return suppression.suppresses(r.get("customers_reference"), r.get("customers_compared"));
  }

  /** Whether a findings row compares fewer than k customers on a side. */
  boolean suppressed(FindingRow r) {
    return suppression.suppresses(r.customersReference(), r.customersCompared());
  }

  String interval(FindingRow r) {
    return interval(r.ciLowPct(), r.ciHighPct());
  }

  String interval(Double low, Double high) {
    return m.text("value.interval", "low", m.signedPct(low), "high", m.signedPct(high));
  }

  String truncated(int shown, Number total) {
    return total != null && total.longValue() > shown
        ? m.text("value.truncated", "shown", shown, "total", total) : null;
  }

  /** A setting of the run as its manifest records it, else the key's default. */
  String setting(ConfigKey key) {
    return config.getOrDefault(key.key(), key.defaultValue());
  }

  long levelPct() {
    return Math.round(Double.parseDouble(setting(ConfigKey.CONFIDENCE)) * 100);
  }

  String number(Double v) {
    // a rounding residue such as -1e-17 reads 0.00, not -0.00
    return v == null || v.isNaN() ? "–" : com.ibm.icu.number.NumberFormatter.withLocale(m.locale())
        .precision(com.ibm.icu.number.Precision.fixedFraction(2))
        .format(Math.abs(v) < 0.005 ? 0.0 : v).toString();
  }

  /** "SKU-0001 · GBP · loyal": a flagged comparison on a chart axis. */
  String chartLabel(FindingRow r) {
    return chartLabel(r.skuId(), r.currency(), r.comparison());
  }

  /** "SKU-0001 · GBP · loyal": a flagged comparison on a chart axis. */
  String chartLabel(String sku, String currency, String comparison) {
    return m.text("value.chart_label", "sku", DisplayText.of(str(sku)), "currency",
        str(currency), "cohort", m.text("cohort.short." + compared(comparison)));
  }

  /**
   * A comparison of a configured segment on a chart axis or in a table:
   * "SKU-0001 / CNY / membership tier: diamond vs none".
   */
  String segmentLabel(String sku, String currency, String segment, String compared,
      String reference) {
    return m.text("paid.segment_label", "sku", DisplayText.of(str(sku)), "currency",
        str(currency), "segment", segmentName(segment), "comparison",
        m.text("segments.comparison", "compared", DisplayText.of(str(compared)),
            "reference", DisplayText.of(str(reference))));
  }

  /** A segment's name in the report's language, its own name when the bundle has none. */
  String segmentName(String segment) {
    return m.has("segments.name." + segment) ? m.text("segments.name." + segment)
        : DisplayText.of(str(segment));
  }

  /** The level a findings row compares with new customers: {@code loyal} of {@code loyal_vs_new}. */
  static String compared(FindingRow r) {
    return compared(r.comparison());
  }

  /** The level a comparison compares with new customers: {@code loyal} of {@code loyal_vs_new}. */
  static String compared(String comparison) {
    return str(comparison).replace("_vs_new", "");
  }

  /** Whether two customer counts (of a comparison's two sides) include one below k. */
  boolean suppressed(Long reference, Long compared) {
    return suppression.suppresses(reference, compared);
  }

  /** Context columns by their names in the report's language, as a list in that language. */
  String dimensionList(List<String> dimensions) {
    return com.ibm.icu.text.ListFormatter.getInstance(m.locale()).format(dimensions.stream()
        .map(d -> m.has("dimension." + d) ? m.text("dimension." + d) : d).toList());
  }

  /** The strength of a findings row's evidence ({@link Judgements#strength}), as a code. */
  static String strength(FindingRow r) {
    return Judgements.strength(str(r.status()), r.qValue(), r.cellsWithBoth()).code();
  }

  /** The strength of a findings row's evidence ({@link Judgements#strength}), as a code. */
  static String strength(Map<String, Object> r) {
    return Judgements.strength(str(r.get("status")), dbl(r.get("q_value")),
        num(r.get("cells_with_both"))).code();
  }
}
