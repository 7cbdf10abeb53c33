package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.run.SegmentReport;
import org.loyaltypenalty.segment.SegmentLevels;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * Coverage by outcome, per tested attribute: each analysed quote of a compared group (a repeat or
 * loyal customer for the cohort; a known level other than the reference for a segment) counts
 * under the outcome of its SKU comparison with the reference, and so does what it paid. One pass
 * over the quotes per attribute, grouped to (attribute, outcome, currency): the driver sees a few
 * rows.
 *
 * <p>Outcomes ({@link #outcome}): {@code flagged} (status {@code penalty}), {@code untested}
 * ({@code insufficient_data}, or no comparison row), {@code ruled_out} (upper one-sided bound
 * below {@code test.materiality_pct}, whatever else the row says) and {@code inconclusive};
 * with disclosed offers, {@code explained} ({@code explained_by_disclosed_offer}).
 */
final class SegmentCoverage {
  static final String OUTCOME = "outcome";

  private final AuditConfig config;

  SegmentCoverage(AuditConfig config) {
    this.config = config;
  }

  /** A findings row's outcome, from its status and upper bound. */
  static Column outcome(double materialityPct) {
    return when(col(Findings.STATUS).equalTo(Status.PENALTY.code()), lit("flagged"))
        .when(col(Findings.STATUS).equalTo(Status.INSUFFICIENT_DATA.code()), lit("untested"))
        .when(col(Findings.STATUS).equalTo(Status.EXPLAINED_BY_DISCLOSED_OFFER.code()),
            lit("explained"))
        .when(col(Findings.UPPER_BOUND_PCT).lt(materialityPct), lit("ruled_out"))
        .otherwise(lit("inconclusive"));
  }

  /**
   * @param analysed the analysed quotes, with the segment columns ({@link Derived#segment})
   * @param findings the run's findings, every segment
   * @return per attribute ({@code cohort} first), its coverage rows ordered by outcome and currency
   */
  Map<String, List<SegmentReport.Coverage>> compute(Dataset<Row> analysed, Dataset<Row> findings,
      List<SegmentLevels> segments) {
    List<String> columns = List.of(analysed.columns());
    Column quantity = columns.contains(Quotes.QUANTITY)
        ? coalesce(col(Quotes.QUANTITY).cast("double"), lit(1.0)) : lit(1.0);
    Column purchased = columns.contains(Quotes.PURCHASED)
        ? coalesce(col(Quotes.PURCHASED), lit(false)) : lit(true);
    Dataset<Row> outcomes = findings.filter(col(Findings.LEVEL).equalTo("sku"))
        .select(col(Findings.SKU_ID).as(Quotes.SKU_ID), col(Findings.CURRENCY).as(Quotes.CURRENCY),
            col(Findings.SEGMENT), col(Findings.COMPARED),
            outcome(config.materialityPct()).as(OUTCOME));
    Dataset<Row> compared = groups(analysed, SegmentSpec.COHORT, col(Derived.COHORT),
        Cohort.NEW.code(), quantity, purchased);
    for (SegmentLevels s : segments) {
      if (!s.levels().isEmpty()) {
        compared = compared.unionByName(groups(analysed, s.name(),
            col(Derived.segment(s.name())), s.referenceLevel(), quantity, purchased));
      }
    }
    Dataset<Row> labelled = compared.join(outcomes,
            seq(Quotes.SKU_ID, Quotes.CURRENCY, Findings.SEGMENT, Findings.COMPARED), "left")
        .withColumn(OUTCOME, coalesce(col(OUTCOME), lit("untested")));
    Map<String, List<SegmentReport.Coverage>> out = new TreeMap<>();
    for (Row r : ReportFigures.paid(labelled, col("__purchased"), col("__quantity"),
            Findings.SEGMENT, OUTCOME, Quotes.CURRENCY)
        .orderBy(Findings.SEGMENT, OUTCOME, Quotes.CURRENCY).collectAsList()) {
      out.computeIfAbsent(r.getAs(Findings.SEGMENT), k -> new ArrayList<>())
          .add(new SegmentReport.Coverage(r.getAs(OUTCOME), r.getAs(Quotes.CURRENCY),
              r.<Long>getAs("quotes"), r.<Long>getAs("purchases"), r.<Double>getAs("paid")));
    }
    return out;
  }

  /** The quotes of an attribute's compared groups: known and not the reference. */
  private static Dataset<Row> groups(Dataset<Row> analysed, String segment, Column level,
      String reference, Column quantity, Column purchased) {
    return analysed.filter(level.isNotNull().and(level.notEqual(reference)))
        .select(col(Quotes.SKU_ID), col(Quotes.CURRENCY), lit(segment).as(Findings.SEGMENT),
            level.as(Findings.COMPARED), col(Quotes.PRICE), quantity.as("__quantity"),
            purchased.as("__purchased"));
  }
}
