package org.loyaltypenalty.report;

import static org.loyaltypenalty.report.Values.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.loyaltypenalty.run.SegmentReport;
import org.loyaltypenalty.text.DisplayText;

/**
 * The report's view of the segments (report data {@code segments}, present only when segments
 * are configured): the headline across every attribute tested, a section per attribute (its
 * levels and reference, how its comparisons came out, each flagged penalty beside its adjusted
 * view and what that says), and a legal-mapping row per attribute.
 */
final class SegmentsSection {
  private final ReportContext ctx;
  private final Messages m;
  private final List<SegmentReport> segments;

  SegmentsSection(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
    this.segments = ctx.segments;
  }

  boolean present() {
    return !segments.isEmpty();
  }

  /** One line: what was flagged in each attribute tested. */
  String headline() {
    List<String> parts = new ArrayList<>();
    for (SegmentReport s : segments) {
      parts.add(m.text("segments.headline_part", "segment", name(s),
          "n", skuFlags(s).size()));
    }
    return m.text("segments.headline", "n", segments.size(), "parts",
        com.ibm.icu.text.ListFormatter.getInstance(m.locale()).format(parts));
  }

  /** The sections, one per attribute, the loyalty cohort first. */
  List<Map<String, Object>> sections() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SegmentReport s : segments) {
      Map<String, Object> section = new LinkedHashMap<>();
      section.put("title", m.text("segments.title", "segment", name(s)));
      List<String> levels = new ArrayList<>();
      for (SegmentReport.Level l : s.levels()) {
        levels.add(m.text("segments.level", "level", level(s, str(l.level())),
            "customers", ctx.suppression.suppresses(l.customers())
                ? m.text("value.suppressed") : m.integer(l.customers())));
      }
      section.put("levels", m.text("segments.levels", "levels",
          String.join(m.text("findings.holds_separator"), levels)));
      section.put("reference", s.reference() == null ? m.text("segments.no_levels")
          : m.text(s.referenceConfigured()
              ? "segments.reference_configured" : "segments.reference_most",
              "level", level(s, s.reference())));
      long unknown = s.unknownQuotes();
      section.put("unknown", unknown == 0 ? null
          : m.text("segments.unknown", "n", m.integer(unknown)));
      Map<String, Long> statuses = s.statuses();
      section.put("outcome", m.text("segments.outcome",
          "flagged", count(statuses, "penalty"),
          "ruled_out", count(statuses, "no_material_penalty"),
          "inconclusive", count(statuses, "inconclusive") + count(statuses, "not_material"),
          "untested", count(statuses, "insufficient_data"),
          "discount", count(statuses, "discount")));
      section.put("coverage", new CoverageTable(m).rows(CoverageTable.Cell.of(s.coverage())));
      List<Map<String, Object>> rows = new ArrayList<>();
      for (SegmentReport.Flag f : s.flagged()) {
        rows.add(row(s, f));
      }
      section.put("rows", rows);
      section.put("chart", chart(s, out.size()));
      out.add(section);
    }
    return out;
  }

  private Map<String, Object> row(SegmentReport s, SegmentReport.Flag f) {
    Map<String, Object> row = new LinkedHashMap<>();
    boolean sku = "sku".equals(f.level());
    row.put("what", sku
        ? m.text("value.sku_currency", "sku", DisplayText.of(str(f.skuId())),
            "currency", DisplayText.of(str(f.currency())))
        : f.merchantId() == null ? m.text("value.platform")
            : DisplayText.of(f.merchantId()));
    row.put("comparison", m.text("segments.comparison",
        "compared", level(s, str(f.compared())),
        "reference", level(s, str(f.reference()))));
    boolean hidden = suppressed(f);
    row.put("suppressed", hidden);
    row.put("penalty", hidden ? m.text("value.suppressed") : m.signedPct(f.penaltyPct()));
    row.put("ci", hidden ? "" : ctx.interval(f.ciLowPct(), f.ciHighPct()));
    row.put("q", hidden ? "" : m.pValue(f.qValue()));
    Double adjusted = f.adjustedPenaltyPct();
    row.put("adjusted", hidden || adjusted == null ? "" : m.text("segments.adjusted_value",
        "pct", m.signedPct(adjusted),
        "low", m.signedPct(f.adjustedCiLowPct()),
        "high", m.signedPct(f.adjustedCiHighPct())));
    String attribution = f.attribution();
    List<String> heldBy = new ArrayList<>();
    for (String other : f.heldBy() == null ? List.<String>of() : f.heldBy()) {
      heldBy.add(nameOf(other));
    }
    row.put("says", hidden || attribution == null ? "" : m.text("segments.attribution." + attribution,
        "segment", name(s), "others", heldBy.isEmpty() ? m.text("segments.others_none")
            : com.ibm.icu.text.ListFormatter.getInstance(m.locale()).format(heldBy)));
    return row;
  }

  /**
   * The segment's flagged SKU penalties, each beside its adjusted view (published ones, at most
   * 30): where a gap goes once the other attributes are held fixed; null when none.
   */
  private Map<String, Object> chart(SegmentReport s, int index) {
    List<Charts.ForestRow> rows = new ArrayList<>();
    for (SegmentReport.Flag f : skuFlags(s)) {
      if (suppressed(f) || rows.size() >= 60) {
        continue;
      }
      String label = m.text("segments.chart_label", "sku", DisplayText.of(str(f.skuId())),
          "currency", DisplayText.of(str(f.currency())),
          "compared", level(s, str(f.compared())));
      rows.add(new Charts.ForestRow(label, "marginal", f.penaltyPct(),
          f.ciLowPct(), f.ciHighPct()));
      if (f.adjustedPenaltyPct() != null) {
        rows.add(new Charts.ForestRow(label, "adjusted", f.adjustedPenaltyPct(),
            f.adjustedCiLowPct(), f.adjustedCiHighPct()));
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    Map<String, String> series = new LinkedHashMap<>();
    series.put("marginal", m.text("segments.chart_marginal"));
    series.put("adjusted", m.text("segments.chart_adjusted"));
    Map<String, Object> chart = new LinkedHashMap<>();
    chart.put("svg", Charts.forest("fig-segment-" + index, rows, series,
        m.text("segments.chart_axis", "reference", level(s, str(s.reference()))),
        Double.parseDouble(ctx.setting(org.loyaltypenalty.config.ConfigKey.MATERIALITY_PCT))));
    chart.put("caption", m.text("segments.chart_caption", "n", ctx.nextFigure(),
        "segment", name(s), "level", ctx.levelPct()));
    return chart;
  }

  /** The legal-mapping rows: one per configured attribute (the cohort has its own). */
  List<Map<String, Object>> legal() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SegmentReport s : segments) {
      String segment = s.segment();
      if ("cohort".equals(segment)) {
        continue;
      }
      Judgements.AttributeKind kind = Judgements.AttributeKind.of(segment);
      List<SegmentReport.Flag> flags = skuFlags(s);
      Judgements.Strength strongest = Judgements.strongest(flags.stream()
          .map(f -> Judgements.strength(str(f.status()), f.qValue(), f.cellsWithBoth()))
          .toList());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("kind", m.text("legal.kind.attribute." + kind.code(), "segment", name(s)));
      row.put("found", m.text("legal.found", "n", flags.size()));
      row.put("strength", m.text("legal.strength." + strongest.code()));
      row.put("standards", kind.standards().stream().map(c -> m.text("legal.short." + c)).toList());
      row.put("codes", kind.standards());
      row.put("code", "attribute_" + kind.code());
      row.put("n", (long) flags.size());
      out.add(row);
    }
    return out;
  }

  private static List<SegmentReport.Flag> skuFlags(SegmentReport s) {
    return s.flagged().stream().filter(f -> "sku".equals(f.level())).toList();
  }

  /** Whether a flag compares fewer than k customers on a side. */
  private boolean suppressed(SegmentReport.Flag f) {
    return ctx.suppression.suppresses(f.customersReference(), f.customersCompared());
  }

  private static long count(Map<String, Long> statuses, String status) {
    Long n = statuses.get(status);
    return n == null ? 0 : n;
  }

  /** An attribute's name in the report's language, its own name when the bundle has none. */
  private String name(SegmentReport s) {
    return nameOf(str(s.segment()));
  }

  private String nameOf(String segment) {
    return m.has("segments.name." + segment) ? m.text("segments.name." + segment)
        : DisplayText.of(segment);
  }

  /** A level in the report's language (the cohorts'), else as the data has it. */
  private String level(SegmentReport s, String level) {
    return "cohort".equals(s.segment()) ? m.text("cohort.short." + level)
        : DisplayText.of(level);
  }
}
