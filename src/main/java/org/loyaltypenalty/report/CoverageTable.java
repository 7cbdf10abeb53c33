package org.loyaltypenalty.report;

import static org.loyaltypenalty.report.Values.dbl;
import static org.loyaltypenalty.report.Values.num;
import static org.loyaltypenalty.report.Values.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Coverage by outcome as table rows: for each outcome (flagged, ruled out, inconclusive,
 * untested), the compared groups' quotes and what they paid per currency, each with its share.
 * Used by the summary (the loyalty cohort) and by each attribute's section.
 */
final class CoverageTable {
  /** The outcomes of a run's comparisons, in the order the tables list them. */
  static final List<String> OUTCOMES = List.of("flagged", "ruled_out", "inconclusive", "untested");

  private final Messages m;

  CoverageTable(Messages m) {
    this.m = m;
  }

  /**
   * @param rows coverage rows ({@code outcome}, {@code currency}, {@code quotes}, {@code paid})
   * @return one row per outcome: its name, its quotes (and share), what was paid (and share) per
   *     currency; empty when {@code rows} is
   */
  List<String[]> rows(List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    long allQuotes = 0;
    Map<String, Double> allPaid = new TreeMap<>();
    for (Map<String, Object> r : rows) {
      allQuotes += num(r.get("quotes")).longValue();
      allPaid.merge(str(r.get("currency")), dbl(r.get("paid")), Double::sum);
    }
    List<String[]> out = new ArrayList<>();
    for (String outcome : OUTCOMES) {
      long quotes = 0;
      Map<String, Double> paid = new TreeMap<>();
      for (Map<String, Object> r : rows) {
        if (outcome.equals(r.get("outcome"))) {
          quotes += num(r.get("quotes")).longValue();
          paid.merge(str(r.get("currency")), dbl(r.get("paid")), Double::sum);
        }
      }
      List<String> money = new ArrayList<>();
      for (Map.Entry<String, Double> e : allPaid.entrySet()) {
        double part = paid.getOrDefault(e.getKey(), 0.0);
        money.add(m.text("summary.coverage_paid", "amount", m.money(part, e.getKey()),
            "share", m.pct(e.getValue() > 0 ? 100 * part / e.getValue() : 0, 1)));
      }
      out.add(new String[] {m.text("summary.outcome." + outcome),
          m.text("summary.coverage_quotes", "quotes", m.integer(quotes),
              "share", m.pct(allQuotes > 0 ? 100.0 * quotes / allQuotes : 0, 1)),
          String.join(m.text("findings.holds_separator"), money)});
    }
    return out;
  }
}
