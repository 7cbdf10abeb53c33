package org.loyaltypenalty.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.validate.QuarantineReason;

/**
 * The first-version HTML report ({@code report/index.html}): summary, flagged SKUs with their
 * estimates and intervals, merchant roll-ups, what could not be tested and why, data quality,
 * method and configuration. Rendered by FreeMarker with HTML auto-escaping, so every value that
 * comes from the data is escaped. Only aggregates reach it: no customer id can appear.
 */
public final class HtmlReport {
  private static final int MAX_ROWS = 500;
  private static final Configuration FREEMARKER = freemarker();

  private HtmlReport() {}

  public static String render(String runId, AuditConfig config, Map<String, Object> counts,
      Map<String, Object> results, Map<String, Object> period, Dataset<Row> findings,
      Map<String, Object> extra) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("extra", extra);
    model.put("runId", runId);
    model.put("counts", counts);
    model.put("results", results);
    model.put("period", period);
    model.put("config", config.asMap());
    model.put("fdrQ", config.fdrQ());
    model.put("materiality", config.materialityPct());
    model.put("confidencePct", Math.round(config.confidence() * 100));
    model.put("flagged", rows(findings.filter(col(Findings.LEVEL).equalTo("sku")
        .and(col(Findings.FLAGGED))).orderBy(col(Findings.PENALTY_PCT).desc(),
            col(Findings.SKU_ID), col(Findings.COMPARISON))));
    model.put("merchants", rows(findings.filter(col(Findings.LEVEL).equalTo("merchant"))
        .orderBy(col(Findings.PENALTY_PCT).desc_nulls_last(), col(Findings.COMPARISON))));
    model.put("discounts", rows(findings.filter(col(Findings.LEVEL).equalTo("sku")
        .and(col(Findings.STATUS).equalTo("discount"))).orderBy(col(Findings.PENALTY_PCT))));
    List<Map<String, Object>> untested = new ArrayList<>();
    for (Row r : findings.filter(col(Findings.LEVEL).equalTo("sku")
            .and(col(Findings.P_VALUE).isNull()))
        .groupBy(regexp_extract(col(Findings.CONTEXT), "not tested: (.*)$", 1).as("why"))
        .agg(count(lit(1)).as("n")).orderBy(col("n").desc()).collectAsList()) {
      untested.add(Map.of("why", r.getString(0), "n", r.getLong(1)));
    }
    model.put("untested", untested);
    List<Map<String, Object>> reasons = new ArrayList<>();
    addReasons(reasons, "quotes", counts.get("quarantine_reasons"));
    addReasons(reasons, "purchases", counts.get("purchase_quarantine_reasons"));
    model.put("reasons", reasons);
    try {
      Template t = FREEMARKER.getTemplate("index.html.ftlh");
      StringWriter out = new StringWriter();
      t.process(model, out);
      return out.toString();
    } catch (IOException | TemplateException e) {
      throw new IllegalStateException("could not render the report: " + e.getMessage(), e);
    }
  }

  private static void addReasons(List<Map<String, Object>> out, String source, Object counts) {
    if (counts instanceof Map<?, ?> m) {
      m.forEach((reason, n) -> {
        String description = "";
        for (QuarantineReason r : QuarantineReason.values()) {
          if (r.code().equals(reason)) {
            description = r.description();
          }
        }
        out.add(Map.of("source", source, "reason", reason, "description", description, "n", n));
      });
    }
  }

  private static List<Map<String, Object>> rows(Dataset<Row> ds) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : ds.limit(MAX_ROWS).collectAsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String c : List.of(Findings.COMPARISON, Findings.MERCHANT_ID, Findings.SKU_ID,
          Findings.CURRENCY, Findings.CONTEXT, Findings.STATUS)) {
        Object v = r.getAs(c);
        m.put(c, v == null ? "" : v.toString());
      }
      for (String c : List.of(Findings.N_REFERENCE, Findings.N_COMPARED,
          Findings.CUSTOMERS_REFERENCE, Findings.CUSTOMERS_COMPARED)) {
        Object v = r.getAs(c);
        m.put(c, v == null ? "" : String.format(Locale.ROOT, "%,d", (Long) v));
      }
      m.put("penalty", pct(r.getAs(Findings.PENALTY_PCT)));
      m.put("ci", "[" + pct(r.getAs(Findings.CI_LOW_PCT)) + ", "
          + pct(r.getAs(Findings.CI_HIGH_PCT)) + "]");
      m.put("q", pValue(r.getAs(Findings.Q_VALUE)));
      m.put("p", pValue(r.getAs(Findings.P_VALUE)));
      out.add(m);
    }
    return out;
  }

  public static String pct(Double v) {
    return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%+.2f%%", v);
  }

  /** p- and q-values; underflowed values read as below 1e-16, never as exactly 0. */
  static String pValue(Double v) {
    if (v == null || v.isNaN()) {
      return "–";
    }
    return v < 1e-16 ? "< 1e-16" : v < 1e-4 ? String.format(Locale.ROOT, "%.1e", v)
        : String.format(Locale.ROOT, "%.4f", v);
  }

  private static Configuration freemarker() {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setClassForTemplateLoading(HtmlReport.class, "/org/loyaltypenalty/report");
    cfg.setDefaultEncoding("UTF-8");
    cfg.setLocale(Locale.ROOT);
    cfg.setNumberFormat("computer");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setFallbackOnNullLoopVariable(false);
    return cfg;
  }
}
