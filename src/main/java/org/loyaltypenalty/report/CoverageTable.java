package org.loyaltypenalty.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.loyaltypenalty.run.SegmentReport;

/**
 * Coverage by outcome as table rows: for each outcome (flagged, ruled out, inconclusive,
 * untested), the compared groups' quotes and what they paid per currency, each with its share.
 * Used by the summary (the loyalty cohort) and by each attribute's section.
 */
final class CoverageTable {
  /** The outcomes of a run's comparisons, in the order the tables list them. */
  static final List<String> OUTCOMES = List.of("flagged", "ruled_out", "inconclusive", "untested");
  /** A flagged gap a disclosed offer explains: listed (after the others) only when it occurs. */
  static final String EXPLAINED = "explained";

  private final Messages m;

  CoverageTable(Messages m) {
    this.m = m;
  }

  /**
   * The compared groups' quotes of one outcome and currency, and what they paid.
   *
   * @param outcome one of {@link #OUTCOMES}, or {@link #EXPLAINED}
   */
  record Cell(String outcome, String currency, long quotes, double paid) {
    Cell {
      currency = currency == null ? "" : currency;
    }

    /** A segment's coverage rows as cells. */
    static List<Cell> of(List<SegmentReport.Coverage> coverage) {
      return coverage.stream()
          .map(c -> new Cell(c.outcome(), c.currency(), c.quotes(), c.paid())).toList();
    }
  }

  /**
   * @param rows coverage cells
   * @return one row per outcome: its name, its quotes (and share), what was paid (and share) per
   *     currency; empty when {@code rows} is
   */
  List<String[]> rows(List<Cell> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    long allQuotes = 0;
    Map<String, Double> allPaid = new TreeMap<>();
    for (Cell r : rows) {
      allQuotes += r.quotes();
      allPaid.merge(r.currency(), r.paid(), Double::sum);
    }
    List<String[]> out = new ArrayList<>();
    List<String> outcomes = new ArrayList<>(OUTCOMES);
    if (rows.stream().anyMatch(r -> EXPLAINED.equals(r.outcome()))) {
      outcomes.add(EXPLAINED);
    }
    for (String outcome : outcomes) {
      long quotes = 0;
      Map<String, Double> paid = new TreeMap<>();
      for (Cell r : rows) {
        if (outcome.equals(r.outcome())) {
          quotes += r.quotes();
          paid.merge(r.currency(), r.paid(), Double::sum);
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
