package org.loyaltypenalty.report;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.loyaltypenalty.config.ConfigKey;
import org.loyaltypenalty.io.RunLayout;
import org.loyaltypenalty.run.JsonObject;
import org.loyaltypenalty.run.NightlyReport;
import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunFigures;
import org.loyaltypenalty.run.RunResults;

/**
 * {@code report.json}: the machine-readable summary of one report, suppressed values nulled.
 */
final class ReportJson {
  private final ReportContext ctx;
  private final Messages m;
  private final Suppression suppression;
  private final Map<String, Object> manifest;
  private static final ObjectMapper JSON_MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  ReportJson(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
    this.suppression = ctx.suppression;
    this.manifest = ctx.manifest;
  }

  @SuppressWarnings("unchecked")
  /** report.json of the report whose template model is {@code model}. */
  String json(Map<String, Object> model) {
    RunCounts counts = ctx.counts;
    RunResults results = ctx.results;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run_id", ctx.report.runId());
    out.put("language", m.languageTag());
    out.put("suppression_k", suppression.k());
    out.put("period", ctx.period);
    out.put("audited", JsonObject.of("quotes_read", counts.quotesRead(),
        "quotes_valid", counts.quotesValid(), "quotes_quarantined", counts.quotesQuarantined(),
        "quotes_analysed", counts.quotesAnalysed(),
        "quotes_cohort_censored", counts.quotesCohortCensored(),
        "customers_analysed", counts.customersAnalysed(),
        "sku_currency_pairs", counts.skuCurrencyPairs(), "merchants", counts.merchants()));
    Map<String, Object> headline = JsonObject.of("sku_comparisons", results.skuComparisons(),
        "sku_comparisons_tested", results.skuComparisonsTested(),
        "sku_comparisons_flagged", results.skuComparisonsFlagged(),
        "skus_flagged", results.skusFlagged(),
        "merchant_rollups_flagged", results.merchantRollupsFlagged());
    RunFigures.Affected affected = ctx.figures.affected();
    boolean affectedHidden = affected == null || suppression.suppresses(affected.customers());
    headline.put("quotes_affected", affectedHidden ? null : affected.quotes());
    headline.put("customers_affected", affectedHidden ? null : affected.customers());
    List<Map<String, Object>> overcharge = new ArrayList<>();
    for (Map<String, Object> o : (List<Map<String, Object>>) model.get("overcharge")) {
      Map<String, Object> c = new LinkedHashMap<>(o);
      c.remove("text");
      c.put("confidence", Double.parseDouble(ctx.setting(ConfigKey.CONFIDENCE)));
      overcharge.add(c);
    }
    headline.put("overcharge", overcharge);
    out.put("headline", headline);
    out.put("flagged", publishable(asMaps(ctx.flagged)));
    out.put("merchants", publishable(asMaps(ctx.merchants)));
    if (!ctx.segments.isEmpty()) {
      out.put("segments", segments(asMaps(ctx.segments)));
    }
    if (ctx.disclosedOffers != null) {
      Map<String, Object> offers = new LinkedHashMap<>(JSON_MAPPER.convertValue(
          ctx.disclosedOffers, new TypeReference<LinkedHashMap<String, Object>>() {}));
      List<Map<String, Object>> comparisons = publishable(asMaps(ctx.reestimated));
      for (Map<String, Object> c : comparisons) {
        if (Boolean.TRUE.equals(c.get("suppressed"))) {
          for (String key : List.of("penalty_pct_without_disclosed",
              "ci_low_pct_without_disclosed", "ci_high_pct_without_disclosed",
              "p_value_without_disclosed")) {
            c.put(key, null);
          }
        }
      }
      offers.put("comparisons", comparisons);
      out.put("disclosed_offers", offers);
    }
    if (ctx.paid != null) {
      out.put("paid", paid(asMaps(ctx.paid)));
    }
    if (ctx.nightly.present()) {
      out.put("nightly", nightly(ctx.nightly));
    }
    out.put("family_filter", results.familyFilter());
    out.put("placebo", results.placebo());
    List<Map<String, Object>> legal = new ArrayList<>();
    for (Map<String, Object> l : (List<Map<String, Object>>) model.get("legal")) {
      legal.add(JsonObject.of("kind", l.get("code"), "findings", l.get("n"), "standards", l.get("codes")));
    }
    out.put("legal_mapping", legal);
    Map<String, Object> dq = new LinkedHashMap<>();
    dq.put("quarantine_reasons", counts.quarantineReasons());
    dq.put("purchase_quarantine_reasons", counts.purchaseQuarantineReasons());
    dq.put("coverage", ctx.figures.coverage());
    dq.put("untested", ctx.untested);
    dq.put("testability", ctx.testability);
    out.put("data_quality", dq);
    Map<String, Object> repro = new LinkedHashMap<>();
    for (String c : List.of("run_id", "code_version", "runtime", "config_sha256", "command_line",
        "started_at", "finished_at", "inputs", "timings_s")) {
      repro.put(c, manifest.get(c));
    }
    if (manifest.get("beside_s") != null) { // none in a run written before steps ran beside
      repro.put("beside_s", manifest.get("beside_s"));
    }
    out.put("reproducibility", repro);
    if (ctx.processing != null) {
      out.put("processing", ctx.processing);
    }
    out.put("evidence_annex", JsonObject.of("file", RunLayout.ANNEX,
        "rows", ctx.annexRows));
    if (!ctx.experiments.isEmpty()) {
      out.put("experiments", new ExperimentsSection(ctx).json(asMaps(ctx.experiments)));
    }
    PairsSection pairs = new PairsSection(ctx);
    if (pairs.present()) {
      out.put("matched_pairs", pairs.json());
    }
    if (ctx.signOff.present()) {
      out.put("sign_off", JsonObject.of("organisation", ctx.signOff.organisation(),
          "auditor", ctx.signOff.auditor(), "statement", ctx.signOff.statement()));
    }
    try {
      return JSON_MAPPER.writeValueAsString(out) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What the customer paid: the flagged money comparisons, their values and parts nulled below
   * k and marked.
   */
  private List<Map<String, Object>> paid(List<Map<String, Object>> rows) {
    return marked(rows, List.of("penalty_pct", "ci_low_pct", "ci_high_pct", "q_value", "gap",
        "reference_mean", "customers_reference", "customers_compared", "part_list",
        "part_discount", "part_price", "part_fee", "part_coupon"), c -> { });
  }

  /**
   * A night's penalty lists: each list's code ({@code new_tonight}, {@code resolved_tonight},
   * {@code explained_tonight}, ...), its title in the report's language, how many there are and
   * the rows listed, tonight's and the previous run's estimate each nulled and marked
   * ({@code suppressed}, {@code suppressed_previous}) when its smaller group has fewer than k
   * customers.
   */
  private Map<String, Object> nightly(NightlyReport night) {
    List<Map<String, Object>> lists = new ArrayList<>();
    for (NightlyReport.PenaltyList list : night.lists()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map<String, Object> r : asMaps(list.rows())) {
        if (r.get("penalty_pct") != null && suppression.suppresses(r.get("customers_min"))) {
          r.put("penalty_pct", null);
          r.put("suppressed", true);
        }
        if (r.get("penalty_pct_previous") != null
            && suppression.suppresses(r.get("customers_min_previous"))) {
          r.put("penalty_pct_previous", null);
          r.put("suppressed_previous", true);
        }
        rows.add(r);
      }
      lists.add(JsonObject.of("kind", list.kind().code(),
          "title", m.text("findings.nightly." + list.kind().code()),
          "total", list.total(), "rows", rows));
    }
    return JsonObject.of("date", night.date(), "persistence_runs", night.persistenceRuns(),
        "untested_tonight_total", night.untestedTonightTotal(), "lists", lists);
  }

  /** The segments' sections, with the levels' customers and the flags suppressed below k. */
  private List<Map<String, Object>> segments(List<Map<String, Object>> segments) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> s : segments) {
      Map<String, Object> c = new LinkedHashMap<>(s);
      List<Map<String, Object>> levels = new ArrayList<>();
      for (Map<String, Object> l : Values.list(s.get("levels"))) {
        Map<String, Object> level = new LinkedHashMap<>(l);
        if (suppression.suppresses(l.get("customers"))) {
          level.put("customers", null);
          level.put("suppressed", true);
        }
        levels.add(level);
      }
      c.put("levels", levels);
      List<Map<String, Object>> flagged = publishable(Values.list(s.get("flagged")));
      for (Map<String, Object> f : flagged) {
        if (Boolean.TRUE.equals(f.get("suppressed"))) {
          for (String key : List.of("adjusted_penalty_pct", "adjusted_ci_low_pct",
              "adjusted_ci_high_pct", "attribution", "held_by")) {
            f.put(key, null);
          }
        }
      }
      c.put("flagged", flagged);
      out.add(c);
    }
    return out;
  }

  /** Report data records as the JSON objects they are written as, keys in their order. */
  private static List<Map<String, Object>> asMaps(List<?> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object r : rows) {
      out.add(JSON_MAPPER.convertValue(r, new TypeReference<LinkedHashMap<String, Object>>() {}));
    }
    return out;
  }

  List<Map<String, Object>> publishable(List<Map<String, Object>> rows) {
    return marked(rows, List.of("penalty_pct", "ci_low_pct", "ci_high_pct", "p_value", "q_value",
        "customers_reference", "customers_compared", "n_reference", "n_compared",
        "cells_with_both", "context", "mde_pct", "upper_bound_pct"),
        c -> c.put("evidence_strength", ReportContext.strength(c)));
  }

  /**
   * Copies of {@code rows}, each marked {@code suppressed} when it compares fewer than k
   * customers on a side, and then with its {@code hidden} values null; {@code shown} adds to
   * each row that is published.
   */
  private List<Map<String, Object>> marked(List<Map<String, Object>> rows, List<String> hidden,
      java.util.function.Consumer<Map<String, Object>> shown) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Map<String, Object> c = new LinkedHashMap<>(r);
      boolean suppressed = ctx.suppressed(r);
      c.put("suppressed", suppressed);
      if (suppressed) {
        hidden.forEach(key -> c.put(key, null));
      } else {
        shown.accept(c);
      }
      out.add(c);
    }
    return out;
  }
}
