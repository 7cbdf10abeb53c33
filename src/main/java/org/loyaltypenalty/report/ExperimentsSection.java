package org.loyaltypenalty.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.loyaltypenalty.run.ExperimentReport;
import org.loyaltypenalty.text.DisplayText;

/**
 * The report's view of the price experiments (report data {@code experiments}, present only when
 * the quotes carry them): the headline (how many experiments failed their randomisation check),
 * and per experiment and tested attribute, its arms with their customers, the share of each
 * level among them and their price gap, and the test's outcome. An arm with fewer than k
 * distinct customers has its customers and shares suppressed (its price gap, a property of the
 * prices, is shown).
 */
final class ExperimentsSection {
  private final ReportContext ctx;
  private final Messages m;
  private final List<ExperimentReport> experiments;

  ExperimentsSection(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
    this.experiments = ctx.experiments;
  }

  boolean present() {
    return !experiments.isEmpty();
  }

  /** One line: how many experiments were checked and how many failed. */
  String headline() {
    long checked = experiments.stream().map(ExperimentReport::experimentId).distinct().count();
    long failed = experiments.stream().filter(ExperimentReport::flagged)
        .map(ExperimentReport::experimentId).distinct().count();
    return m.text("experiments.headline", "n", checked, "flagged", failed);
  }

  /** One section per experiment and tested attribute, by experiment, the cohort first. */
  List<Map<String, Object>> sections() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ExperimentReport e : experiments) {
      Map<String, Object> section = new LinkedHashMap<>();
      section.put("title", m.text("experiments.title", "experiment",
          DisplayText.of(e.experimentId()), "segment", segmentName(e.segment())));
      section.put("flagged", e.flagged());
      section.put("outcome", m.text("experiments.status." + e.status(),
          "chi2", e.chiSquare() == null ? "–" : String.format(java.util.Locale.ROOT, "%.2f",
              e.chiSquare()),
          "df", e.degreesOfFreedom() == null ? "–" : e.degreesOfFreedom(),
          "p", m.pValue(e.pValue()), "q", m.pValue(e.qValue())));
      section.put("gap", e.priceGapPct() == null ? m.text("experiments.gap_unknown")
          : m.text("experiments.gap", "compared", DisplayText.of(e.compared()),
              "reference", DisplayText.of(e.reference()), "pct", m.signedPct(e.priceGapPct()),
              "skus", e.skus()));
      List<String> levels = new ArrayList<>();
      for (String l : e.levels()) {
        levels.add(levelName(e.segment(), l));
      }
      section.put("levels", levels);
      List<Map<String, Object>> arms = new ArrayList<>();
      for (ExperimentReport.Arm a : e.arms()) {
        Map<String, Object> arm = new LinkedHashMap<>();
        boolean hidden = ctx.suppression.suppresses(a.customers());
        arm.put("arm", DisplayText.of(a.arm()));
        arm.put("suppressed", hidden);
        arm.put("customers", hidden ? m.text("value.suppressed") : m.integer(a.customers()));
        List<String> shares = new ArrayList<>();
        for (String l : e.levels()) {
          Double share = a.shares() == null ? null : a.shares().get(l);
          shares.add(hidden ? m.text("value.suppressed")
              : m.pct(share == null ? null : share * 100, 1));
        }
        arm.put("shares", shares);
        arm.put("gap", m.signedPct(a.priceGapPct()));
        arms.add(arm);
      }
      section.put("arms", arms);
      out.add(section);
    }
    return out;
  }

  /** report.json's {@code experiments}: the report data's, arms below k suppressed. */
  List<Map<String, Object>> json(List<Map<String, Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Map<String, Object> c = new LinkedHashMap<>(r);
      List<Map<String, Object>> arms = new ArrayList<>();
      for (Map<String, Object> a : Values.list(r.get("arms"))) {
        Map<String, Object> arm = new LinkedHashMap<>(a);
        boolean hidden = ctx.suppression.suppresses(a.get("customers"));
        arm.put("suppressed", hidden);
        if (hidden) {
          arm.put("customers", null);
          arm.put("shares", null);
        }
        arms.add(arm);
      }
      c.put("arms", arms);
      out.add(c);
    }
    return out;
  }

  private String segmentName(String segment) {
    return m.has("segments.name." + segment) ? m.text("segments.name." + segment)
        : DisplayText.of(segment);
  }

  private String levelName(String segment, String level) {
    String key = "cohort.short." + level;
    return segment.equals("cohort") && m.has(key) ? m.text(key) : DisplayText.of(level);
  }
}
