package org.loyaltypenalty.cohort;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Purchases;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;

/**
 * Places each quote's customer in a cohort as of the quote's time t, from the number of
 * purchases in {@code [t - lookback, t)}: new (fewer than {@code repeat_min}), repeat, or loyal
 * ({@code loyal_min} or more). Purchases at or after t never count: no look-ahead.
 *
 * <p>How: quotes and purchases are put in one stream per customer, ordered by time, and a
 * range window over the preceding {@code lookback} (up to one microsecond before t) sums the
 * purchase markers. One shuffle by customer; no join, no driver work.
 *
 * <p>Censoring: a quote earlier than {@code history_start + lookback} cannot see its full
 * lookback, so a customer with purchases before the history began would look newer than they
 * are. Such quotes get {@code cohort_censored = true} and are left out of the comparisons.
 */
public final class CohortAssigner {
  private static final String IS_PURCHASE = "__is_purchase";
  private static final String EVENT_MICROS = "__event_micros";
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private final AuditConfig config;

  public CohortAssigner(AuditConfig config) {
    this.config = config;
  }

  /**
   * @param quotes valid quotes (any columns, including {@code customer_id}, {@code quoted_at})
   * @param purchases one row per purchase, see {@link PurchaseHistory}
   * @param historyStart the first instant the purchase history covers
   * @return the quotes with {@code prior_purchases}, {@code cohort} and {@code cohort_censored}
   */
  public Dataset<Row> assign(Dataset<Row> quotes, Dataset<Row> purchases, Instant historyStart) {
    Dataset<Row> quoteEvents = quotes
        .withColumn(IS_PURCHASE, lit(0))
        .withColumn(EVENT_MICROS, unix_micros(col(Quotes.QUOTED_AT)));
    Dataset<Row> purchaseEvents = purchases.select(
        col(Purchases.CUSTOMER_ID).as(Quotes.CUSTOMER_ID),
        lit(1).as(IS_PURCHASE),
        unix_micros(col(Purchases.PURCHASED_AT)).as(EVENT_MICROS));
    long lookbackMicros = config.lookbackDays() * MICROS_PER_DAY;
    WindowSpec prior = Window.partitionBy(col(Quotes.CUSTOMER_ID))
        .orderBy(col(EVENT_MICROS))
        .rangeBetween(-lookbackMicros, -1L);
    Column priorPurchases = org.apache.spark.sql.functions.coalesce(
        sum(col(IS_PURCHASE)).over(prior), lit(0L)).cast(DataTypes.IntegerType);
    long censorUntilMicros = historyStart.getEpochSecond() * 1_000_000L
        + historyStart.getNano() / 1_000 + lookbackMicros;
    return quoteEvents.unionByName(purchaseEvents, true)
        .withColumn(Derived.PRIOR_PURCHASES, priorPurchases)
        .filter(col(IS_PURCHASE).equalTo(0))
        .withColumn(Derived.COHORT, cohortOf(col(Derived.PRIOR_PURCHASES)))
        .withColumn(Derived.CENSORED, col(EVENT_MICROS).lt(censorUntilMicros))
        .drop(IS_PURCHASE, EVENT_MICROS);
  }

  private Column cohortOf(Column prior) {
    return when(prior.geq(config.loyalMin()), lit(Cohort.LOYAL.code()))
        .when(prior.geq(config.repeatMin()), lit(Cohort.REPEAT.code()))
        .otherwise(lit(Cohort.NEW.code()));
  }
}
