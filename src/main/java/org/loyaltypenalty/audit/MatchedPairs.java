package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Pairs;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * Matched pairs for the evidence annex: for each flagged SKU comparison, quotes of its two
 * groups (compared and reference) paired in the same exact cell: the same SKU and currency, the
 * same time bucket and the same value of every other context dimension the comparison's fit
 * held fixed (a segment's own dimension is not one, as in {@link CellEvidence}). Each pair is
 * what a party can check by hand: two quotes of the same goods under the same conditions, one
 * to each group, minutes apart, at different prices.
 *
 * <p><b>Which pairs.</b> Within a cell, each quote's nearest quote of the other group in time is
 * the last one before it or the first one after it (the quotes ordered by time, then quote id);
 * the nearer of the two, ties to the smaller quote id. A pair is two quotes that are each
 * other's nearest (mutual nearest neighbours), so no quote is in two pairs. Of a comparison's
 * pairs, the {@value Pairs#PER_COMPARISON} closest in time are kept (ties by the compared, then the
 * reference quote id): the same pairs on every run. Windows over each cell's quotes in time
 * order find them with no pairwise join, however many quotes a cell holds.
 *
 * <p>Quote ids, times and prices only: never a customer id or its pseudonym. The comparison's
 * distinct customers per group come last, for the report to withhold a comparison below k
 * when it publishes the pairs, as it does the annex.
 */
public final class MatchedPairs {
  private static final String LEVEL = "__level";
  private static final String SIDE = "__side";
  private static final String OWN = "__own";
  private static final String NEAREST = "__nearest";
  private static final String REF = "__ref";
  private static final String CMP = "__cmp";
  private static final String SKU_REFERENCE = "__sku_customers_reference";
  private static final String SKU_COMPARED = "__sku_customers_compared";

  private final AuditConfig config;
  private final List<String> dimensions;

  /** @param dimensions the context dimensions the run's fits hold fixed (time bucket first) */
  public MatchedPairs(AuditConfig config, List<String> dimensions) {
    this.config = config;
    this.dimensions = List.copyOf(dimensions);
  }

  /**
   * The matched pairs of every flagged {@code sku} comparison of {@code findings}, ordered by
   * the comparison's penalty (largest first), SKU, currency, segment, comparison and pair.
   *
   * @param analysed the analysed quotes: quote id, time, price, cohort, segment columns and the
   *     fixed-effect column of each dimension
   */
  public Dataset<Row> pairs(Dataset<Row> analysed, Dataset<Row> findings) {
    Dataset<Row> flagged = findings
        .filter(col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED)))
        .select(col(Findings.SKU_ID).as(Quotes.SKU_ID), col(Findings.CURRENCY).as(Quotes.CURRENCY),
            col(Findings.SEGMENT), col(Findings.COMPARISON), col(Findings.COMPARED),
            col(Findings.REFERENCE), col(Findings.PENALTY_PCT).as(Pairs.SKU_PENALTY_PCT),
            col(Findings.Q_VALUE), col(Findings.CUSTOMERS_REFERENCE).as(SKU_REFERENCE),
            col(Findings.CUSTOMERS_COMPARED).as(SKU_COMPARED));
    List<String> segments = new ArrayList<>(List.of("cohort"));
    config.segments().stream().map(SegmentSpec::name).forEach(segments::add);
    Dataset<Row> out = null;
    for (String segment : segments) {
      Dataset<Row> some = pairs(analysed, flagged.filter(col(Findings.SEGMENT).equalTo(segment)),
          segment);
      out = out == null ? some : out.unionByName(some);
    }
    return out.orderBy(col(Pairs.SKU_PENALTY_PCT).desc(), col(Quotes.SKU_ID),
        col(Quotes.CURRENCY), col(Findings.SEGMENT), col(Findings.COMPARISON), col(Pairs.PAIR));
  }

  /** The pairs of one segment's flagged comparisons ({@code cohort}: the loyalty cohort). */
  private Dataset<Row> pairs(Dataset<Row> analysed, Dataset<Row> flagged, String segment) {
    List<String> held = dimensions.stream().filter(d -> !d.equals(segment)).toList();
    List<Column> cell = new ArrayList<>(List.of(col(Quotes.SKU_ID), col(Quotes.CURRENCY),
        col(Findings.COMPARISON)));
    held.forEach(d -> cell.add(col(ContextFrame.feColumn(d))));
    String level = segment.equals("cohort") ? Derived.COHORT : Derived.segment(segment);
    List<Column> quoteColumns = new ArrayList<>(List.of(col(Quotes.SKU_ID), col(Quotes.CURRENCY),
        col(level).as(LEVEL), col(Quotes.QUOTE_ID), col(Quotes.QUOTED_AT), col(Quotes.PRICE)));
    held.forEach(d -> quoteColumns.add(col(ContextFrame.feColumn(d))));
    Dataset<Row> quotes = analysed.select(quoteColumns.toArray(Column[]::new))
        .join(broadcast(flagged), seq(Quotes.SKU_ID, Quotes.CURRENCY))
        .filter(col(LEVEL).equalTo(col(Findings.COMPARED))
            .or(col(LEVEL).equalTo(col(Findings.REFERENCE))))
        .withColumn(SIDE, col(LEVEL).equalTo(col(Findings.COMPARED)))
        .withColumn(OWN, struct(col(Quotes.QUOTED_AT).as("t"), col(Quotes.QUOTE_ID).as("id"),
            col(Quotes.PRICE).as("p")));

    WindowSpec inTime = Window.partitionBy(cell.toArray(Column[]::new))
        .orderBy(col(Quotes.QUOTED_AT), col(Quotes.QUOTE_ID));
    WindowSpec before = inTime.rowsBetween(Window.unboundedPreceding(), -1);
    WindowSpec after = inTime.rowsBetween(1, Window.unboundedFollowing());
    // the other group's last quote before this one and first after it
    Column other = when(col(SIDE), lit(null)).otherwise(col(OWN));
    Column otherOfCompared = when(col(SIDE), col(OWN));
    Column previous = when(col(SIDE), last(other, true).over(before))
        .otherwise(last(otherOfCompared, true).over(before));
    Column next = when(col(SIDE), first(other, true).over(after))
        .otherwise(first(otherOfCompared, true).over(after));
    Dataset<Row> nearest = quotes.withColumn("__previous", previous).withColumn("__next", next)
        .withColumn(NEAREST, nearer(col("__previous"), col("__next"), col(OWN)))
        .filter(col(NEAREST).isNotNull())
        .withColumn(CMP, when(col(SIDE), col(OWN)).otherwise(col(NEAREST)))
        .withColumn(REF, when(col(SIDE), col(NEAREST)).otherwise(col(OWN)));

    // a pair that both of its quotes name is a mutual nearest pair
    List<Column> pairKey = new ArrayList<>(cell);
    pairKey.addAll(List.of(col(Findings.SEGMENT), col(Pairs.SKU_PENALTY_PCT),
        col(Findings.Q_VALUE), col(SKU_REFERENCE), col(SKU_COMPARED), col(REF), col(CMP)));
    Column apart = abs(unix_micros(col(CMP + ".t")).minus(unix_micros(col(REF + ".t"))))
        .divide(1e6);
    return nearest.groupBy(pairKey.toArray(Column[]::new)).agg(count(lit(1)).as("__named"))
        .filter(col("__named").equalTo(2))
        .withColumn(Findings.CONTEXT, CellEvidence.context(config, held))
        .withColumn(Pairs.SECONDS_APART, apart)
        .withColumn(Pairs.PAIR, row_number().over(Window
            .partitionBy(col(Quotes.SKU_ID), col(Quotes.CURRENCY), col(Findings.SEGMENT),
                col(Findings.COMPARISON))
            .orderBy(col(Pairs.SECONDS_APART), col(CMP + ".id"), col(REF + ".id"))))
        .filter(col(Pairs.PAIR).leq(Pairs.PER_COMPARISON))
        .select(col(Quotes.SKU_ID), col(Quotes.CURRENCY), col(Findings.SEGMENT),
            col(Findings.COMPARISON), col(Pairs.SKU_PENALTY_PCT), col(Findings.Q_VALUE),
            col(Findings.CONTEXT), col(Pairs.PAIR),
            col(REF + ".id").as(Pairs.REFERENCE_QUOTE_ID),
            col(REF + ".t").as(Pairs.REFERENCE_QUOTED_AT),
            col(REF + ".p").as(Pairs.REFERENCE_PRICE),
            col(CMP + ".id").as(Pairs.COMPARED_QUOTE_ID),
            col(CMP + ".t").as(Pairs.COMPARED_QUOTED_AT),
            col(CMP + ".p").as(Pairs.COMPARED_PRICE),
            col(Pairs.SECONDS_APART),
            col(CMP + ".p").divide(col(REF + ".p")).minus(1).multiply(100)
                .as(Pairs.PRICE_GAP_PCT),
            col(SKU_REFERENCE).as(Findings.CUSTOMERS_REFERENCE),
            col(SKU_COMPARED).as(Findings.CUSTOMERS_COMPARED));
  }

  /** The nearer in time to {@code own} of two quotes (either may be null), ties to the smaller id. */
  private static Column nearer(Column previous, Column next, Column own) {
    Column toPrevious = unix_micros(own.getField("t")).minus(unix_micros(previous.getField("t")));
    Column toNext = unix_micros(next.getField("t")).minus(unix_micros(own.getField("t")));
    return when(previous.isNull(), next)
        .when(next.isNull(), previous)
        .when(toPrevious.lt(toNext), previous)
        .when(toNext.lt(toPrevious), next)
        .when(previous.getField("id").leq(next.getField("id")), previous)
        .otherwise(next);
  }

  private static scala.collection.immutable.Seq<String> seq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
  }
}
