package org.loyaltypenalty.report;

import static org.loyaltypenalty.report.Values.day;
import static org.loyaltypenalty.report.Values.median;
import static org.loyaltypenalty.report.Values.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.loyaltypenalty.config.ConfigKey;
import org.loyaltypenalty.io.RunLayout;
import org.loyaltypenalty.run.FindingRow;
import org.loyaltypenalty.run.MerchantFinding;
import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunFigures;
import org.loyaltypenalty.run.RunPeriod;
import org.loyaltypenalty.run.RunQuality;
import org.loyaltypenalty.run.RunResults;
import org.loyaltypenalty.run.RunWarning;
import org.loyaltypenalty.text.DisplayText;

/**
 * The template model of one report: every section, assembled from the run's report data and
 * manifest.
 */
final class ReportModel {
  private final ReportContext ctx;
  private final Messages m;
  private final Suppression suppression;
  private final Map<String, String> config;
  private final FindingsSection findings;
  private final AppendixSection appendix;

  ReportModel(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
    this.suppression = ctx.suppression;
    this.config = ctx.config;
    this.findings = new FindingsSection(ctx);
    this.appendix = new AppendixSection(ctx);
  }

  @SuppressWarnings("unchecked")
  /** The model the template renders. */
  Map<String, Object> model() {
    RunCounts counts = ctx.counts;
    RunResults results = ctx.results;
    RunPeriod period = ctx.period;
    RunFigures figures = ctx.figures;
    Map<String, Object> model = new LinkedHashMap<>();
    String runId = String.valueOf(ctx.report.runId());
    model.put("lang", m.languageTag());
    model.put("runId", runId);
    model.put("k", suppression.k());
    model.put("footerRun", ReportRenderer.css(m.text("report.footer.run", "runId", runId)));
    model.put("footerPage", ReportRenderer.css(m.text("report.footer.page")));
    model.put("footerOf", ReportRenderer.css(m.text("report.footer.of")));
    model.put("level", ctx.levelPct());
    model.put("generated", m.text("report.generated", "at",
        DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))));
    model.put("periodText", m.text("report.period",
        "from", day(period.firstQuoteAnalysed()), "to", day(period.lastQuoteAnalysed())));
    model.put("nightlyTitle", ctx.nightly.present()
        ? m.text("report.nightly_title", "date", ctx.nightly.date()) : null);
    if (ctx.signOff.present()) {
      model.put("signOff", signOff(ctx.signOff));
    }

    List<FindingRow> flagged = ctx.flagged;
    List<MerchantFinding> merchants = ctx.merchants;
    List<RunFigures.Holds> holds = figures.whereItHolds();

    // 1. summary
    List<String[]> audited = new ArrayList<>();
    audited.add(new String[] {m.text("summary.period"), model.get("periodText").toString()});
    audited.add(new String[] {m.text("summary.merchants"), m.integer(counts.merchants())});
    audited.add(new String[] {m.text("summary.rows"), m.integer(counts.quotesRead())});
    audited.add(new String[] {m.text("summary.rows_analysed"), m.integer(counts.quotesAnalysed())});
    audited.add(new String[] {m.text("summary.skus"), m.integer(counts.skuCurrencyPairs())});
    audited.add(new String[] {m.text("summary.customers"), m.integer(counts.customersAnalysed())});
    model.put("audited", audited);
    model.put("coverage", coverage(figures));
    List<String> headline = new ArrayList<>();
    // what the findings stand on comes before them: a run that tested nothing or little, or
    // stands on a fraction of its input, is not a finding of no penalty
    RunQuality quality = ctx.quality;
    for (RunWarning warning : quality.warnings()) {
      headline.add(m.text("summary.warning." + warning.code(),
          "tested", results.skuComparisonsTested(),
          "comparisons", results.skuComparisons(),
          "quotes", m.pct(100 * quality.quoteQuarantineShare(), 1),
          "purchases", m.pct(100 * quality.purchaseQuarantineShare(), 1),
          "limit", m.pct(100 * quality.maxQuarantineShare(), 1)));
    }
    headline.add(m.text("summary.flagged_skus", "n", results.skusFlagged(),
        "tests", results.skuComparisonsFlagged(),
        "tested", results.skuComparisonsTested()));
    long merchantsFlagged = merchants.stream().map(MerchantFinding::row)
        .filter(r -> "penalty".equals(r.status())).map(FindingRow::merchantId).distinct().count();
    headline.add(m.text("summary.flagged_merchants", "n", merchantsFlagged));
    List<Double> published = flagged.stream().filter(r -> !ctx.suppressed(r))
        .map(FindingRow::penaltyPct).sorted().toList();
    if (!published.isEmpty()) {
      headline.add(m.text("summary.typical", "pct", m.signedPct(median(published)),
          "min", m.signedPct(published.get(0)), "max", m.signedPct(published.get(published.size() - 1))));
    }
    RunFigures.Affected affected = figures.affected();
    if (!flagged.isEmpty()) {
      Long customers = affected == null ? null : affected.customers();
      boolean affectedHidden = suppression.suppresses(customers);
      headline.add(m.text("summary.affected",
          "quotes", affectedHidden ? m.text("value.suppressed") : m.integer(affected.quotes()),
          "customers", affectedHidden ? m.text("value.suppressed") : m.integer(customers)));
    }
    // the SKU comparisons and the merchant roll-ups the section lists
    if (ctx.disclosedOffers != null && ctx.disclosedOffers.skuComparisonsReestimated()
        + ctx.disclosedOffers.merchantRollupsReestimated() > 0) {
      headline.add(m.text("summary.disclosed_offers",
          "explained", ctx.disclosedOffers.skuComparisonsExplained()
              + ctx.disclosedOffers.merchantRollupsExplained(),
          "reestimated", ctx.disclosedOffers.skuComparisonsReestimated()
              + ctx.disclosedOffers.merchantRollupsReestimated()));
    }
    SegmentsSection segmentsSection = new SegmentsSection(ctx);
    if (segmentsSection.present()) {
      headline.add(0, segmentsSection.headline());
    }
    if (new ExperimentsSection(ctx).present()) {
      headline.add(new ExperimentsSection(ctx).headline());
    }
    model.put("headline", headline);
    model.put("overcharge", findings.overcharge(figures));
    model.put("overchargeNote", m.text("summary.overcharge_explained", "basis",
        m.text("summary.overcharge_basis." + figures.paidBasis()),
        "level", ctx.levelPct()));
    RunResults.Placebo placebo = results.placebo();
    model.put("placeboSummary", m.text("summary.placebo",
        "flagged", placebo == null ? null : placebo.flagged(),
        "tested", placebo == null ? null : placebo.tested()));

    // 2. findings
    model.put("merchants", merchants.stream().map(findings::merchantRow).toList());
    model.put("askNext", findings.askNext(merchants, flagged));
    model.put("flagged", flagged.stream().map(r -> findings.skuRow(r, holds)).toList());
    model.put("flaggedTruncated", ctx.truncated(flagged.size(), results.skuComparisonsFlagged()));
    model.put("discounts", ctx.discounts.stream().map(r -> findings.skuRow(r, List.of())).toList());
    Map<String, Object> disclosed = findings.disclosed();
    if (disclosed != null) {
      model.put("disclosed", disclosed);
    }
    model.put("skusIntro", m.text("findings.skus_intro", "q", config.get("test.fdr_q"),
        "materiality", config.get("test.materiality_pct")));
    model.put("forest", findings.forest(flagged));
    List<Map<String, Object>> perSku = findings.perSku(figures);
    model.put("perSku", perSku);
    model.put("nightly", new NightlySection(ctx).lists(ctx.nightly));
    model.put("segments", segmentsSection.sections());
    ExperimentsSection experimentsSection = new ExperimentsSection(ctx);
    if (experimentsSection.present()) {
      model.put("experiments", experimentsSection.sections());
    }

    // 3. where the gap comes from
    model.put("gap", findings.gap(figures, flagged));

    // 4. method
    List<String> method = new ArrayList<>();
    method.add(m.text("method.what", "lookback", num(config.get("cohort.lookback_days")),
        "repeat", num(config.get("cohort.repeat_min")), "loyal", num(config.get("cohort.loyal_min"))));
    method.add(m.text("method.controls", "bucket", ctx.setting(ConfigKey.TIME_BUCKET),
        "dimensions", ctx.dimensionList(period.dimensionsHeldFixed())));
    method.add(m.text("method.test", "min_quotes", num(config.get("test.min_quotes_per_cohort")),
        "min_customers", num(config.get("test.min_customers_per_cohort"))));
    method.add(m.text("method.fdr", "q", config.get("test.fdr_q")));
    RunResults.FamilyFilter filter = results.familyFilter();
    if (filter != null) {
      method.add(m.text("method.family_filter", "min", filter.minCustomers(),
          "left_out", filter.leftOut(), "tested", filter.tested()));
    }
    method.add(m.text("method.thresholds", "q", config.get("test.fdr_q"),
        "materiality", config.get("test.materiality_pct"), "level", ctx.levelPct()));
    model.put("method", method);
    model.put("placebo", placebo == null || placebo.tested() == 0
        ? m.text("method.placebo_none")
        : m.text("method.placebo", "seed", String.valueOf(placebo.seed()),
            "flagged", placebo.flagged(), "tested", placebo.tested(),
            "share", m.pct(placebo.shareBelow005() * 100, 1)));
    model.put("suppressionText", m.text("method.suppression", "k", suppression.k()));
    List<String[]> configRows = new ArrayList<>();
    config.forEach((key, value) -> configRows.add(new String[] {key,
        value == null || value.isBlank() ? m.text("value.unset") : DisplayText.of(value)}));
    model.put("config", configRows);

    // 5. legal mapping
    List<Map<String, Object>> legal = new ArrayList<>(appendix.legal(flagged, figures, perSku));
    legal.addAll(segmentsSection.legal());
    model.put("legal", legal);
    model.put("standards", (segmentsSection.present()
        ? java.util.stream.Stream.of("pipl24", "algo21", "cprl9", "ppbr", "qinglang2024", "icobs6b")
        : java.util.stream.Stream.of("pipl24", "algo21", "cprl9", "ppbr", "icobs6b"))
        .map(s -> m.text("legal.std." + s)).toList());

    // 6. data quality
    model.put("dq", appendix.dataQuality(figures));

    // 7. personal data processed
    Map<String, Object> privacy = new ProcessingSection(ctx).model();
    if (privacy != null) {
      model.put("privacy", privacy);
    }

    // 8. reproducibility
    model.put("repro", appendix.reproducibility());

    // 9. annex
    long annexRows = ctx.annexRows;
    model.put("annex", flagged.isEmpty() ? m.text("annex.none")
        : m.text("annex.file", "file", RunLayout.ANNEX, "rows", annexRows));
    PairsSection pairs = new PairsSection(ctx);
    // a segment's flagged comparisons have pairs too, when the loyalty cohort has none flagged
    if (pairs.present() && !(flagged.isEmpty() && pairs.strongest().isEmpty())) {
      model.put("pairs", pairs.model());
    }
    return model;
  }

  /**
   * The sign-off block: a row per part set (organisation, auditor, statement), then the lines
   * to sign and date.
   */
  private Map<String, Object> signOff(ReportContext.SignOff signOff) {
    List<String[]> rows = new ArrayList<>();
    if (signOff.organisation() != null) {
      rows.add(new String[] {m.text("signoff.organisation"), DisplayText.of(signOff.organisation())});
    }
    if (signOff.auditor() != null) {
      rows.add(new String[] {m.text("signoff.auditor"), DisplayText.of(signOff.auditor())});
    }
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("rows", rows);
    if (signOff.statement() != null) {
      block.put("statement", DisplayText.of(signOff.statement()));
    }
    return block;
  }

  /**
   * What share of the compared cohorts' quotes, and of what they paid (per currency), lies in
   * comparisons flagged, ruled out, inconclusive and untested; empty for report data without it.
   */
  private List<String[]> coverage(RunFigures figures) {
    return new CoverageTable(m).rows(figures.coverageByOutcome().stream()
        .map(r -> new CoverageTable.Cell(r.outcome(), r.currency(), r.quotes(), r.paid()))
        .toList());
  }
}
