package org.loyaltypenalty.report;

import static org.loyaltypenalty.report.Values.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.loyaltypenalty.config.ConfigKey;
import org.loyaltypenalty.run.DisclosedOffers;
import org.loyaltypenalty.run.FindingRow;
import org.loyaltypenalty.run.ReestimatedFinding;
import org.loyaltypenalty.run.MerchantFinding;
import org.loyaltypenalty.run.RunFigures;
import org.loyaltypenalty.sku.SkuPass;
import org.loyaltypenalty.stats.Inference;
import org.loyaltypenalty.text.DisplayText;

/**
 * Sections 1 to 3 of the report, in words and charts: the overcharge, the flagged rows and
 * merchants, the figures, and where the gap comes from (the nightly lists:
 * {@link NightlySection}).
 */
final class FindingsSection {
  /** Values listed per context column in "where it holds". */
  private static final int MAX_VALUES = 8;
  private final ReportContext ctx;
  private final Messages m;
  private final Suppression suppression;
  private final double z;

  FindingsSection(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
    this.suppression = ctx.suppression;
    this.z = ctx.z;
  }

  /** Comparison, estimate, interval and q of a findings row, or "suppressed"; true if hidden. */
  boolean putEstimate(Map<String, Object> row, FindingRow r) {
    row.put("comparison", m.text("comparison." + r.comparison()));
    boolean hidden = ctx.suppressed(r);
    row.put("suppressed", hidden);
    row.put("penalty", hidden ? m.text("value.suppressed") : m.signedPct(r.penaltyPct()));
    row.put("ci", hidden ? "" : ctx.interval(r));
    // a discount's q is the penalty test's: it says nothing about the discount
    row.put("q", hidden ? "" : "discount".equals(r.status())
        ? m.text("value.no_penalty_q") : m.pValue(r.qValue()));
    return hidden;
  }

  Map<String, Object> merchantRow(MerchantFinding merchantRow) {
    FindingRow r = merchantRow.row();
    Map<String, Object> row = new LinkedHashMap<>();
    String merchant = r.merchantId();
    row.put("merchant", merchant == null ? m.text("value.platform") : DisplayText.of(merchant));
    boolean hidden = putEstimate(row, r);
    row.put("status", m.text("status." + r.status()));
    row.put("pooled", hidden ? "" : pooled(merchantRow));
    row.put("flagged", "penalty".equals(r.status()));
    return row;
  }

  Map<String, Object> skuRow(FindingRow r, List<RunFigures.Holds> holds) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("sku", DisplayText.of(str(r.skuId())));
    row.put("merchant", DisplayText.of(str(r.merchantId())));
    row.put("currency", DisplayText.of(str(r.currency())));
    boolean hidden = putEstimate(row, r);
    row.put("quotes", hidden ? m.text("value.suppressed")
        : m.text("value.pair", "a", m.integer(r.nReference()),
            "b", m.integer(r.nCompared())));
    row.put("customers", hidden ? m.text("value.suppressed")
        : m.text("value.pair", "a", m.integer(r.customersReference()),
            "b", m.integer(r.customersCompared())));
    row.put("cells", hidden ? "" : m.integer(r.cellsWithBoth()));
    row.put("strength", hidden ? "" : m.text("legal.strength." + ReportContext.strength(r)));
    List<Map<String, Object>> held = new ArrayList<>();
    String compared = ReportContext.compared(r);
    Map<String, Integer> perDimension = new java.util.HashMap<>();
    Map<String, List<String>> byDimension = new java.util.TreeMap<>();
    for (RunFigures.Holds c : holds) {
      if (!Objects.equals(c.skuId(), r.skuId()) || !Objects.equals(c.currency(), r.currency())
          || !compared.equals(c.cohort())) {
        continue;
      }
      RunFigures.Holds reference = null;
      for (RunFigures.Holds n : holds) {
        if (Objects.equals(n.skuId(), c.skuId()) && Objects.equals(n.currency(), c.currency())
            && Objects.equals(n.dimension(), c.dimension())
            && Objects.equals(n.value(), c.value()) && "new".equals(n.cohort())) {
          reference = n;
        }
      }
      String dimension = str(c.dimension());
      if (reference == null || perDimension.merge(dimension, 1, Integer::sum) > MAX_VALUES) {
        continue;
      }
      boolean cellHidden = suppression.suppresses(c.customers(), reference.customers());
      String gap = cellHidden ? m.text("value.suppressed")
          : m.signedPct(Inference.percent(c.meanLog() - reference.meanLog()));
      byDimension.computeIfAbsent(dimension, x -> new ArrayList<>())
          .add(m.text("findings.holds_value", "value", DisplayText.of(str(c.value())), "gap", gap));
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

  /**
   * The check of disclosed offers: what it did, and each flagged comparison it estimated again,
   * with both estimates and the outcome; null when the run disclosed no offer.
   */
  Map<String, Object> disclosed() {
    DisclosedOffers d = ctx.disclosedOffers;
    if (d == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("intro", m.text("findings.disclosed_intro", "quotes", d.quotesWithDisclosedOffer(),
        "with_offer", d.quotesWithOffer(), "offers",
        DisplayText.of(String.join(", ", d.offersDisclosed()))));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ReestimatedFinding e : ctx.reestimated) {
      FindingRow r = e.row();
      Map<String, Object> row = new LinkedHashMap<>();
      // a roll-up is named by its merchant (null: the platform), a SKU by its id and currency
      row.put("label", "merchant".equals(e.level())
          ? m.text("value.merchant_rollup", "merchant", r.merchantId() == null
              ? m.text("value.platform") : DisplayText.of(r.merchantId()))
          : m.text("value.sku_currency", "sku", DisplayText.of(str(r.skuId())),
              "currency", DisplayText.of(str(r.currency()))));
      row.put("comparison", m.text("comparison." + r.comparison()));
      boolean hidden = ctx.suppressed(r);
      row.put("suppressed", hidden);
      row.put("with", hidden ? m.text("value.suppressed")
          : m.signedPct(r.penaltyPct()) + " " + ctx.interval(r));
      row.put("without", hidden ? m.text("value.suppressed")
          : e.penaltyPctWithoutDisclosed() == null ? m.text("value.not_testable")
          : m.signedPct(e.penaltyPctWithoutDisclosed()) + " "
              + ctx.interval(e.ciLowPctWithoutDisclosed(), e.ciHighPctWithoutDisclosed()));
      row.put("p", hidden ? "" : m.pValue(e.pValueWithoutDisclosed()));
      row.put("outcome", m.text("status." + r.status()));
      rows.add(row);
    }
    out.put("rows", rows);
    if (rows.isEmpty()) {
      out.put("none", m.text("findings.disclosed_none"));
    }
    return out;
  }

  List<Map<String, Object>> overcharge(RunFigures figures) {
    List<Judgements.Overcharge> published = new ArrayList<>();
    for (RunFigures.Overcharge o : figures.overcharge()) {
      if (!ctx.suppressed(o.customersReference(), o.customersCompared())) {
        published.add(new Judgements.Overcharge(str(o.skuId()), str(o.currency()),
            o.overcharge(), o.overchargeSe()));
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Judgements.Total t : Judgements.overchargeByCurrency(published, z)) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("currency", t.currency());
      row.put("amount", t.amount());
      row.put("low", t.low());
      row.put("high", t.high());
      row.put("n", t.comparisons());
      row.put("text", m.text("summary.overcharge_row", "amount", m.money(t.amount(), t.currency()),
          "low", m.money(t.low(), t.currency()), "high", m.money(t.high(), t.currency()),
          "n", t.comparisons()));
      out.add(row);
    }
    return out;
  }

  Map<String, Object> forest(List<FindingRow> flagged) {
    List<Charts.ForestRow> rows = new ArrayList<>();
    for (FindingRow r : flagged) {
      if (!ctx.suppressed(r) && rows.size() < 60) {
        rows.add(new Charts.ForestRow(ctx.chartLabel(r), str(r.comparison()),
            r.penaltyPct(), r.ciLowPct(), r.ciHighPct()));
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
        Double.parseDouble(ctx.setting(ConfigKey.MATERIALITY_PCT))));
    f.put("caption", m.text("findings.forest_caption", "n", ctx.nextFigure(), "level", ctx.levelPct(),
        "materiality", ctx.setting(ConfigKey.MATERIALITY_PCT)));
    return f;
  }

  List<Map<String, Object>> perSku(RunFigures figures) {
    List<Map<String, Object>> out = new ArrayList<>();
    int i = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (RunFigures.FigureSku key : figures.figureSkus()) {
      String sku = str(key.skuId());
      String currency = str(key.currency());
      if (!seen.add(sku + "\u0000" + currency)) {
        continue; // both comparisons of one SKU share its figures
      }
      i++;
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("title", m.text("value.sku_currency", "sku", DisplayText.of(sku),
          "currency", DisplayText.of(currency)));
      List<Charts.Box> boxes = new ArrayList<>();
      java.util.Set<String> untested = untestedCohorts(figures, sku, currency);
      for (RunFigures.Distribution d : figures.distributions()) {
        if (sku.equals(str(d.skuId())) && currency.equals(str(d.currency()))
            && !suppression.suppresses(d.customers())) {
          String cohortName = m.text("cohort.short." + d.cohort());
          boxes.add(new Charts.Box(untested.contains(str(d.cohort()))
              ? m.text("findings.untested_cohort", "cohort", cohortName) : cohortName,
              str(d.cohort()), d.p05Pct(), d.p25Pct(), d.medianPct(), d.p75Pct(), d.p95Pct(),
              d.meanPct()));
        }
      }
      boxes.sort(java.util.Comparator.comparingInt(b -> List.of("new", "repeat", "loyal").indexOf(b.cohort())));
      if (boxes.size() >= 2) {
        f.put("distribution", Charts.distribution("fig-dist-" + i, boxes,
            m.text("findings.distribution_axis")));
        String caption = m.text("findings.distribution_caption", "n", ctx.nextFigure(),
            "sku", sku, "currency", currency);
        List<String> notTested = boxes.stream().map(Charts.Box::cohort)
            .filter(untested::contains).map(c -> m.text("cohort.short." + c)).toList();
        f.put("distributionCaption", notTested.isEmpty() ? caption : caption + " "
            + m.text("findings.distribution_untested", "cohorts",
                String.join(m.text("findings.holds_separator"), notTested)));
      }
      List<Charts.TenurePoint> points = new ArrayList<>();
      int withheld = 0;
      for (RunFigures.Tenure t : figures.tenure()) {
        if (!sku.equals(str(t.skuId())) || !currency.equals(str(t.currency()))) {
          continue;
        }
        if (suppression.suppresses(t.customers())) {
          withheld++;
        } else if (t.sdLog() != null) {
          double mean = t.meanLog();
          double half = z * t.sdLog() / Math.sqrt(t.customers().doubleValue());
          points.add(new Charts.TenurePoint(t.priorPurchases(),
              Inference.percent(mean), Inference.percent(mean - half),
              Inference.percent(mean + half)));
        }
      }
      if (points.size() >= 2) {
        f.put("tenure", Charts.tenure("fig-tenure-" + i, points, m.text("findings.tenure_series"),
            m.text("findings.tenure_axis_x", "cap", SkuPass.TENURE_CAP),
            m.text("findings.tenure_axis_y")));
        String caption = m.text("findings.tenure_caption", "n", ctx.nextFigure(),
            "sku", sku, "currency", currency, "level", ctx.levelPct());
        f.put("tenureCaption", withheld == 0 ? caption : caption + " "
            + m.text("findings.tenure_withheld", "n", withheld, "k", suppression.k()));
        f.put("walking", Judgements.priceWalking(points));
      }
      if (!f.containsKey("distribution") && !f.containsKey("tenure")) {
        f.put("withheld", m.text("findings.figure_suppressed", "k", suppression.k()));
      }
      out.add(f);
    }
    return out;
  }

  Map<String, Object> gap(RunFigures figures, List<FindingRow> flagged) {
    Map<String, Object> g = new LinkedHashMap<>();
    if (ctx.paid != null) {
      g.put("paid", paid());
    }
    List<RunFigures.ListVsDiscount> split = figures.listVsDiscount();
    if (split.isEmpty()) {
      g.put("note", flagged.isEmpty() ? m.text("gap.none_flagged") : m.text("gap.none"));
      return g;
    }
    List<Charts.GapSplit> bars = new ArrayList<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RunFigures.ListVsDiscount s : split) {
      boolean hidden = ctx.suppressed(s.customersReference(), s.customersCompared());
      String label = ctx.chartLabel(s.skuId(), s.currency(), s.comparison());
      double list = 100 * s.listGapLog();
      double discount = 100 * s.discountGapLog();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("label", label);
      row.put("list", hidden ? m.text("value.suppressed") : ctx.number(list));
      row.put("discount", hidden ? m.text("value.suppressed") : ctx.number(discount));
      row.put("total", hidden ? m.text("value.suppressed") : ctx.number(list + discount));
      rows.add(row);
      if (!hidden) {
        bars.add(new Charts.GapSplit(label, list, discount));
      }
    }
    g.put("rows", rows);
    if (!bars.isEmpty()) {
      g.put("svg", Charts.gapSplit("fig-gap", bars, m.text("col.list_gap"),
          m.text("col.discount_gap"), m.text("gap.axis")));
      g.put("caption", m.text("gap.caption", "n", ctx.nextFigure()));
    }
    return g;
  }

  /**
   * What the customer paid: each flagged comparison of the total, the fee or the coupon, the
   * loyalty cohort's and each segment's, with the unit price's status beside it and, for the total, its parts (list price, personalised
   * discount or the price, coupon, fee) per unit, which add up to the gap.
   */
  private Map<String, Object> paid() {
    Map<String, Object> p = new LinkedHashMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (org.loyaltypenalty.run.PaidGap r : ctx.paid) {
      boolean hidden = ctx.suppressed(r.customersReference(), r.customersCompared());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("label", r.cohort() ? ctx.chartLabel(r.skuId(), r.currency(), r.comparison())
          : ctx.segmentLabel(r.skuId(), r.currency(), r.segment(), r.compared(),
              r.reference()));
      row.put("outcome", m.text("paid.outcome." + r.outcome()));
      row.put("price_status", r.priceStatus() == null ? "–"
          : m.text("status." + r.priceStatus()));
      String none = m.text("value.suppressed");
      row.put("gap", hidden ? none : ctx.number(r.gap()));
      row.put("pct", hidden ? none : m.signedPct(r.penaltyPct()));
      row.put("list", hidden ? none : ctx.number(r.partList()));
      row.put("discount", hidden ? none : ctx.number(r.partDiscount()));
      row.put("price", hidden ? none : ctx.number(r.partPrice()));
      row.put("coupon", hidden ? none : ctx.number(r.partCoupon()));
      row.put("fee", hidden ? none : ctx.number(r.partFee()));
      rows.add(row);
    }
    if (rows.isEmpty()) {
      p.put("note", m.text("paid.none"));
    } else {
      p.put("rows", rows);
    }
    return p;
  }

  /** The cohorts of a figure SKU whose comparison with new customers was not tested. */
  private static java.util.Set<String> untestedCohorts(RunFigures figures, String sku,
      String currency) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (RunFigures.SkuCohort u : figures.untestedCohorts()) {
      if (sku.equals(str(u.skuId())) && currency.equals(str(u.currency()))) {
        out.add(str(u.cohort()));
      }
    }
    return out;
  }

  /**
   * What to ask next, for each flagged merchant row: its flagged SKUs of the same comparison and
   * the records that would test the evidence further. Worded as requests, not a verdict.
   */
  List<String> askNext(List<MerchantFinding> merchants, List<FindingRow> flagged) {
    List<String> out = new ArrayList<>();
    for (MerchantFinding merchantRow : merchants) {
      FindingRow r = merchantRow.row();
      if (!"penalty".equals(r.status()) || ctx.suppressed(r)) {
        continue;
      }
      String merchant = r.merchantId();
      String name = merchant == null ? m.text("value.platform") : DisplayText.of(merchant);
      String comparison = m.text("comparison." + r.comparison());
      List<String> skus = flagged.stream()
          .filter(f -> java.util.Objects.equals(f.merchantId(), merchant)
              && java.util.Objects.equals(f.comparison(), r.comparison())
              && !ctx.suppressed(f))
          .map(f -> m.text("value.sku_currency", "sku", DisplayText.of(str(f.skuId())),
              "currency", DisplayText.of(str(f.currency()))))
          .toList();
      out.add(skus.isEmpty()
          ? m.text("findings.ask_none", "merchant", name, "comparison", comparison)
          : m.text("findings.ask_merchant", "merchant", name, "comparison", comparison,
              "skus", String.join(m.text("findings.holds_separator"), skus)));
    }
    return out;
  }

  /** What a merchant row pools: tested SKUs and the spread between them, in words. */
  String pooled(MerchantFinding r) {
    Integer skus = r.skusPooled();
    return skus == null ? "" : m.text("findings.pooled", "n", skus.longValue(),
        "tau", ctx.number(r.tau() * 100));
  }
}
