package org.loyaltypenalty.report;

import static org.loyaltypenalty.report.Values.dbl;
import static org.loyaltypenalty.report.Values.list;
import static org.loyaltypenalty.report.Values.map;
import static org.loyaltypenalty.report.Values.num;
import static org.loyaltypenalty.report.Values.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final List<Map<String, Object>> segments;

  SegmentsSection(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
    this.segments = list(ctx.data.get("segments"));
  }

  boolean present() {
    return !segments.isEmpty();
  }

  /** One line: what was flagged in each attribute tested. */
  String headline() {
    List<String> parts = new ArrayList<>();
    for (Map<String, Object> s : segments) {
      parts.add(m.text("segments.headline_part", "segment", name(s),
          "n", skuFlags(s).size()));
    }
    return m.text("segments.headline", "n", segments.size(), "parts",
        com.ibm.icu.text.ListFormatter.getInstance(m.locale()).format(parts));
  }

  /** The sections, one per attribute, the loyalty cohort first. */
  List<Map<String, Object>> sections() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> s : segments) {
      Map<String, Object> section = new LinkedHashMap<>();
      section.put("title", m.text("segments.title", "segment", name(s)));
      List<String> levels = new ArrayList<>();
      for (Map<String, Object> l : list(s.get("levels"))) {
        Object customers = l.get("customers");
        levels.add(m.text("segments.level", "level", level(s, str(l.get("level"))),
            "customers", ctx.suppression.suppresses(customers)
                ? m.text("value.suppressed") : m.integer(num(customers))));
      }
      section.put("levels", m.text("segments.levels", "levels",
          String.join(m.text("findings.holds_separator"), levels)));
      section.put("reference", s.get("reference") == null ? m.text("segments.no_levels")
          : m.text(Boolean.TRUE.equals(s.get("reference_configured"))
              ? "segments.reference_configured" : "segments.reference_most",
              "level", level(s, str(s.get("reference")))));
      long unknown = num(s.get("unknown_quotes")).longValue();
      section.put("unknown", unknown == 0 ? null
          : m.text("segments.unknown", "n", m.integer(unknown)));
      Map<String, Object> statuses = map(s.get("statuses"));
      section.put("outcome", m.text("segments.outcome",
          "flagged", count(statuses, "penalty"),
          "ruled_out", count(statuses, "no_material_penalty"),
          "inconclusive", count(statuses, "inconclusive") + count(statuses, "not_material"),
          "untested", count(statuses, "insufficient_data"),
          "discount", count(statuses, "discount")));
      section.put("coverage", new CoverageTable(m).rows(list(s.get("coverage"))));
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map<String, Object> f : list(s.get("flagged"))) {
        rows.add(row(s, f));
      }
      section.put("rows", rows);
      section.put("chart", chart(s, out.size()));
      out.add(section);
    }
    return out;
  }

  private Map<String, Object> row(Map<String, Object> s, Map<String, Object> f) {
    Map<String, Object> row = new LinkedHashMap<>();
    boolean sku = "sku".equals(f.get("level"));
    row.put("what", sku
        ? m.text("value.sku_currency", "sku", DisplayText.of(str(f.get("sku_id"))),
            "currency", DisplayText.of(str(f.get("currency"))))
        : f.get("merchant_id") == null ? m.text("value.platform")
            : DisplayText.of(str(f.get("merchant_id"))));
    row.put("comparison", m.text("segments.comparison",
        "compared", level(s, str(f.get("compared"))),
        "reference", level(s, str(f.get("reference")))));
    boolean hidden = ctx.suppressed(f);
    row.put("suppressed", hidden);
    row.put("penalty", hidden ? m.text("value.suppressed") : m.signedPct(dbl(f.get("penalty_pct"))));
    row.put("ci", hidden ? "" : ctx.interval(f));
    row.put("q", hidden ? "" : m.pValue(dbl(f.get("q_value"))));
    Object adjusted = f.get("adjusted_penalty_pct");
    row.put("adjusted", hidden || adjusted == null ? "" : m.text("segments.adjusted_value",
        "pct", m.signedPct(dbl(adjusted)),
        "low", m.signedPct(dbl(f.get("adjusted_ci_low_pct"))),
        "high", m.signedPct(dbl(f.get("adjusted_ci_high_pct")))));
    Object attribution = f.get("attribution");
    List<String> heldBy = new ArrayList<>();
    for (Object other : f.get("held_by") instanceof List<?> l ? l : List.of()) {
      heldBy.add(nameOf(String.valueOf(other)));
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
  private Map<String, Object> chart(Map<String, Object> s, int index) {
    List<Charts.ForestRow> rows = new ArrayList<>();
    for (Map<String, Object> f : skuFlags(s)) {
      if (ctx.suppressed(f) || rows.size() >= 60) {
        continue;
      }
      String label = m.text("segments.chart_label", "sku", DisplayText.of(str(f.get("sku_id"))),
          "currency", DisplayText.of(str(f.get("currency"))),
          "compared", level(s, str(f.get("compared"))));
      rows.add(new Charts.ForestRow(label, "marginal", dbl(f.get("penalty_pct")),
          dbl(f.get("ci_low_pct")), dbl(f.get("ci_high_pct"))));
      if (f.get("adjusted_penalty_pct") != null) {
        rows.add(new Charts.ForestRow(label, "adjusted", dbl(f.get("adjusted_penalty_pct")),
            dbl(f.get("adjusted_ci_low_pct")), dbl(f.get("adjusted_ci_high_pct"))));
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
        m.text("segments.chart_axis", "reference", level(s, str(s.get("reference")))),
        Double.parseDouble(ctx.setting(org.loyaltypenalty.config.ConfigKey.MATERIALITY_PCT))));
    chart.put("caption", m.text("segments.chart_caption", "n", ctx.nextFigure(),
        "segment", name(s), "level", ctx.levelPct()));
    return chart;
  }

  /** The legal-mapping rows: one per configured attribute (the cohort has its own). */
  List<Map<String, Object>> legal() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> s : segments) {
      String segment = str(s.get("segment"));
      if ("cohort".equals(segment)) {
        continue;
      }
      Judgements.AttributeKind kind = Judgements.AttributeKind.of(segment);
      List<Map<String, Object>> flags = skuFlags(s);
      Judgements.Strength strongest = Judgements.strongest(flags.stream()
          .map(f -> Judgements.strength(str(f.get("status")), dbl(f.get("q_value")),
              num(f.get("cells_with_both")))).toList());
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

  private static List<Map<String, Object>> skuFlags(Map<String, Object> s) {
    return list(s.get("flagged")).stream().filter(f -> "sku".equals(f.get("level"))).toList();
  }

  private static long count(Map<String, Object> statuses, String status) {
    Object n = statuses.get(status);
    return n == null ? 0 : num(n).longValue();
  }

  /** An attribute's name in the report's language, its own name when the bundle has none. */
  private String name(Map<String, Object> s) {
    return nameOf(str(s.get("segment")));
  }

  private String nameOf(String segment) {
    return m.has("segments.name." + segment) ? m.text("segments.name." + segment)
        : DisplayText.of(segment);
  }

  /** A level in the report's language (the cohorts'), else as the data has it. */
  private String level(Map<String, Object> s, String level) {
    return "cohort".equals(s.get("segment")) ? m.text("cohort.short." + level)
        : DisplayText.of(level);
  }
}
