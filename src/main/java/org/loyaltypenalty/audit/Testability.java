package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.run.TestabilityAdvice;

/**
 * Counts, rather than guesses, how many of the loyalty cohort's untested comparisons a coarser
 * time bucket would make testable ({@link TestabilityAdvice}). At the next coarser bucket (1
 * day, else 7 days) each quote of new customers and of the compared cohort is put in its exact
 * context cell (SKU, currency, coarser bucket, every other dimension held fixed); the quotes in
 * cells holding both groups are counted per group, quotes and distinct customers, and checked
 * against the minimum-data rules. Aggregations only: the driver sees one row.
 *
 * <p>The count is a lower bound: the fit holds the dimensions fixed additively and keeps every
 * quote that is not a singleton, so it keeps at least the quotes of cells holding both groups.
 */
final class Testability {
  static final List<Duration> COARSER = List.of(Duration.ofDays(1), Duration.ofDays(7));
  private static final String SIDE_REF = "__ref";
  private static final String CELL_BOTH = "__both";

  private final AuditConfig config;
  private final List<String> dimensions;

  Testability(AuditConfig config, List<String> dimensions) {
    this.config = config;
    this.dimensions = List.copyOf(dimensions);
  }

  /** The next coarser bucket than the run's, or null when there is none. */
  Duration coarser() {
    return COARSER.stream().filter(d -> d.compareTo(config.timeBucket()) > 0).findFirst()
        .orElse(null);
  }

  /**
   * @param analysed the analysed quotes (cohort, context levels)
   * @param findings the loyalty cohort's findings rows
   */
  TestabilityAdvice advise(Dataset<Row> analysed, Dataset<Row> findings) {
    Column untested = col(Findings.STATUS).equalTo(Status.INSUFFICIENT_DATA.code());
    Column inconclusive = col(Findings.STATUS).equalTo(Status.INCONCLUSIVE.code());
    Dataset<Row> candidates = findings.filter(col(Findings.LEVEL).equalTo("sku")
        .and(untested.or(inconclusive)));
    Row counts = candidates.agg(sum(when(untested, 1).otherwise(0)),
        sum(when(inconclusive, 1).otherwise(0)),
        sum(when(org.apache.spark.sql.functions.coalesce(col(Findings.CELLS_WITH_BOTH), lit(0L))
            .equalTo(0), 1).otherwise(0))).first();
    long nUntested = counts.isNullAt(0) ? 0 : counts.getLong(0);
    long nInconclusive = counts.isNullAt(1) ? 0 : counts.getLong(1);
    long withoutCell = counts.isNullAt(2) ? 0 : counts.getLong(2);
    Duration coarser = coarser();
    if (coarser == null) {
      return new TestabilityAdvice(config.timeBucketLabel(), null, nUntested, nInconclusive,
          withoutCell, null, null);
    }
    if (nUntested + nInconclusive == 0) {
      return new TestabilityAdvice(config.timeBucketLabel(), coarser.toDays() + "d", 0, 0,
          withoutCell, 0L, 0L);
    }
    // only the candidates' quotes: the counts are joined to them, and they are usually few
    Dataset<Row> keys = candidates.select(col(Findings.SKU_ID).as(Quotes.SKU_ID),
        col(Findings.CURRENCY).as(Quotes.CURRENCY), col(Findings.COMPARISON)).distinct();
    Dataset<Row> matched = matchedCounts(analysed, coarser.getSeconds(), keys);
    Column smaller = least(col("customers_ref"), col("customers_cmp"));
    Column testable = col("quotes_ref").geq(config.minQuotesPerCohort())
        .and(col("quotes_cmp").geq(config.minQuotesPerCohort()))
        .and(smaller.geq(config.minCustomersPerCohort()));
    Row r = candidates.select(col(Findings.SKU_ID).as(Quotes.SKU_ID),
            col(Findings.CURRENCY).as(Quotes.CURRENCY), col(Findings.COMPARISON),
            col(Findings.STATUS), least(col(Findings.CUSTOMERS_REFERENCE),
                col(Findings.CUSTOMERS_COMPARED)).as("__smaller_now"))
        .join(matched, scala.jdk.javaapi.CollectionConverters.asScala(
            List.of(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON)).toList())
        .agg(sum(when(untested.and(testable), 1).otherwise(0)),
            sum(when(inconclusive.and(smaller.gt(col("__smaller_now"))), 1).otherwise(0)))
        .first();
    return new TestabilityAdvice(config.timeBucketLabel(), coarser.toDays() + "d",
        nUntested, nInconclusive, withoutCell, r.isNullAt(0) ? 0L : r.getLong(0),
        r.isNullAt(1) ? 0L : r.getLong(1));
  }

  /**
   * Per (SKU, currency, comparison): quotes and distinct customers of each group in the exact
   * cells at a bucket of {@code seconds} that hold both groups.
   */
  Dataset<Row> matchedCounts(Dataset<Row> analysed, long seconds) {
    return matchedCounts(analysed, seconds, null);
  }

  /**
   * As {@link #matchedCounts(Dataset, long)}, of the (SKU, currency, comparison) in {@code keys}
   * only (all when null).
   */
  Dataset<Row> matchedCounts(Dataset<Row> analysed, long seconds, Dataset<Row> keys) {
    Column localSeconds = unix_seconds(
        from_utc_timestamp(col(Quotes.QUOTED_AT), config.timezone().getId()));
    List<Column> cell = new ArrayList<>(List.of(col(Quotes.SKU_ID), col(Quotes.CURRENCY),
        col(Findings.COMPARISON), floor(localSeconds.divide(seconds)).as("__bucket")));
    List<String> cellNames = new ArrayList<>(List.of(Quotes.SKU_ID, Quotes.CURRENCY,
        Findings.COMPARISON, "__bucket"));
    for (String d : dimensions) {
      if (!d.equals(ContextFrame.TIME_BUCKET)) {
        cell.add(col(ContextFrame.feColumn(d)));
        cellNames.add(ContextFrame.feColumn(d));
      }
    }
    Dataset<Row> sides = null;
    for (Comparison c : Comparison.values()) {
      Column inIt = col(Derived.COHORT).equalTo(Comparison.reference().code())
          .or(col(Derived.COHORT).equalTo(c.compared().code()));
      Dataset<Row> part = analysed.filter(inIt).withColumn(Findings.COMPARISON, lit(c.code()))
          .withColumn(SIDE_REF, col(Derived.COHORT).equalTo(Comparison.reference().code()));
      sides = sides == null ? part : sides.unionByName(part);
    }
    List<Column> keyed = new ArrayList<>(cell);
    keyed.add(col(SIDE_REF));
    keyed.add(col(Quotes.CUSTOMER_ID));
    if (keys != null) {
      sides = sides.join(org.apache.spark.sql.functions.broadcast(keys),
          scala.jdk.javaapi.CollectionConverters.asScala(
              List.of(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON)).toList(), "left_semi");
    }
    Dataset<Row> withCell = sides.select(keyed.toArray(Column[]::new));
    Dataset<Row> both = withCell.groupBy(cellNames.stream().map(n -> col(n)).toArray(Column[]::new))
        .agg(max(when(col(SIDE_REF), 1).otherwise(0)).plus(max(when(col(SIDE_REF), 0).otherwise(1)))
            .as(CELL_BOTH))
        .filter(col(CELL_BOTH).equalTo(2));
    return withCell.join(both, scala.jdk.javaapi.CollectionConverters.asScala(cellNames).toList())
        .groupBy(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON)
        .agg(sum(when(col(SIDE_REF), 1).otherwise(0)).as("quotes_ref"),
            sum(when(col(SIDE_REF), 0).otherwise(1)).as("quotes_cmp"),
            countDistinct(when(col(SIDE_REF), col(Quotes.CUSTOMER_ID))).as("customers_ref"),
            countDistinct(when(col(SIDE_REF), null).otherwise(col(Quotes.CUSTOMER_ID)))
                .as("customers_cmp"),
            count(lit(1)).as("__quotes"));
  }
}
