package org.loyaltypenalty.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Turns a run's {@link ReportData} and manifest into the published report: {@code index.html}
 * (self-contained: styles, font subset and SVG charts inline; opens offline; prints),
 * {@code report.pdf} (the same page, paginated by openhtmltopdf with the run id and page numbers
 * on every page) and {@code report.json} (the machine-readable summary).
 *
 * <p>All words come from {@link Messages}; every value from the data is escaped by FreeMarker's
 * HTML auto-escaping (the template is XHTML, so the same markup feeds the PDF renderer); figures
 * over fewer than {@code k} distinct customers are suppressed by {@link Suppression}. Nothing
 * here touches Spark or row-level data.
 */
public final class ReportRenderer {
  public static final String HTML = "index.html";
  public static final String PDF = "report.pdf";
  public static final String JSON = "report.json";
  public static final String ANNEX = "evidence-annex.csv";

  private static final Configuration FREEMARKER = freemarker();
  private static final java.util.regex.Pattern XML_INVALID =
      java.util.regex.Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]");
  /** Values listed per context column in "where it holds". */
  private static final int MAX_VALUES = 8;
  private static final ObjectMapper JSON_MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** The three files of a rendered report. */
  public record Rendered(String html, byte[] pdf, String json) {}

  private final Messages m;
  private final Suppression suppression;
  private final Map<String, Object> data;
  private final Map<String, Object> manifest;
  private final Map<String, String> config;
  private final double z;
  private int figureNumber;

  /**
   * @param data the run's {@code report-data.json}
   * @param manifest the run's {@code manifest.json}
   * @param languageTag {@code en} or {@code zh-CN}
   * @param k suppression threshold: fewest distinct customers per cohort for a published figure
   */
  @SuppressWarnings("unchecked")
  public ReportRenderer(Map<String, Object> data, Map<String, Object> manifest,
      String languageTag, int k) {
    this.m = new Messages(languageTag);
    this.suppression = new Suppression(k);
    this.data = data;
    this.manifest = manifest;
    this.config = (Map<String, String>) manifest.getOrDefault("config", Map.of());
    double confidence = Double.parseDouble(config.getOrDefault("test.confidence", "0.95"));
    this.z = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.5 + confidence / 2);
  }

  public static Map<String, Object> parse(String json) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = JSON_MAPPER.readValue(json, Map.class);
      return map;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  public Rendered render() {
    Map<String, Object> model = model();
    String body = template(model, false, "");
    // the HTML embeds only the glyphs it uses; the SVG text is outlines already
    StringBuilder text = new StringBuilder(body.replaceAll("(?s)<svg.*?</svg>", " "));
    String fonts = "@font-face{font-family:'" + ReportFont.FAMILY + "';font-weight:400;src:url("
        + ReportFont.subsetDataUrl(ReportFont.REGULAR, text) + ") format('truetype');}"
        + "@font-face{font-family:'" + ReportFont.FAMILY + "';font-weight:700;src:url("
        + ReportFont.subsetDataUrl(ReportFont.BOLD, text) + ") format('truetype');}";
    String html = template(model, false, fonts);
    byte[] pdf = pdf(template(model, true, ""));
    return new Rendered(html, pdf, json(model));
  }

  // ---------------------------------------------------------------- the model

  @SuppressWarnings("unchecked")
  private Map<String, Object> model() {
    Map<String, Object> counts = map(data.get("counts"));
    Map<String, Object> results = map(data.get("results"));
    Map<String, Object> period = map(data.get("period"));
    Map<String, Object> figures = map(data.get("figures"));
    Map<String, Object> nightly = map(data.get("nightly"));
    Map<String, Object> model = new LinkedHashMap<>();
    String runId = String.valueOf(data.get("run_id"));
    model.put("lang", m.languageTag());
    model.put("runId", runId);
    model.put("k", suppression.k());
    model.put("footerRun", css(m.text("report.footer.run", "runId", runId)));
    model.put("footerPage", css(m.text("report.footer.page")));
    model.put("footerOf", css(m.text("report.footer.of")));
    model.put("level", levelPct());
    model.put("generated", m.text("report.generated", "at",
        DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))));
    model.put("periodText", m.text("report.period",
        "from", day(period.get("first_quote_analysed")), "to", day(period.get("last_quote_analysed"))));
    model.put("nightlyTitle", nightly.containsKey("date")
        ? m.text("report.nightly_title", "date", nightly.get("date")) : null);

    List<Map<String, Object>> flagged = (List<Map<String, Object>>) data.getOrDefault("flagged", List.of());
    List<Map<String, Object>> merchants = (List<Map<String, Object>>) data.getOrDefault("merchants", List.of());
    List<Map<String, Object>> holds = list(figures.get("where_it_holds"));

    // 1. summary
    List<String[]> audited = new ArrayList<>();
    audited.add(new String[] {m.text("summary.period"), model.get("periodText").toString()});
    audited.add(new String[] {m.text("summary.merchants"), m.integer(num(counts.get("merchants")))});
    audited.add(new String[] {m.text("summary.rows"), m.integer(num(counts.get("quotes_read")))});
    audited.add(new String[] {m.text("summary.rows_analysed"), m.integer(num(counts.get("quotes_analysed")))});
    audited.add(new String[] {m.text("summary.skus"), m.integer(num(counts.get("sku_currency_pairs")))});
    audited.add(new String[] {m.text("summary.customers"), m.integer(num(counts.get("customers_analysed")))});
    model.put("audited", audited);
    List<String> headline = new ArrayList<>();
    headline.add(m.text("summary.flagged_skus", "n", num(results.get("skus_flagged")),
        "tests", num(results.get("sku_comparisons_flagged")),
        "tested", num(results.get("sku_comparisons_tested"))));
    long merchantsFlagged = merchants.stream().filter(r -> "penalty".equals(r.get("status")))
        .map(r -> r.get("merchant_id")).distinct().count();
    headline.add(m.text("summary.flagged_merchants", "n", merchantsFlagged));
    List<Double> published = flagged.stream().filter(r -> !suppressed(r))
        .map(r -> dbl(r.get("penalty_pct"))).sorted().toList();
    if (!published.isEmpty()) {
      headline.add(m.text("summary.typical", "pct", m.signedPct(median(published)),
          "min", m.signedPct(published.get(0)), "max", m.signedPct(published.get(published.size() - 1))));
    }
    Map<String, Object> affected = map(figures.get("affected"));
    if (!flagged.isEmpty()) {
      Object customers = affected.get("customers");
      boolean affectedHidden = suppression.suppresses(customers);
      headline.add(m.text("summary.affected",
          "quotes", affectedHidden ? m.text("value.suppressed") : m.integer(num(affected.get("quotes"))),
          "customers", affectedHidden ? m.text("value.suppressed") : m.integer(num(customers))));
    }
    model.put("headline", headline);
    model.put("overcharge", overcharge(figures));
    model.put("overchargeNote", m.text("summary.overcharge_explained", "basis",
        m.text("summary.overcharge_basis." + figures.getOrDefault("paid_basis", "all_quotes")),
        "level", levelPct()));
    Map<String, Object> placebo = map(results.get("placebo"));
    model.put("placeboSummary", m.text("summary.placebo", "flagged", num(placebo.get("flagged")),
        "tested", num(placebo.get("tested"))));

    // 2. findings
    model.put("merchants", merchants.stream().map(this::merchantRow).toList());
    model.put("flagged", flagged.stream().map(r -> skuRow(r, holds)).toList());
    model.put("flaggedTruncated", truncated(flagged.size(), num(results.get("sku_comparisons_flagged"))));
    model.put("discounts", ((List<Map<String, Object>>) data.getOrDefault("discounts", List.of()))
        .stream().map(r -> skuRow(r, List.of())).toList());
    model.put("skusIntro", m.text("findings.skus_intro", "q", config.get("test.fdr_q"),
        "materiality", config.get("test.materiality_pct")));
    model.put("forest", forest(flagged));
    List<Map<String, Object>> perSku = perSku(figures);
    model.put("perSku", perSku);
    model.put("nightly", nightly(nightly));

    // 3. where the gap comes from
    model.put("gap", gap(figures, flagged));

    // 4. method
    List<String> method = new ArrayList<>();
    method.add(m.text("method.what", "lookback", num(config.get("cohort.lookback_days")),
        "repeat", num(config.get("cohort.repeat_min")), "loyal", num(config.get("cohort.loyal_min"))));
    method.add(m.text("method.controls", "bucket", config.getOrDefault("context.time_bucket", ""),
        "dimensions", dimensionList((List<String>) period.getOrDefault("dimensions_held_fixed", List.of()))));
    method.add(m.text("method.test", "min_quotes", num(config.get("test.min_quotes_per_cohort")),
        "min_customers", num(config.get("test.min_customers_per_cohort"))));
    method.add(m.text("method.fdr", "q", config.get("test.fdr_q")));
    method.add(m.text("method.thresholds", "q", config.get("test.fdr_q"),
        "materiality", config.get("test.materiality_pct"), "level", levelPct()));
    model.put("method", method);
    model.put("placebo", placebo.get("tested") == null || num(placebo.get("tested")).longValue() == 0
        ? m.text("method.placebo_none")
        : m.text("method.placebo", "seed", String.valueOf(placebo.get("seed")),
            "flagged", num(placebo.get("flagged")), "tested", num(placebo.get("tested")),
            "share", m.pct(dbl(placebo.get("share_p_below_0_05")) * 100, 1)));
    model.put("suppressionText", m.text("method.suppression", "k", suppression.k()));
    List<String[]> configRows = new ArrayList<>();
    config.forEach((key, value) -> configRows.add(new String[] {key, value}));
    model.put("config", configRows);

    // 5. legal mapping
    model.put("legal", legal(flagged, figures, perSku));
    model.put("standards", java.util.stream.Stream.of("pipl24", "algo21", "cprl9", "ppbr", "icobs6b")
        .map(s -> m.text("legal.std." + s)).toList());

    // 6. data quality
    model.put("dq", dataQuality(counts, figures));

    // 7. reproducibility
    model.put("repro", reproducibility());

    // 8. annex
    long annexRows = num(figures.getOrDefault("annex_rows", 0L)).longValue();
    model.put("annex", flagged.isEmpty() ? m.text("annex.none")
        : m.text("annex.file", "file", "report/" + ANNEX, "rows", annexRows));
    return model;
  }

  /**
   * A merchant row with, as its customer counts, those of its largest pooled SKU (a lower bound
   * on the distinct customers behind the pooled estimate; {@link ReportData#POOLED_REFERENCE}).
   */
  private static Map<String, Object> pooledCounts(Map<String, Object> r) {
    Map<String, Object> c = new LinkedHashMap<>(r);
    c.put("customers_reference", r.get(ReportData.POOLED_REFERENCE));
    c.put("customers_compared", r.get(ReportData.POOLED_COMPARED));
    return c;
  }

  /** Comparison, estimate, interval and q of a findings row, or "suppressed"; true if hidden. */
  private boolean putEstimate(Map<String, Object> row, Map<String, Object> r) {
    row.put("comparison", m.text("comparison." + r.get("comparison")));
    boolean hidden = suppressed(r);
    row.put("suppressed", hidden);
    row.put("penalty", hidden ? m.text("value.suppressed") : m.signedPct(dbl(r.get("penalty_pct"))));
    row.put("ci", hidden ? "" : interval(r));
    row.put("q", hidden ? "" : m.pValue(dbl(r.get("q_value"))));
    return hidden;
  }

  private Map<String, Object> merchantRow(Map<String, Object> r) {
    r = pooledCounts(r);
    Map<String, Object> row = new LinkedHashMap<>();
    Object merchant = r.get("merchant_id");
    row.put("merchant", merchant == null ? m.text("value.platform") : merchant.toString());
    boolean hidden = putEstimate(row, r);
    row.put("status", m.text("status." + r.get("status")));
    row.put("pooled", hidden ? "" : pooled(str(r.get("context"))));
    row.put("flagged", "penalty".equals(r.get("status")));
    return row;
  }

  private Map<String, Object> skuRow(Map<String, Object> r, List<Map<String, Object>> holds) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("sku", str(r.get("sku_id")));
    row.put("merchant", str(r.get("merchant_id")));
    row.put("currency", str(r.get("currency")));
    boolean hidden = putEstimate(row, r);
    row.put("quotes", hidden ? m.text("value.suppressed")
        : m.text("value.pair", "a", m.integer(num(r.get("n_reference"))),
            "b", m.integer(num(r.get("n_compared")))));
    row.put("customers", hidden ? m.text("value.suppressed")
        : m.text("value.pair", "a", m.integer(num(r.get("customers_reference"))),
            "b", m.integer(num(r.get("customers_compared")))));
    row.put("cells", hidden ? "" : m.integer(num(r.get("cells_with_both"))));
    row.put("strength", hidden ? "" : m.text("legal.strength." + strength(r)));
    List<Map<String, Object>> held = new ArrayList<>();
    String compared = compared(r);
    Map<String, Integer> perDimension = new java.util.HashMap<>();
    Map<String, List<String>> byDimension = new java.util.TreeMap<>();
    for (Map<String, Object> c : holds) {
      if (!same(c, r, "sku_id") || !same(c, r, "currency") || !compared.equals(c.get("cohort"))) {
        continue;
      }
      Map<String, Object> reference = null;
      for (Map<String, Object> n : holds) {
        if (same(n, c, "sku_id") && same(n, c, "currency") && same(n, c, "dimension")
            && same(n, c, "value") && "new".equals(n.get("cohort"))) {
          reference = n;
        }
      }
      String dimension = str(c.get("dimension"));
      if (reference == null || perDimension.merge(dimension, 1, Integer::sum) > MAX_VALUES) {
        continue;
      }
      boolean cellHidden = suppression.suppresses(c.get("customers"), reference.get("customers"));
      String gap = cellHidden ? m.text("value.suppressed")
          : m.signedPct(100 * Math.expm1(dbl(c.get("mean_log")) - dbl(reference.get("mean_log"))));
      byDimension.computeIfAbsent(dimension, x -> new ArrayList<>())
          .add(m.text("findings.holds_value", "value", str(c.get("value")), "gap", gap));
    }
    byDimension.forEach((dimension, values) -> {
      if (values.size() > 1) { // one value (the SKU's merchant, say): nothing to compare
        held.add(Map.of("dimension", m.has("dimension." + dimension)
            ? m.text("dimension." + dimension) : dimension, "values", String.join(m.text("findings.holds_separator"), values)));
      }
    });
    row.put("contexts", held);
    return row;
  }

  /** strong: flagged, q <= 0.01, in >= 3 matched contexts; moderate: flagged; weak; none. */
  static String strength(Map<String, Object> r) {
    Object status = r.get("status");
    if ("penalty".equals(status)) {
      Double q = dbl(r.get("q_value"));
      Number cells = num(r.get("cells_with_both"));
      return q != null && q <= 0.01 && cells != null && cells.longValue() >= 3 ? "strong" : "moderate";
    }
    return "not_material".equals(status) ? "weak" : "none";
  }

  private List<Map<String, Object>> overcharge(Map<String, Object> figures) {
    Map<String, double[]> byCurrency = new java.util.TreeMap<>();
    // per SKU first: its comparisons share the new customers, so their errors add (conservative)
    Map<String, Double> skuSe = new LinkedHashMap<>();
    for (Map<String, Object> o : list(figures.get("overcharge"))) {
      if (suppressed(o)) {
        continue;
      }
      String currency = str(o.get("currency"));
      double[] acc = byCurrency.computeIfAbsent(currency, c -> new double[3]);
      acc[0] += dbl(o.get("overcharge"));
      acc[2] += 1;
      skuSe.merge(currency + "\u0001" + str(o.get("sku_id")), dbl(o.get("overcharge_se")), Double::sum);
    }
    skuSe.forEach((key, se) -> byCurrency.get(key.substring(0, key.indexOf('\u0001')))[1] += se * se);
    List<Map<String, Object>> out = new ArrayList<>();
    byCurrency.forEach((currency, acc) -> {
      double se = Math.sqrt(acc[1]);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("currency", currency);
      row.put("amount", acc[0]);
      row.put("low", acc[0] - z * se);
      row.put("high", acc[0] + z * se);
      row.put("n", (long) acc[2]);
      row.put("text", m.text("summary.overcharge_row", "amount", m.money(acc[0], currency),
          "low", m.money(acc[0] - z * se, currency), "high", m.money(acc[0] + z * se, currency),
          "n", (long) acc[2]));
      out.add(row);
    });
    return out;
  }

  private Map<String, Object> forest(List<Map<String, Object>> flagged) {
    List<Charts.ForestRow> rows = new ArrayList<>();
    for (Map<String, Object> r : flagged) {
      if (!suppressed(r) && rows.size() < 60) {
        rows.add(new Charts.ForestRow(chartLabel(r), str(r.get("comparison")),
            dbl(r.get("penalty_pct")), dbl(r.get("ci_low_pct")), dbl(r.get("ci_high_pct"))));
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    Map<String, String> series = new LinkedHashMap<>();
    series.put("repeat_vs_new", m.text("comparison.repeat_vs_new"));
    series.put("loyal_vs_new", m.text("comparison.loyal_vs_new"));
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("svg", Charts.forest("fig-forest", rows, series, m.text("findings.forest_axis"),
        Double.parseDouble(config.getOrDefault("test.materiality_pct", "1"))));
    f.put("caption", m.text("findings.forest_caption", "n", ++figureNumber, "level", levelPct(),
        "materiality", config.getOrDefault("test.materiality_pct", "")));
    return f;
  }

  private List<Map<String, Object>> perSku(Map<String, Object> figures) {
    List<Map<String, Object>> out = new ArrayList<>();
    int i = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Map<String, Object> key : list(figures.get("figure_skus"))) {
      String sku = str(key.get("sku_id"));
      String currency = str(key.get("currency"));
      if (!seen.add(sku + "\u0000" + currency)) {
        continue; // both comparisons of one SKU share its figures
      }
      i++;
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("title", m.text("value.sku_currency", "sku", sku, "currency", currency));
      List<Charts.Box> boxes = new ArrayList<>();
      for (Map<String, Object> d : list(figures.get("distributions"))) {
        if (sku.equals(str(d.get("sku_id"))) && currency.equals(str(d.get("currency")))
            && !suppression.suppresses(d.get("customers"))) {
          boxes.add(new Charts.Box(m.text("cohort.short." + d.get("cohort")), str(d.get("cohort")),
              dbl(d.get("p05_pct")), dbl(d.get("p25_pct")), dbl(d.get("median_pct")),
              dbl(d.get("p75_pct")), dbl(d.get("p95_pct")), dbl(d.get("mean_pct"))));
        }
      }
      boxes.sort(java.util.Comparator.comparingInt(b -> List.of("new", "repeat", "loyal").indexOf(b.cohort())));
      if (boxes.size() >= 2) {
        f.put("distribution", Charts.distribution("fig-dist-" + i, boxes,
            m.text("findings.distribution_axis")));
        f.put("distributionCaption", m.text("findings.distribution_caption", "n", ++figureNumber,
            "sku", sku, "currency", currency));
      }
      List<Charts.TenurePoint> points = new ArrayList<>();
      for (Map<String, Object> t : list(figures.get("tenure"))) {
        if (sku.equals(str(t.get("sku_id"))) && currency.equals(str(t.get("currency")))
            && !suppression.suppresses(t.get("customers")) && t.get("sd_log") != null) {
          double mean = dbl(t.get("mean_log"));
          double half = z * dbl(t.get("sd_log")) / Math.sqrt(num(t.get("customers")).doubleValue());
          points.add(new Charts.TenurePoint(num(t.get("prior_purchases")).intValue(),
              100 * Math.expm1(mean), 100 * Math.expm1(mean - half), 100 * Math.expm1(mean + half)));
        }
      }
      if (points.size() >= 2) {
        f.put("tenure", Charts.tenure("fig-tenure-" + i, points, m.text("findings.tenure_series"),
            m.text("findings.tenure_axis_x"), m.text("findings.tenure_axis_y")));
        f.put("tenureCaption", m.text("findings.tenure_caption", "n", ++figureNumber,
            "sku", sku, "currency", currency, "level", levelPct()));
        f.put("walking", rising(points));
      }
      if (!f.containsKey("distribution") && !f.containsKey("tenure")) {
        f.put("withheld", m.text("findings.figure_suppressed", "k", suppression.k()));
      }
      out.add(f);
    }
    return out;
  }

  /**
   * Price walking: among returning customers (one prior purchase or more; bucket 0 is the new
   * customers, 0 by construction), the longest-tenure bucket's interval lies wholly above that of
   * the first returning bucket: the price keeps rising with tenure, not only from new to returning.
   */
  static boolean rising(List<Charts.TenurePoint> points) {
    List<Charts.TenurePoint> returning = points.stream().filter(p -> p.prior() > 0).toList();
    if (returning.size() < 2) {
      return false;
    }
    Charts.TenurePoint first = returning.get(0);
    Charts.TenurePoint last = returning.get(returning.size() - 1);
    return last.prior() > first.prior() && last.low() > first.high();
  }

  private Map<String, Object> gap(Map<String, Object> figures, List<Map<String, Object>> flagged) {
    Map<String, Object> g = new LinkedHashMap<>();
    List<Map<String, Object>> split = list(figures.get("list_vs_discount"));
    if (split.isEmpty()) {
      g.put("note", flagged.isEmpty() ? m.text("gap.none_flagged") : m.text("gap.none"));
      return g;
    }
    List<Charts.GapSplit> bars = new ArrayList<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> s : split) {
      boolean hidden = suppressed(s);
      String label = chartLabel(s);
      double list = 100 * dbl(s.get("list_gap_log"));
      double discount = 100 * dbl(s.get("discount_gap_log"));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("label", label);
      row.put("list", hidden ? m.text("value.suppressed") : number(list));
      row.put("discount", hidden ? m.text("value.suppressed") : number(discount));
      row.put("total", hidden ? m.text("value.suppressed") : number(list + discount));
      rows.add(row);
      if (!hidden) {
        bars.add(new Charts.GapSplit(label, list, discount));
      }
    }
    g.put("rows", rows);
    if (!bars.isEmpty()) {
      g.put("svg", Charts.gapSplit("fig-gap", bars, m.text("col.list_gap"),
          m.text("col.discount_gap"), m.text("gap.axis")));
      g.put("caption", m.text("gap.caption", "n", ++figureNumber));
    }
    return g;
  }

  private Map<String, Object> nightly(Map<String, Object> nightly) {
    if (!nightly.containsKey("date")) {
      return null;
    }
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("title", m.text("findings.nightly", "date", nightly.get("date")));
    n.put("intro", m.text("findings.nightly_intro", "runs", num(nightly.get("persistence_runs"))));
    List<Map<String, Object>> lists = new ArrayList<>();
    for (String key : List.of("newly_confirmed", "new_tonight", "resolved_tonight", "confirmed")) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map<String, Object> r : list(nightly.get(key))) {
        boolean hidden = suppression.suppresses(r.get("customers_min"));
        boolean hiddenBefore = suppression.suppresses(r.get("customers_min_previous"));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("level", m.text("level." + r.get("level")));
        row.put("sku", str(r.get("sku_id")));
        row.put("merchant", r.get("merchant_id") == null || str(r.get("merchant_id")).isEmpty()
            ? m.text("value.platform") : str(r.get("merchant_id")));
        row.put("currency", str(r.get("currency")));
        row.put("comparison", m.text("comparison." + r.get("comparison")));
        row.put("tonight", r.get("penalty_pct") == null ? "–"
            : hidden ? m.text("value.suppressed") : m.signedPct(dbl(r.get("penalty_pct"))));
        row.put("previous", r.get("penalty_pct_previous") == null ? "–"
            : hiddenBefore ? m.text("value.suppressed") : m.signedPct(dbl(r.get("penalty_pct_previous"))));
        row.put("streak", m.integer(num(r.get("streak"))));
        row.put("nights", m.integer(num(r.get("nights_flagged"))));
        row.put("first", str(r.get("first_flagged")));
        row.put("last", str(r.get("last_flagged")));
        rows.add(row);
      }
      String title = m.text("findings.nightly." + key);
      Object total = nightly.get(key + "_total");
      if (total != null && num(total).longValue() > rows.size()) {
        title += " " + m.text("findings.nightly.showing", "shown", rows.size(), "total", num(total));
      }
      lists.add(Map.of("title", title, "rows", rows));
    }
    n.put("lists", lists);
    return n;
  }

  private List<Map<String, Object>> legal(List<Map<String, Object>> flagged,
      Map<String, Object> figures, List<Map<String, Object>> perSku) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<String> china = List.of("pipl24", "algo21", "cprl9", "ppbr");
    for (String kind : List.of("loyal", "repeat", "discount", "walking")) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("kind", m.text("legal.kind." + kind));
      List<String> standards = new ArrayList<>(china);
      long n;
      String strongest = "none";
      switch (kind) {
        case "loyal", "repeat" -> {
          List<Map<String, Object>> mine = flagged.stream()
              .filter(r -> (kind + "_vs_new").equals(r.get("comparison"))).toList();
          n = mine.size();
          strongest = mine.stream().map(ReportRenderer::strength)
              .min(java.util.Comparator.comparingInt(s -> List.of("strong", "moderate", "weak", "none").indexOf(s)))
              .orElse("none");
          standards.add("icobs6b");
          row.put("found", m.text("legal.found", "n", n));
        }
        case "discount" -> {
          n = 0;
          for (Map<String, Object> s : list(figures.get("list_vs_discount"))) {
            if (!suppressed(s) && dbl(s.get("discount_gap_log")) > 0
                && dbl(s.get("discount_gap_log")) >= Math.abs(dbl(s.get("list_gap_log")))) {
              n++;
            }
          }
          strongest = n > 0 ? "moderate" : "none";
          row.put("found", m.text("legal.found", "n", n));
        }
        default -> {
          n = perSku.stream()
              .filter(f -> Boolean.TRUE.equals(f.get("walking"))).count();
          strongest = n > 0 ? "moderate" : "none";
          standards.add("icobs6b");
          row.put("found", m.text("legal.found_walking", "n", n));
        }
      }
      row.put("strength", m.text("legal.strength." + strongest));
      row.put("standards", standards.stream().map(s -> m.text("legal.short." + s)).toList());
      row.put("codes", standards);
      row.put("code", kind);
      row.put("n", n);
      out.add(row);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> dataQuality(Map<String, Object> counts, Map<String, Object> figures) {
    Map<String, Object> dq = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    lines.add(m.text("dq.quotes", "read", m.integer(num(counts.get("quotes_read"))),
        "valid", m.integer(num(counts.get("quotes_valid"))),
        "quarantined", m.integer(num(counts.get("quotes_quarantined")))));
    if (num(counts.get("purchases_read")) != null && num(counts.get("purchases_read")).longValue() > 0) {
      lines.add(m.text("dq.purchases", "read", m.integer(num(counts.get("purchases_read"))),
          "valid", m.integer(num(counts.get("purchases_valid"))),
          "quarantined", m.integer(num(counts.get("purchases_quarantined"))),
          "source", purchasesSource(str(counts.get("purchases_source")))));
    }
    lines.add(m.text("dq.censored", "n", m.integer(num(counts.get("quotes_cohort_censored")))));
    Map<String, Object> coverage = map(figures.get("coverage"));
    if (coverage.get("analysed") != null && num(coverage.get("analysed")).longValue() > 0) {
      double share = num(coverage.get("covered")).doubleValue() / num(coverage.get("analysed")).doubleValue();
      lines.add(m.text("dq.coverage", "share", m.pct(share * 100, 1),
          "covered", m.integer(num(coverage.get("covered"))),
          "analysed", m.integer(num(coverage.get("analysed")))));
    }
    dq.put("lines", lines);
    List<String[]> reasons = new ArrayList<>();
    addReasons(reasons, "quotes", map(counts.get("quarantine_reasons")));
    addReasons(reasons, "purchases", map(counts.get("purchase_quarantine_reasons")));
    dq.put("reasons", reasons);
    List<String[]> untested = new ArrayList<>();
    for (Map<String, Object> u : (List<Map<String, Object>>) data.getOrDefault("untested", List.of())) {
      untested.add(new String[] {untestedReason(str(u.get("why"))), m.integer(num(u.get("n")))});
    }
    dq.put("untested", untested);
    return dq;
  }

  private void addReasons(List<String[]> out, String source, Map<String, Object> reasons) {
    reasons.forEach((code, n) -> out.add(new String[] {m.text("dq.source." + source), code,
        m.has("reason." + code) ? m.text("reason." + code) : "", m.integer(num(n))}));
  }

  /** The merchant roll-up's context ("pooled over N tested SKUs; ... : tau"), translated. */
  private String pooled(String context) {
    java.util.regex.Matcher p = java.util.regex.Pattern
        .compile("pooled over (\\d+) tested SKUs; between-SKU sd of the log penalty: ([0-9.]+)")
        .matcher(context);
    return p.find() ? m.text("findings.pooled", "n", Long.parseLong(p.group(1)),
        "tau", number(Double.parseDouble(p.group(2)) * 100)) : context;
  }

  /** The audit's progress steps (as the manifest records them, in English), translated. */
  private static final List<String[]> STEPS = List.of(
      new String[] {"starting Spark for the night of (.+)", "repro.step.start_night", "day"},
      new String[] {"starting Spark", "repro.step.start", null},
      new String[] {"reading and validating quotes from (.+)", "repro.step.quotes", "path"},
      new String[] {"reading and validating purchases from (.+)", "repro.step.purchases", "path"},
      new String[] {"placing each quote's customer in a cohort.*", "repro.step.cohorts", null},
      new String[] {"estimating per-SKU penalties \\(fixed effects: (.+)\\), the placebo split.*",
          "repro.step.sku_pass", "dimensions"},
      new String[] {"estimating per-SKU penalties \\(fixed effects: (.+)\\)", "repro.step.estimate",
          "dimensions"},
      new String[] {"finding exact-context cells.*", "repro.step.cells", null},
      new String[] {"pooling SKU estimates per merchant", "repro.step.merchants", null},
      new String[] {"controlling the false discovery rate.*", "repro.step.fdr", null},
      new String[] {"writing the quarantine", "repro.step.quarantine", null},
      new String[] {"placebo check.*", "repro.step.placebo", null},
      new String[] {"computing the report's figures.*", "repro.step.figures", null},
      new String[] {"writing the manifest and the report", "repro.step.report", null});

  private String step(String recorded) {
    for (String[] s : STEPS) {
      java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(s[0]).matcher(recorded);
      if (matcher.matches()) {
        String arg = s[2] != null && s[2].equals("dimensions")
            ? dimensionList(List.of(matcher.group(1).split(", "))) : s[2] == null ? null : matcher.group(1);
        return s[2] == null ? m.text(s[1]) : m.text(s[1], s[2], arg);
      }
    }
    return recorded;
  }

  /** Context columns by their names in the report's language, as a list in that language. */
  private String dimensionList(List<String> dimensions) {
    return com.ibm.icu.text.ListFormatter.getInstance(m.locale()).format(dimensions.stream()
        .map(d -> m.has("dimension." + d) ? m.text("dimension." + d) : d).toList());
  }

  /** Where the purchase history came from, in the report's language. */
  private String purchasesSource(String source) {
    return switch (source) {
      case "purchases input" -> m.text("dq.source.purchases_input");
      case "quotes with purchased = true" -> m.text("dq.source.purchased_quotes");
      case "every quote (orders-only export)" -> m.text("dq.source.orders_only");
      default -> source;
    };
  }

  /** The estimator's reasons, in the report's language. */
  private String untestedReason(String why) {
    java.util.regex.Matcher quotes = java.util.regex.Pattern
        .compile("fewer than (\\d+) quotes per cohort").matcher(why);
    java.util.regex.Matcher customers = java.util.regex.Pattern
        .compile("fewer than (\\d+) distinct customers per cohort").matcher(why);
    if (quotes.find()) {
      return m.text("dq.untested.quotes", "n", Long.parseLong(quotes.group(1)));
    } else if (customers.find()) {
      return m.text("dq.untested.customers", "n", Long.parseLong(customers.group(1)));
    } else if (why.contains("never share a context")) {
      return m.text("dq.untested.no_overlap");
    } else if (why.contains("too few observations")) {
      return m.text("dq.untested.no_df");
    }
    return why;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> reproducibility() {
    Map<String, Object> r = new LinkedHashMap<>();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {m.text("repro.run_id"), str(manifest.get("run_id"))});
    Map<String, Object> code = map(manifest.get("code_version"));
    rows.add(new String[] {m.text("repro.code"), code.isEmpty() ? str(manifest.get("code_version"))
        : m.text("repro.code_value", "version", str(code.get("version")),
            "commit", str(code.get("git_commit")),
            "dirty", String.valueOf(Boolean.parseBoolean(str(code.get("git_dirty")))),
            "built", str(code.get("build_time")))});
    rows.add(new String[] {m.text("repro.config_hash"), str(manifest.get("config_sha256"))});
    Map<String, Object> runtime = map(manifest.get("runtime"));
    if (!runtime.isEmpty()) {
      rows.add(new String[] {m.text("repro.runtime"), m.text("repro.runtime_value",
          "spark", str(runtime.get("spark_version")), "delta", str(runtime.get("delta_version")),
          "java", str(runtime.get("java_version")), "master", str(runtime.get("master")),
          "parallelism", str(runtime.get("default_parallelism")),
          "partitions", str(runtime.get("shuffle_partitions")))});
    }
    Object command = manifest.get("command_line");
    rows.add(new String[] {m.text("repro.command"), command instanceof List<?> l
        ? String.join(" ", l.stream().map(String::valueOf).toList()) : str(command)});
    rows.add(new String[] {m.text("repro.started"), str(manifest.get("started_at"))});
    rows.add(new String[] {m.text("repro.finished"), str(manifest.get("finished_at"))});
    rows.add(new String[] {m.text("repro.report_k"), Integer.toString(suppression.k())});
    r.put("rows", rows);
    List<String[]> inputs = new ArrayList<>();
    for (Map.Entry<String, Object> e : map(manifest.get("inputs")).entrySet()) {
      Map<String, Object> in = map(e.getValue());
      if (!in.isEmpty()) {
        inputs.add(new String[] {m.has("dq.source." + e.getKey()) ? m.text("dq.source." + e.getKey())
            : e.getKey(), str(in.get("path")), str(in.get("format")),
            in.get("delta_version") == null ? "–" : str(in.get("delta_version")),
            m.integer(((List<Object>) in.getOrDefault("files", List.of())).size())});
      }
    }
    r.put("inputs", inputs);
    List<String[]> timings = new ArrayList<>();
    map(manifest.get("timings_s")).forEach((step, s) ->
        timings.add(new String[] {step(step), number(dbl(s))}));
    r.put("timings", timings);
    return r;
  }

  // ---------------------------------------------------------------- JSON

  @SuppressWarnings("unchecked")
  private String json(Map<String, Object> model) {
    Map<String, Object> counts = map(data.get("counts"));
    Map<String, Object> results = map(data.get("results"));
    Map<String, Object> figures = map(data.get("figures"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run_id", data.get("run_id"));
    out.put("language", m.languageTag());
    out.put("suppression_k", suppression.k());
    out.put("period", data.get("period"));
    Map<String, Object> audited = new LinkedHashMap<>();
    for (String c : List.of("quotes_read", "quotes_valid", "quotes_quarantined", "quotes_analysed",
        "quotes_cohort_censored", "customers_analysed", "sku_currency_pairs", "merchants")) {
      audited.put(c, counts.get(c));
    }
    out.put("audited", audited);
    Map<String, Object> headline = new LinkedHashMap<>();
    for (String c : List.of("sku_comparisons", "sku_comparisons_tested", "sku_comparisons_flagged",
        "skus_flagged", "merchant_rollups_flagged")) {
      headline.put(c, results.get(c));
    }
    Map<String, Object> affected = map(figures.get("affected"));
    boolean affectedHidden = suppression.suppresses(affected.get("customers"));
    headline.put("quotes_affected", affectedHidden ? null : affected.get("quotes"));
    headline.put("customers_affected", affectedHidden ? null : affected.get("customers"));
    List<Map<String, Object>> overcharge = new ArrayList<>();
    for (Map<String, Object> o : (List<Map<String, Object>>) model.get("overcharge")) {
      Map<String, Object> c = new LinkedHashMap<>(o);
      c.remove("text");
      c.put("confidence", Double.parseDouble(config.getOrDefault("test.confidence", "0.95")));
      overcharge.add(c);
    }
    headline.put("overcharge", overcharge);
    out.put("headline", headline);
    out.put("flagged", publishable((List<Map<String, Object>>) data.getOrDefault("flagged", List.of())));
    out.put("merchants", publishable(((List<Map<String, Object>>) data.getOrDefault("merchants",
        List.of())).stream().map(ReportRenderer::pooledCounts).toList()));
    out.put("placebo", results.get("placebo"));
    List<Map<String, Object>> legal = new ArrayList<>();
    for (Map<String, Object> l : (List<Map<String, Object>>) model.get("legal")) {
      legal.add(Map.of("kind", l.get("code"), "findings", l.get("n"), "standards", l.get("codes")));
    }
    out.put("legal_mapping", legal);
    Map<String, Object> dq = new LinkedHashMap<>();
    dq.put("quarantine_reasons", counts.get("quarantine_reasons"));
    dq.put("purchase_quarantine_reasons", counts.get("purchase_quarantine_reasons"));
    dq.put("coverage", figures.get("coverage"));
    dq.put("untested", data.get("untested"));
    out.put("data_quality", dq);
    Map<String, Object> repro = new LinkedHashMap<>();
    for (String c : List.of("run_id", "code_version", "runtime", "config_sha256", "command_line",
        "started_at", "finished_at", "inputs", "timings_s")) {
      repro.put(c, manifest.get(c));
    }
    out.put("reproducibility", repro);
    out.put("evidence_annex", Map.of("file", "report/" + ANNEX,
        "rows", figures.getOrDefault("annex_rows", 0L)));
    try {
      return JSON_MAPPER.writeValueAsString(out) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Findings rows for report.json: values of suppressed rows are nulled and marked. */
  private List<Map<String, Object>> publishable(List<Map<String, Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Map<String, Object> c = new LinkedHashMap<>(r);
      boolean hidden = suppressed(r);
      c.put("suppressed", hidden);
      if (hidden) {
        for (String key : List.of("penalty_pct", "ci_low_pct", "ci_high_pct", "p_value", "q_value",
            "customers_reference", "customers_compared", "n_reference", "n_compared",
            "cells_with_both", "context", ReportData.POOLED_REFERENCE, ReportData.POOLED_COMPARED)) {
          c.put(key, null);
        }
      } else {
        c.put("evidence_strength", strength(r));
      }
      out.add(c);
    }
    return out;
  }

  // ---------------------------------------------------------------- HTML and PDF

  private String template(Map<String, Object> model, boolean pdf, String fontFaces) {
    Map<String, Object> root = new LinkedHashMap<>(model);
    root.put("pdf", pdf);
    root.put("fontFaces", fontFaces);
    root.put("family", ReportFont.FAMILY);
    root.put("msg", (TemplateMethodModelEx) args -> {
      if (args.isEmpty()) {
        throw new TemplateModelException("msg needs a key");
      }
      Object[] named = new Object[args.size() - 1];
      for (int i = 1; i < args.size(); i++) {
        named[i - 1] = DeepUnwrap.unwrap((freemarker.template.TemplateModel) args.get(i));
      }
      String key = DeepUnwrap.unwrap((freemarker.template.TemplateModel) args.get(0)).toString();
      return m.text(key, named);
    });
    try {
      Template t = FREEMARKER.getTemplate("report.xhtml.ftlh");
      StringWriter out = new StringWriter();
      t.process(root, out);
      // characters XML 1.0 does not allow (a control character in an id) would stop the PDF
      // renderer's parser and are invisible anyway: shown as U+FFFD
      return XML_INVALID.matcher(out.toString()).replaceAll("\uFFFD");
    } catch (IOException | TemplateException e) {
      throw new IllegalStateException("could not render the report: " + e.getMessage(), e);
    }
  }

  private static byte[] pdf(String xhtml) {
    com.openhtmltopdf.util.XRLog.setLoggingEnabled(false);
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PdfRendererBuilder builder = new PdfRendererBuilder();
      builder.useFastMode();
      builder.useFont(() -> new ByteArrayInputStream(ReportFont.bytes(ReportFont.REGULAR)),
          ReportFont.FAMILY, 400, FontStyle.NORMAL, true);
      builder.useFont(() -> new ByteArrayInputStream(ReportFont.bytes(ReportFont.BOLD)),
          ReportFont.FAMILY, 700, FontStyle.NORMAL, true);
      builder.useSVGDrawer(new BatikSVGDrawer());
      builder.withHtmlContent(xhtml, null);
      builder.toStream(out);
      builder.run();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("could not render the PDF: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- helpers

  private boolean suppressed(Map<String, Object> r) {
    return suppression.suppresses(r.get("customers_reference"), r.get("customers_compared"));
  }

  private String interval(Map<String, Object> r) {
    return m.text("value.interval", "low", m.signedPct(dbl(r.get("ci_low_pct"))),
        "high", m.signedPct(dbl(r.get("ci_high_pct"))));
  }

  private String truncated(int shown, Number total) {
    return total != null && total.longValue() > shown
        ? m.text("value.truncated", "shown", shown, "total", total) : null;
  }

  private long levelPct() {
    return Math.round(Double.parseDouble(config.getOrDefault("test.confidence", "0.95")) * 100);
  }

  private String number(Double v) {
    // a rounding residue such as -1e-17 reads 0.00, not -0.00
    return v == null || v.isNaN() ? "–" : com.ibm.icu.number.NumberFormatter.withLocale(m.locale())
        .precision(com.ibm.icu.number.Precision.fixedFraction(2))
        .format(Math.abs(v) < 0.005 ? 0.0 : v).toString();
  }

  /** Text for a CSS string in double quotes: backslash escapes, no markup characters. */
  static String css(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20) {
        out.append('\\').append(Integer.toHexString(c)).append(' ');
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  private static String day(Object instant) {
    if (instant == null) {
      return "–";
    }
    try {
      return Instant.parse(instant.toString()).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    } catch (java.time.format.DateTimeParseException e) {
      return instant.toString();
    }
  }

  /** "SKU-0001 · GBP · loyal": a flagged comparison on a chart axis. */
  private String chartLabel(Map<String, Object> r) {
    return m.text("value.chart_label", "sku", str(r.get("sku_id")), "currency",
        str(r.get("currency")), "cohort", m.text("cohort.short." + compared(r)));
  }

  private static String compared(Map<String, Object> r) {
    return str(r.get("comparison")).replace("_vs_new", "");
  }

  private static boolean same(Map<String, Object> a, Map<String, Object> b, String key) {
    return java.util.Objects.equals(a.get(key), b.get(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  private static Number num(Object o) {
    if (o instanceof Number n) {
      return n;
    }
    if (o == null) {
      return null;
    }
    try {
      return Long.parseLong(o.toString().trim());
    } catch (NumberFormatException e) {
      return Double.parseDouble(o.toString().trim());
    }
  }

  private static Double dbl(Object o) {
    Number n = num(o);
    return n == null ? null : n.doubleValue();
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static Configuration freemarker() {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setClassForTemplateLoading(ReportRenderer.class, "/org/loyaltypenalty/report");
    cfg.setDefaultEncoding("UTF-8");
    cfg.setLocale(Locale.ROOT);
    cfg.setNumberFormat("computer");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setFallbackOnNullLoopVariable(false);
    return cfg;
  }
}
