package org.loyaltypenalty.report;

import static org.loyaltypenalty.report.Values.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.loyaltypenalty.run.NightlyReport;
import org.loyaltypenalty.text.DisplayText;

/**
 * The nightly lists of a scheduled run's report (in section 3): each kind of penalty change
 * tonight, a row per SKU comparison or roll-up with tonight's and the previous night's penalty
 * (withheld below k customers), the streak and the nights flagged.
 */
final class NightlySection {
  private final ReportContext ctx;
  private final Messages m;
  private final Suppression suppression;

  NightlySection(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
    this.suppression = ctx.suppression;
  }

  /**
   * A nightly row's comparison: the cohort's in words, a segment's as its name and the
   * comparison's code ({@code membership tier: diamond_vs_none}).
   */
  private String comparisonLabel(NightlyReport.Penalty r) {
    String segment = str(r.segment());
    if (segment.isEmpty() || segment.equals("cohort")) {
      return m.text("comparison." + r.comparison());
    }
    return m.text("segments.comparison_named", "segment", ctx.segmentName(segment),
        "comparison", DisplayText.of(str(r.comparison())));
  }

  /** The section's lists, or null when the run was not a nightly one. */
  Map<String, Object> lists(NightlyReport nightly) {
    if (!nightly.present()) {
      return null;
    }
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("title", m.text("findings.nightly", "date", nightly.date()));
    n.put("intro", m.text("findings.nightly_intro", "runs", nightly.persistenceRuns()));
    List<Map<String, Object>> lists = new ArrayList<>();
    for (NightlyReport.PenaltyList list : nightly.lists()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (NightlyReport.Penalty r : list.rows()) {
        boolean hidden = suppression.suppresses(r.customersMin());
        boolean hiddenBefore = suppression.suppresses(r.customersMinPrevious());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("level", m.text("level." + r.level()));
        // a price experiment has no SKU of its own: its id stands in the SKU's column
        row.put("sku", str(r.experimentId()).isEmpty() ? DisplayText.of(str(r.skuId()))
            : m.text("findings.nightly.experiment", "experiment",
                DisplayText.of(r.experimentId())));
        // rows written before outcomes are the unit price's
        row.put("outcome", m.text("paid.outcome."
            + (str(r.outcome()).isEmpty() ? "price" : r.outcome())));
        row.put("merchant", str(r.merchantId()).isEmpty()
            ? m.text("value.platform") : DisplayText.of(r.merchantId()));
        row.put("currency", DisplayText.of(str(r.currency())));
        row.put("comparison", comparisonLabel(r));
        row.put("tonight", r.penaltyPct() == null ? "–"
            : hidden ? m.text("value.suppressed") : m.signedPct(r.penaltyPct()));
        row.put("previous", r.penaltyPctPrevious() == null ? "–"
            : hiddenBefore ? m.text("value.suppressed") : m.signedPct(r.penaltyPctPrevious()));
        row.put("streak", m.integer(r.streak()));
        row.put("nights", m.integer(r.nightsFlagged()));
        row.put("first", str(r.firstFlagged()));
        row.put("last", str(r.lastFlagged()));
        rows.add(row);
      }
      String title = m.text("findings.nightly." + list.kind().code());
      if (list.total() != null && list.total() > rows.size()) {
        title += " " + m.text("findings.nightly.showing", "shown", rows.size(), "total",
            list.total());
      }
      lists.add(Map.of("title", title, "rows", rows));
    }
    n.put("lists", lists);
    return n;
  }
}
