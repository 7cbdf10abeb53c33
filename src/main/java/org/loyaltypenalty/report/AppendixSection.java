package org.loyaltypenalty.report;

import static org.loyaltypenalty.report.Values.dbl;
import static org.loyaltypenalty.report.Values.map;
import static org.loyaltypenalty.report.Values.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.loyaltypenalty.cohort.PurchasesSource;
import org.loyaltypenalty.run.FindingRow;
import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunFigures;
import org.loyaltypenalty.run.SegmentReport;
import org.loyaltypenalty.run.TestabilityAdvice;
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
  private final Map<String, Object> manifest;

  AppendixSection(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
    this.suppression = ctx.suppression;
    this.manifest = ctx.manifest;
  }

  List<Map<String, Object>> legal(List<FindingRow> flagged, RunFigures figures,
      List<Map<String, Object>> perSku) {
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
          n = figures.listVsDiscount().stream()
              .filter(s -> !ctx.suppressed(s.customersReference(), s.customersCompared())
                  && Judgements.discountDriven(s.listGapLog(), s.discountGapLog())).count();
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

  Map<String, Object> dataQuality(RunFigures figures) {
    RunCounts counts = ctx.counts;
    Map<String, Object> dq = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    lines.add(m.text("dq.quotes", "read", m.integer(counts.quotesRead()),
        "valid", m.integer(counts.quotesValid()),
        "quarantined", m.integer(counts.quotesQuarantined())));
    if (counts.purchasesRead() > 0) {
      lines.add(m.text("dq.purchases", "read", m.integer(counts.purchasesRead()),
          "valid", m.integer(counts.purchasesValid()),
          "quarantined", m.integer(counts.purchasesQuarantined()),
          "source", purchasesSource(ctx.purchasesSource, str(counts.purchasesSourceLabel()))));
    }
    counts.customers().ifPresent(c -> lines.add(m.text("dq.customers",
        "read", m.integer(c.read()), "valid", m.integer(c.valid()),
        "quarantined", m.integer(c.quarantined()))));
    lines.add(m.text("dq.censored", "n", m.integer(counts.quotesCohortCensored())));
    // a quote whose level in a segment is unknown is left out of that segment only
    for (SegmentReport segment : ctx.segments) {
      if (segment.unknownQuotes() > 0) {
        String name = segment.segment();
        lines.add(m.text("dq.segment_unknown", "n", m.integer(segment.unknownQuotes()),
            "segment", m.has("segments.name." + name) ? m.text("segments.name." + name) : name));
      }
    }
    RunFigures.Coverage coverage = figures.coverage();
    if (coverage != null && coverage.analysed() != null && coverage.analysed() > 0) {
      double share = coverage.covered().doubleValue() / coverage.analysed().doubleValue();
      lines.add(m.text("dq.coverage", "share", m.pct(share * 100, 1),
          "covered", m.integer(coverage.covered()),
          "analysed", m.integer(coverage.analysed())));
    }
    dq.put("lines", lines);
    List<String[]> reasons = new ArrayList<>();
    addReasons(reasons, "quotes", counts.quarantineReasons());
    addReasons(reasons, "purchases", counts.purchaseQuarantineReasons());
    addReasons(reasons, "customers", counts.customerQuarantineReasons());
    dq.put("reasons", reasons);
    List<String[]> untested = new ArrayList<>();
    for (UntestedCount u : ctx.untested) {
      // a run written before the reasons were codes recorded them in English ("why")
      untested.add(new String[] {u.reason() == null ? str(u.why())
          : untestedReason(u.reason(), u.threshold()), m.integer(u.n())});
    }
    dq.put("untested", untested);
    if (ctx.testability != null) {
      dq.put("testability", testability(ctx.testability));
    }
    return dq;
  }

  /** What a coarser time bucket would make testable ({@link TestabilityAdvice}), in words. */
  private String testability(TestabilityAdvice t) {
    if (t.coarserTimeBucket() == null) {
      return m.text("dq.testability_none", "untested", m.integer(t.untested()),
          "inconclusive", m.integer(t.inconclusive()),
          "without", m.integer(t.withoutSharedCell()), "bucket", str(t.timeBucket()));
    }
    return m.text("dq.testability", "untested", m.integer(t.untested()),
        "inconclusive", m.integer(t.inconclusive()),
        "without", m.integer(t.withoutSharedCell()), "bucket", str(t.timeBucket()),
        "coarser", str(t.coarserTimeBucket()),
        "testable", m.integer(t.untestedTestableAtCoarser()),
        "more", m.integer(t.inconclusiveWithMoreCustomers()));
  }

  /** Rows per quarantine reason of one input (none when {@code reasons} is null). */
  void addReasons(List<String[]> out, String source, Map<String, Long> reasons) {
    if (reasons != null) {
      reasons.forEach((code, n) -> out.add(new String[] {m.text("dq.source." + source), code,
          m.has("reason." + code) ? m.text("reason." + code) : "", m.integer(n)}));
    }
  }

  /** A step of the manifest's {@code timings_s}, by its id, in the report's language. */
  String step(String id) {
    return m.has("repro.step." + id) ? m.text("repro.step." + id) : id;
  }

  /** Where the purchase history came from, in the report's language. */
  String purchasesSource(PurchasesSource code, String label) {
    if (code == null) {
      return label; // a run written before the source was a code: the manifest's words
    }
    return m.text(switch (code) {
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
    // a run written before steps ran beside the main line has no beside_s
    map(manifest.get("beside_s")).forEach((step, s) -> timings.add(new String[] {
        m.text("repro.step.beside", "step", step(step)), ctx.number(dbl(s))}));
    r.put("timings", timings);
    return r;
  }
}
