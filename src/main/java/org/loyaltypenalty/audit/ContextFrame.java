package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.validate.QuoteValidator;

/**
 * The transaction context of each quote, as the comparisons hold it fixed: the time bucket (in
 * the configured zone) and every configured context column the input has. Adds
 * {@code log_price}, {@code time_bucket} and one string column {@code fe_<name>} per context
 * dimension (a missing value is its own level, {@value #NONE}).
 *
 * <p>With the price-experiment columns ({@code experiment_id} and {@code experiment_arm}), the
 * experiment arm is one more dimension, {@value Derived#EXPERIMENT}: an experiment's arms differ
 * in price by design, so each (experiment, arm) is a level of its own (written
 * {@code ["<experiment_id>","<arm>"]}, which no two pairs share) and the quotes outside any
 * experiment share the level {@value #NONE}.
 */
public final class ContextFrame {
  public static final String TIME_BUCKET = Derived.TIME_BUCKET;
  public static final String NONE = Derived.NO_LEVEL;

  private final AuditConfig config;

  public ContextFrame(AuditConfig config) {
    this.config = config;
  }

  public static String feColumn(String dimension) {
    return Derived.fixedEffect(dimension);
  }

  /** The dimensions held fixed for this input: the time bucket, then the context columns it has. */
  public List<String> dimensions(Dataset<Row> quotes) {
    List<String> present = Arrays.asList(quotes.columns());
    List<String> dims = new ArrayList<>();
    dims.add(TIME_BUCKET);
    for (String c : config.contextColumns()) {
      if (present.contains(c)) {
        dims.add(c);
      }
    }
    if (hasExperiments(present)) {
      dims.add(Derived.EXPERIMENT);
    }
    return dims;
  }

  /** {@link #levels} of {@link #measure}: everything the comparisons read. */
  public Dataset<Row> prepare(Dataset<Row> quotes) {
    return levels(measure(quotes), dimensions(quotes));
  }

  /**
   * Adds the numeric column {@code time_bucket} (and a null {@code merchant_id} when the input
   * has none, and {@value Derived#EXPERIMENT} when it has price experiments): what is worth
   * caching.
   */
  public Dataset<Row> measure(Dataset<Row> quotes) {
    long seconds = config.timeBucketSeconds();
    Column localSeconds = unix_seconds(
        from_utc_timestamp(col(Quotes.QUOTED_AT), config.timezone().getId()));
    Dataset<Row> out = quotes
        .withColumn(Derived.TIME_BUCKET, floor(localSeconds.divide(seconds)).cast(DataTypes.LongType));
    if (!Arrays.asList(quotes.columns()).contains(Quotes.MERCHANT_ID)) {
      out = out.withColumn(Quotes.MERCHANT_ID, lit(null).cast(DataTypes.StringType));
    }
    if (hasExperiments(Arrays.asList(quotes.columns()))) {
      out = out.withColumn(Derived.EXPERIMENT, when(col(Quotes.EXPERIMENT_ID).isNotNull(),
          to_json(array(col(Quotes.EXPERIMENT_ID), col(Quotes.EXPERIMENT_ARM)))));
    }
    return out;
  }

  /** Whether quotes with these columns carry price experiments (both columns, or neither). */
  public static boolean hasExperiments(List<String> columns) {
    return columns.contains(Quotes.EXPERIMENT_ID) && columns.contains(Quotes.EXPERIMENT_ARM);
  }

  /**
   * Adds {@code log_price} and one string column {@code fe_<dimension>} per dimension
   * ({@link #dimensions} of the quotes as read) to {@link #measure}d quotes: the levels the fits
   * and cells group by. Cheap to recompute on every read, and as many strings as the context
   * columns themselves (the log price a function of the price): left out of the cache.
   */
  public Dataset<Row> levels(Dataset<Row> measured, List<String> dimensions) {
    Dataset<Row> out = measured.withColumn(Derived.LOG_PRICE, log(col(Quotes.PRICE)));
    for (String d : dimensions) {
      String source = d.equals(TIME_BUCKET) ? Derived.TIME_BUCKET : d;
      out = out.withColumn(feColumn(d),
          coalesce(col(source).cast(DataTypes.StringType), lit(NONE)));
    }
    return out;
  }

  /**
   * The columns of the quotes the audit reads after validation, the others dropped: only what
   * the comparisons, the checks and the report need is carried through the shuffles.
   */
  public Dataset<Row> carried(Dataset<Row> quotes) {
    List<String> present = List.of(quotes.columns());
    Set<String> keep = new LinkedHashSet<>();
    // quote_id for the evidence annex; list_price, purchased and quantity for the report's figures
    keep.addAll(List.of(Quotes.QUOTE_ID, Quotes.CUSTOMER_ID, Quotes.SKU_ID, Quotes.CURRENCY,
        Quotes.QUOTED_AT, Quotes.PRICE, Quotes.MERCHANT_ID, Quotes.LIST_PRICE, Quotes.PURCHASED,
        Quotes.QUANTITY, Quotes.FEE, Quotes.COUPON));
    keep.addAll(config.contextColumns());
    // what settling the duplicates reads (the audit's scope reads quoted_at, kept above)
    keep.addAll(QuoteValidator.SETTLE_READS);
    // each quote's level in each configured segment
    keep.addAll(new SegmentColumns(config).columns());
    // the offer a quote carried, for the re-estimate without disclosed offers
    if (!config.disclosedOffers().isEmpty()) {
      keep.add(Quotes.OFFER_ID);
    }
    // the price experiment and arm of each quote (held fixed, and checked for randomisation)
    keep.addAll(List.of(Quotes.EXPERIMENT_ID, Quotes.EXPERIMENT_ARM));
    return quotes.select(keep.stream().filter(present::contains).map(functions::col)
        .toArray(Column[]::new));
  }
}
