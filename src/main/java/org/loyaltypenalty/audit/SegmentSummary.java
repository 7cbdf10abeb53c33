package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.run.SegmentReport;
import org.loyaltypenalty.segment.Attribution;
import org.loyaltypenalty.segment.SegmentLevels;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * The report's view of every tested attribute ({@link SegmentReport}), from the findings: a
 * few small aggregations, the driver sees counts and the flagged rows only.
 */
final class SegmentSummary {
  private final AuditConfig config;

  SegmentSummary(AuditConfig config) {
    this.config = config;
  }

  /**
   * @param analysed the analysed quotes with their segment columns, for the coverage
   * @param cohortCustomers distinct customers per cohort in the analysed quotes
   * @return one section per attribute, the loyalty cohort first; empty when no segment is
   *     configured
   */
  List<SegmentReport> summarise(List<SegmentLevels> segments, Dataset<Row> analysed,
      Dataset<Row> findings, Map<String, Long> cohortCustomers) {
    if (segments.isEmpty()) {
      return List.of();
    }
    Map<String, List<SegmentReport.Coverage>> coverage =
        new SegmentCoverage(config).compute(analysed, findings, segments);
    Column sku = col(Findings.LEVEL).equalTo("sku");
    Map<String, Map<String, Long>> statuses = new TreeMap<>();
    for (Row r : findings.filter(sku).groupBy(col(Findings.SEGMENT), col(Findings.STATUS))
        .count().collectAsList()) {
      statuses.computeIfAbsent(r.getString(0), k -> new TreeMap<>())
          .put(r.getString(1), r.getLong(2));
    }
    Dataset<Row> flaggedRows = findings.filter(col(Findings.FLAGGED))
        .orderBy(col(Findings.PENALTY_PCT).desc(), col(Findings.SKU_ID).asc_nulls_first(),
            col(Findings.MERCHANT_ID).asc_nulls_first(), col(Findings.SEGMENT),
            col(Findings.COMPARISON), col(Findings.CURRENCY).asc_nulls_first());
    List<Row> flagged = flaggedRows.limit(org.loyaltypenalty.report.ReportData.MAX_ROWS).collectAsList();
    // per (SKU, currency): the segments with a flagged penalty whose adjusted interval still
    // lies above zero (an unflagged level's interval says nothing after many tests)
    Map<String, TreeSet<String>> aboveZero = new TreeMap<>();
    for (Row r : findings.filter(sku.and(col(Findings.FLAGGED))
            .and(col(Findings.ADJUSTED_CI_LOW_PCT).gt(0)))
        .join(flaggedRows.select(col(Findings.SKU_ID), col(Findings.CURRENCY)).distinct(),
            seq(Findings.SKU_ID, Findings.CURRENCY))
        .select(Findings.SKU_ID, Findings.CURRENCY, Findings.SEGMENT).collectAsList()) {
      aboveZero.computeIfAbsent(r.getString(0) + '\u0001' + r.getString(1),
          k -> new TreeSet<>()).add(r.getString(2));
    }
    List<SegmentReport> out = new ArrayList<>();
    List<SegmentReport.Level> cohortLevels = new ArrayList<>();
    for (Cohort c : Cohort.values()) {
      cohortLevels.add(new SegmentReport.Level(c.code(),
          cohortCustomers.getOrDefault(c.code(), 0L)));
    }
    out.add(new SegmentReport(SegmentSpec.COHORT, Cohort.NEW.code(), true, cohortLevels, 0,
        statuses.getOrDefault(SegmentSpec.COHORT, Map.of()),
        flags(SegmentSpec.COHORT, flagged, aboveZero),
        coverage.getOrDefault(SegmentSpec.COHORT, List.of())));
    for (SegmentLevels s : segments) {
      List<SegmentReport.Level> levels = new ArrayList<>();
      for (int l = 0; l < s.levels().size(); l++) {
        levels.add(new SegmentReport.Level(s.levels().get(l), s.customers().get(l)));
      }
      out.add(new SegmentReport(s.name(), s.levels().isEmpty() ? null : s.referenceLevel(),
          s.referenceConfigured(), levels, s.unknownQuotes(),
          statuses.getOrDefault(s.name(), Map.of()), flags(s.name(), flagged, aboveZero),
          coverage.getOrDefault(s.name(), List.of())));
    }
    return out;
  }

  private List<SegmentReport.Flag> flags(String segment, List<Row> flagged,
      Map<String, TreeSet<String>> aboveZero) {
    List<SegmentReport.Flag> out = new ArrayList<>();
    for (Row r : flagged) {
      if (!segment.equals(r.getAs(Findings.SEGMENT))) {
        continue;
      }
      Double adjusted = r.getAs(Findings.ADJUSTED_PENALTY_PCT);
      Double adjustedLow = r.getAs(Findings.ADJUSTED_CI_LOW_PCT);
      List<String> heldBy = new ArrayList<>();
      String skuId = r.getAs(Findings.SKU_ID);
      if (skuId != null) {
        for (String other : aboveZero.getOrDefault(
            skuId + '\u0001' + r.getAs(Findings.CURRENCY), new TreeSet<>())) {
          if (!other.equals(segment)) {
            heldBy.add(other);
          }
        }
      }
      out.add(new SegmentReport.Flag(r.getAs(Findings.LEVEL), r.getAs(Findings.STATUS),
          r.getAs(Findings.COMPARISON),
          r.getAs(Findings.COMPARED), r.getAs(Findings.REFERENCE), skuId,
          r.getAs(Findings.CURRENCY), r.getAs(Findings.MERCHANT_ID),
          r.<Double>getAs(Findings.PENALTY_PCT), r.getAs(Findings.CI_LOW_PCT),
          r.getAs(Findings.CI_HIGH_PCT), r.getAs(Findings.Q_VALUE),
          r.<Long>getAs(Findings.CUSTOMERS_REFERENCE), r.<Long>getAs(Findings.CUSTOMERS_COMPARED),
          r.getAs(Findings.CELLS_WITH_BOTH),
          adjusted, adjustedLow, r.getAs(Findings.ADJUSTED_CI_HIGH_PCT),
          r.getAs(Findings.LEVEL).equals("sku")
              ? Attribution.of(adjusted, adjustedLow, config.materialityPct()).code() : null,
          heldBy));
    }
    return out;
  }
}
