package org.loyaltypenalty.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Pairs;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.io.RunLayout;
import org.loyaltypenalty.text.DisplayText;

/**
 * The report's matched pairs: the strongest few of the published pairs file
 * ({@link RunLayout#PAIRS}, comparisons below k already withheld): the closest pair of each
 * flagged comparison, largest penalty first, at most {@value #SHOWN}. Quote ids, times and
 * prices: the file holds no customer id, so neither does this.
 */
final class PairsSection {
  /** Most pairs the report shows. */
  static final int SHOWN = 10;

  /** One published pair, as the file has it (report.json: its columns' names). */
  @com.fasterxml.jackson.databind.annotation.JsonNaming(
      com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Pair(String skuId, String currency, String segment, String comparison, String context,
      String referenceQuoteId, String referenceQuotedAt, Double referencePrice,
      String comparedQuoteId, String comparedQuotedAt, Double comparedPrice,
      Double secondsApart, Double priceGapPct) {}

  /** The published pairs and how many the file holds; null pairs: the run has no pairs data. */
  record Published(List<Pair> pairs, long rows) {
    static final Published NONE = new Published(null, 0);

    Published {
      pairs = pairs == null ? null : List.copyOf(pairs);
    }

    /** The pairs of a published pairs file. */
    static Published of(String csv) {
      List<String[]> records = EvidenceAnnex.records(csv);
      List<Pair> out = new ArrayList<>();
      if (!records.isEmpty()) {
        List<String> header = Arrays.asList(records.get(0));
        for (String[] r : records.subList(1, records.size())) {
          out.add(new Pair(at(header, r, Quotes.SKU_ID), at(header, r, Quotes.CURRENCY),
              at(header, r, Findings.SEGMENT), at(header, r, Findings.COMPARISON),
              at(header, r, Findings.CONTEXT), at(header, r, Pairs.REFERENCE_QUOTE_ID),
              at(header, r, Pairs.REFERENCE_QUOTED_AT), number(at(header, r, Pairs.REFERENCE_PRICE)),
              at(header, r, Pairs.COMPARED_QUOTE_ID), at(header, r, Pairs.COMPARED_QUOTED_AT),
              number(at(header, r, Pairs.COMPARED_PRICE)),
              number(at(header, r, Pairs.SECONDS_APART)),
              number(at(header, r, Pairs.PRICE_GAP_PCT))));
        }
      }
      return new Published(out, out.size());
    }

    private static String at(List<String> header, String[] record, String column) {
      int i = header.indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException("pairs data without " + column + ": " + header);
      }
      return record[i];
    }

    private static Double number(String s) {
      return s == null || s.isEmpty() ? null : Double.valueOf(s);
    }
  }

  private final ReportContext ctx;
  private final Messages m;

  PairsSection(ReportContext ctx) {
    this.ctx = ctx;
    this.m = ctx.m;
  }

  /** Whether the run has matched pairs (a run written before them has none). */
  boolean present() {
    return ctx.pairs.pairs() != null;
  }

  /** The closest pair of each comparison, in the file's order (largest penalty first). */
  List<Pair> strongest() {
    List<Pair> out = new ArrayList<>();
    Set<List<String>> seen = new HashSet<>();
    for (Pair p : ctx.pairs.pairs()) {
      if (out.size() < SHOWN
          && seen.add(List.of(p.skuId(), p.currency(), p.segment(), p.comparison()))) {
        out.add(p);
      }
    }
    return out;
  }

  /** The template's model: intro, rows of the strongest pairs, and where the file is. */
  Map<String, Object> model() {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("intro", m.text("pairs.intro", "n", Pairs.PER_COMPARISON));
    List<String[]> rows = new ArrayList<>();
    for (Pair p : strongest()) {
      rows.add(new String[] {label(p), DisplayText.of(p.context()),
          quote(p.referenceQuoteId(), p.referenceQuotedAt(), p.referencePrice()),
          quote(p.comparedQuoteId(), p.comparedQuotedAt(), p.comparedPrice()),
          m.text("pairs.apart", "seconds", ctx.number(p.secondsApart())),
          m.signedPct(p.priceGapPct())});
    }
    model.put("rows", rows);
    model.put("none", rows.isEmpty() ? m.text("pairs.none") : null);
    model.put("file", m.text("pairs.file", "file", RunLayout.PAIRS, "rows", ctx.pairs.rows()));
    return model;
  }

  /** report.json's matched pairs: the file, its rows and the pairs the report shows. */
  Map<String, Object> json() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("file", RunLayout.PAIRS);
    out.put("rows", ctx.pairs.rows());
    out.put("shown", strongest());
    return out;
  }

  private String label(Pair p) {
    return "cohort".equals(p.segment()) ? ctx.chartLabel(p.skuId(), p.currency(), p.comparison())
        : m.text("pairs.label", "sku", DisplayText.of(p.skuId()), "currency", p.currency(),
            "comparison", DisplayText.of(p.segment() + ": " + p.comparison()));
  }

  private String quote(String id, String at, Double price) {
    return m.text("pairs.quote", "id", DisplayText.of(id), "at", DisplayText.of(at),
        "price", ctx.number(price));
  }
}
