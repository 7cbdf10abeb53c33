package org.loyaltypenalty.cohort;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Purchases;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.spark.Sessions;

/**
 * Places each quote's customer in a cohort as of the quote's time t, from the number of
 * purchases in {@code [t - lookback, t)}: new (fewer than {@code repeat_min}), repeat, or loyal
 * ({@code loyal_min} or more). Purchases at or after t never count: no look-ahead.
 *
 * <p>How: each customer's purchase times are gathered once into a sorted timeline (microseconds
 * since the epoch, packed as big-endian longs), and each quote looks its customer's timeline up
 * by a join and counts the purchases in its window by two binary searches:
 * {@code lowerBound(t) - lowerBound(t - lookback)}, where {@code lowerBound(x)} is the number of
 * purchases before x. The join is a shuffled hash join: quotes and timelines are shuffled by
 * customer and each task hashes its share of the timelines (one row per customer); the quotes are
 * never sorted. Broadcasting the timelines instead would spare that shuffle but makes the whole
 * audit slower on large inputs: the later steps count distinct customers, which is cheap when
 * each partition holds its own customers, as the shuffle by customer leaves them. When a task's
 * share of the timelines would exceed {@link #HASH_MAX_BYTES_PER_TASK}, Spark chooses the join
 * itself (sort-merge, which can spill).
 *
 * <p>Censoring: a quote earlier than {@code history_start + lookback} cannot see its full
 * lookback, so a customer with purchases before the history began would look newer than they
 * are. Such quotes get {@code cohort_censored = true} and are left out of the comparisons.
 *
 * <p>Use: {@link #gather} the purchases once (it returns the history's extent, from which the
 * caller sets the history start), then {@link #assign} the quotes. The timelines are cached
 * while the assigner is in use; {@link #release()} drops them.
 */
public final class CohortAssigner {
  /** Largest share of the cached timelines one task hashes (size / shuffle partitions). */
  public static final long HASH_MAX_BYTES_PER_TASK = 256L << 20;
  private static final String TIMELINE = "__timeline";
  private static final String CUSTOMER = "__timeline_customer";
  private static final String PURCHASES = "__timeline_purchases";
  private static final String FIRST = "__timeline_first";
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private static final UserDefinedFunction PACK = udf(
      (UDF1<scala.collection.Seq<Object>, byte[]>) CohortAssigner::pack, DataTypes.BinaryType);
  private static final UserDefinedFunction COUNT_IN_WINDOW = udf(
      (UDF3<byte[], Long, Long, Integer>) CohortAssigner::countInWindow, DataTypes.IntegerType);

  private final AuditConfig config;
  private final long hashMaxBytesPerTask;
  /** The cached timelines, from {@link #gather} to {@link #release()}; null outside. */
  private Dataset<Row> timelines;

  public CohortAssigner(AuditConfig config) {
    this(config, HASH_MAX_BYTES_PER_TASK);
  }

  /** With another limit (tests leave the choice of join to Spark with -1). */
  CohortAssigner(AuditConfig config, long hashMaxBytesPerTask) {
    this.config = config;
    this.hashMaxBytesPerTask = hashMaxBytesPerTask;
  }

  /**
   * Gathers each customer's purchase times into a sorted timeline, cached, once; the extent of
   * the history comes from the timelines (one row per customer), not from another pass over the
   * purchases.
   *
   * @param purchases one row per purchase, see {@link PurchaseHistory}; partitioned by customer
   *     (as {@link PurchaseHistory} leaves them), they are not shuffled again
   * @return how many purchases there are and when the first was
   */
  public Extent gather(Dataset<Row> purchases) {
    if (timelines != null) {
      throw new IllegalStateException("the purchases were gathered already");
    }
    Dataset<Row> times = purchases
        .groupBy(col(Purchases.CUSTOMER_ID).as(CUSTOMER))
        .agg(sort_array(collect_list(unix_micros(col(Purchases.PURCHASED_AT)))).as(TIMELINE));
    timelines = times
        .select(col(CUSTOMER), PACK.apply(col(TIMELINE)).as(TIMELINE),
            size(col(TIMELINE)).as(PURCHASES), element_at(col(TIMELINE), 1).as(FIRST))
        .persist(Sessions.cacheLevel(purchases.sparkSession()));
    Row extent = timelines.agg(coalesce(sum(col(PURCHASES)), lit(0L)),
        timestamp_micros(min(col(FIRST)))).first();
    return new Extent(extent.getLong(0), extent.isNullAt(1) ? Optional.empty()
        : Optional.of(extent.getTimestamp(1).toInstant()));
  }

  /**
   * How many purchases the history holds and when the first of them was (empty: none).
   */
  public record Extent(long purchases, Optional<Instant> first) {}

  /**
   * @param quotes valid quotes (any columns, including {@code customer_id}, {@code quoted_at})
   * @param historyStart the first instant the purchase history covers
   * @return the quotes with {@code prior_purchases}, {@code cohort} and {@code cohort_censored},
   *     placed against the timelines {@link #gather} cached
   */
  public Dataset<Row> assign(Dataset<Row> quotes, Instant historyStart) {
    if (timelines == null) {
      throw new IllegalStateException("gather the purchases first");
    }
    long bytes = timelines.queryExecution().optimizedPlan().stats().sizeInBytes().longValue();
    int tasks = Sessions.shufflePartitions(timelines.sparkSession());
    Dataset<Row> lookup = timelines.select(col(CUSTOMER), col(TIMELINE));
    lookup = bytes / Math.max(1, tasks) <= hashMaxBytesPerTask
        ? lookup.hint("shuffle_hash") : lookup;

    long lookbackMicros = config.lookbackDays() * MICROS_PER_DAY;
    Column micros = unix_micros(col(Quotes.QUOTED_AT));
    long censorUntilMicros = historyStart.getEpochSecond() * 1_000_000L
        + historyStart.getNano() / 1_000 + lookbackMicros;
    return quotes.join(lookup, col(Quotes.CUSTOMER_ID).equalTo(col(CUSTOMER)), "left")
        .withColumn(Derived.PRIOR_PURCHASES,
            COUNT_IN_WINDOW.apply(col(TIMELINE), micros, lit(lookbackMicros)))
        .drop(CUSTOMER, TIMELINE)
        .withColumn(Derived.COHORT, cohortOf(col(Derived.PRIOR_PURCHASES)))
        .withColumn(Derived.CENSORED, micros.lt(censorUntilMicros));
  }

  /** Drops the cached timelines; the assigned quotes must not be recomputed after. */
  public void release() {
    if (timelines != null) {
      timelines.unpersist();
      timelines = null;
    }
  }

  /** Sorted purchase times (microseconds) as big-endian longs. */
  static byte[] pack(scala.collection.Seq<Object> sortedMicros) {
    ByteBuffer out = ByteBuffer.allocate(sortedMicros.length() * Long.BYTES);
    for (int i = 0; i < sortedMicros.length(); i++) {
      out.putLong(((Number) sortedMicros.apply(i)).longValue());
    }
    return out.array();
  }

  /** Purchases in {@code [t - lookback, t)} of a packed timeline (null: no purchases). */
  static Integer countInWindow(byte[] timeline, Long t, Long lookback) {
    if (timeline == null || t == null) {
      return 0;
    }
    ByteBuffer times = ByteBuffer.wrap(timeline);
    int n = timeline.length / Long.BYTES;
    return lowerBound(times, n, t) - lowerBound(times, n, t - lookback);
  }

  /** How many of the n sorted times are below x. */
  private static int lowerBound(ByteBuffer times, int n, long x) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (times.getLong(mid * Long.BYTES) < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private Column cohortOf(Column prior) {
    return when(prior.geq(config.loyalMin()), lit(Cohort.LOYAL.code()))
        .when(prior.geq(config.repeatMin()), lit(Cohort.REPEAT.code()))
        .otherwise(lit(Cohort.NEW.code()));
  }
}
