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
import org.loyaltypenalty.cohort.PurchasesSource;
import org.loyaltypenalty.run.FindingRow;
import org.loyaltypenalty.run.UntestedCount;
import org.loyaltypenalty.sku.UntestedReason;
import org.loyaltypenalty.text.DisplayText;

/**
 * Sections 4 to 7 of the report: the method, the legal mapping, data quality and
 * reproducibility.
 */
final class AppendixSection {
  private final ReportContext ctx;
  private final Messages m;
  private final Suppression suppression;
  private final Map<String, Object> data;
  private final Map<String, Object> manifest;

  AppendixSection(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
    this.suppression = ctx.suppression;
    this.data = ctx.data;
    this.manifest = ctx.manifest;
  }

  List<Map<String, Object>> legal(List<FindingRow> flagged,
      Map<String, Object> figures, List<Map<String, Object>> perSku) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Judgements.Kind kind : Judgements.Kind.values()) {
      long n;
      Judgements.Strength strongest;
      switch (kind) {
        case LOYAL, REPEAT -> {
          List<FindingRow> mine = flagged.stream()
              .filter(r -> (kind.code() + "_vs_new").equals(r.comparison())).toList();
          n = mine.size();
          strongest = Judgements.strongest(mine.stream().map(r -> Judgements.strength(
              str(r.status()), r.qValue(), r.cellsWithBoth())).toList());
        }
        case DISCOUNT -> {
          n = list(figures.get("list_vs_discount")).stream().filter(s -> !ctx.suppressed(s)
              && Judgements.discountDriven(dbl(s.get("list_gap_log")),
                  dbl(s.get("discount_gap_log")))).count();
          strongest = n > 0 ? Judgements.Strength.MODERATE : Judgements.Strength.NONE;
        }
        default -> {
          n = perSku.stream().filter(f -> Boolean.TRUE.equals(f.get("walking"))).count();
          strongest = n > 0 ? Judgements.Strength.MODERATE : Judgements.Strength.NONE;
        }
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("kind", m.text("legal.kind." + kind.code()));
      row.put("found", m.text(kind == Judgements.Kind.WALKING ? "legal.found_walking"
          : "legal.found", "n", n));
      row.put("strength", m.text("legal.strength." + strongest.code()));
      row.put("standards", kind.standards().stream().map(s -> m.text("legal.short." + s)).toList());
      row.put("codes", kind.standards());
      row.put("code", kind.code());
      row.put("n", n);
      out.add(row);
    }
    return out;
  }

  Map<String, Object> dataQuality(Map<String, Object> counts, Map<String, Object> figures) {
    Map<String, Object> dq = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    lines.add(m.text("dq.quotes", "read", m.integer(num(counts.get("quotes_read"))),
        "valid", m.integer(num(counts.get("quotes_valid"))),
        "quarantined", m.integer(num(counts.get("quotes_quarantined")))));
    if (num(counts.get("purchases_read")) != null && num(counts.get("purchases_read")).longValue() > 0) {
      lines.add(m.text("dq.purchases", "read", m.integer(num(counts.get("purchases_read"))),
          "valid", m.integer(num(counts.get("purchases_valid"))),
          "quarantined", m.integer(num(counts.get("purchases_quarantined"))),
          "source", purchasesSource(data.get(ReportData.PURCHASES_SOURCE),
              str(counts.get("purchases_source")))));
    }
    if (num(counts.get("customers_read")) != null) {
      lines.add(m.text("dq.customers", "read", m.integer(num(counts.get("customers_read"))),
          "valid", m.integer(num(counts.get("customers_valid"))),
          "quarantined", m.integer(num(counts.get("customers_quarantined")))));
    }
    lines.add(m.text("dq.censored", "n", m.integer(num(counts.get("quotes_cohort_censored")))));
    // a quote whose level in a segment is unknown is left out of that segment only
    for (Map<String, Object> segment : list(data.get("segments"))) {
      Number unknown = num(segment.get("unknown_quotes"));
      if (unknown != null && unknown.longValue() > 0) {
        String name = str(segment.get("segment"));
        lines.add(m.text("dq.segment_unknown", "n", m.integer(unknown), "segment",
            m.has("segments.name." + name) ? m.text("segments.name." + name) : name));
      }
    }
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
    addReasons(reasons, "customers", map(counts.get("customer_quarantine_reasons")));
    dq.put("reasons", reasons);
    List<String[]> untested = new ArrayList<>();
    for (UntestedCount u : ctx.untested) {
      // a run written before the reasons were codes recorded them in English ("why")
      untested.add(new String[] {u.reason() == null ? str(u.why())
          : untestedReason(u.reason(), u.threshold()), m.integer(u.n())});
    }
    dq.put("untested", untested);
    if (data.get("testability") instanceof Map<?, ?> t) {
      dq.put("testability", testability((Map<String, Object>) t));
    }
    return dq;
  }

  /** What a coarser time bucket would make testable ({@code TestabilityAdvice}), in words. */
  private String testability(Map<String, Object> t) {
    if (t.get("coarser_time_bucket") == null) {
      return m.text("dq.testability_none", "untested", m.integer(num(t.get("untested"))),
          "inconclusive", m.integer(num(t.get("inconclusive"))),
          "without", m.integer(num(t.get("without_shared_cell"))), "bucket", str(t.get("time_bucket")));
    }
    return m.text("dq.testability", "untested", m.integer(num(t.get("untested"))),
        "inconclusive", m.integer(num(t.get("inconclusive"))),
        "without", m.integer(num(t.get("without_shared_cell"))), "bucket", str(t.get("time_bucket")),
        "coarser", str(t.get("coarser_time_bucket")),
        "testable", m.integer(num(t.get("untested_testable_at_coarser"))),
        "more", m.integer(num(t.get("inconclusive_with_more_customers"))));
  }

  void addReasons(List<String[]> out, String source, Map<String, Object> reasons) {
    reasons.forEach((code, n) -> out.add(new String[] {m.text("dq.source." + source), code,
        m.has("reason." + code) ? m.text("reason." + code) : "", m.integer(num(n))}));
  }

  /** A step of the manifest's {@code timings_s}, by its id, in the report's language. */
  String step(String id) {
    return m.has("repro.step." + id) ? m.text("repro.step." + id) : id;
  }

  /** Where the purchase history came from, in the report's language. */
  String purchasesSource(Object code, String label) {
    if (code == null) {
      return label; // a run written before the source was a code: the manifest's words
    }
    return m.text(switch (PurchasesSource.valueOf(code.toString())) {
      case PURCHASES_INPUT -> "dq.source.purchases_input";
      case PURCHASED_QUOTES -> "dq.source.purchased_quotes";
      case ORDERS_ONLY -> "dq.source.orders_only";
    });
  }

  /** Why comparisons were not tested ({@link UntestedReason}), in the report's language. */
  String untestedReason(String code, Integer threshold) {
    return switch (UntestedReason.ofCode(code)) {
      case FEWER_QUOTES -> m.text("dq.untested.quotes", "n", threshold);
      case FEWER_CUSTOMERS -> m.text("dq.untested.customers", "n", threshold);
      case NO_SHARED_CONTEXT -> m.text("dq.untested.no_overlap");
      case NO_STANDARD_ERROR -> m.text("dq.untested.no_df");
    };
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> reproducibility() {
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
        ? DisplayText.of(String.join(" ", l.stream().map(String::valueOf).toList()))
        : DisplayText.of(str(command))});
    rows.add(new String[] {m.text("repro.started"), str(manifest.get("started_at"))});
    rows.add(new String[] {m.text("repro.finished"), str(manifest.get("finished_at"))});
    rows.add(new String[] {m.text("repro.report_k"), Integer.toString(suppression.k())});
    r.put("rows", rows);
    List<String[]> inputs = new ArrayList<>();
    for (Map.Entry<String, Object> e : map(manifest.get("inputs")).entrySet()) {
      Map<String, Object> in = map(e.getValue());
      if (!in.isEmpty()) {
        inputs.add(new String[] {m.has("dq.source." + e.getKey()) ? m.text("dq.source." + e.getKey())
            : e.getKey(), DisplayText.of(str(in.get("path"))), str(in.get("format")),
            in.get("delta_version") == null ? "–" : str(in.get("delta_version")),
            m.integer(((List<Object>) in.getOrDefault("files", List.of())).size())});
      }
    }
    r.put("inputs", inputs);
    List<String[]> timings = new ArrayList<>();
    map(manifest.get("timings_s")).forEach((step, s) ->
        timings.add(new String[] {step(step), ctx.number(dbl(s))}));
    r.put("timings", timings);
    return r;
  }
}
