package org.loyaltypenalty.validate;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.spark.Sessions;

/**
 * Types the quotes and gives each row that cannot be used a {@link QuarantineReason}.
 *
 * <p>Output columns: the canonical quote columns, typed ({@code quoted_at} timestamp,
 * {@code price}, {@code list_price}, {@code fee} and {@code coupon} double (an empty fee or
 * coupon is 0), {@code quantity} long defaulting to 1,
 * {@code purchased} boolean, the rest trimmed strings; optional columns absent from the input
 * stay absent), plus {@code reason} and {@code raw}. Of the valid rows sharing a
 * {@code quote_id}, the first by (quoted_at, price, customer_id, sku_id, the row as read) is
 * kept and the others are quarantined as duplicates; rows identical in all of these are the
 * same row read twice, and which copy is kept does not change the output.
 *
 * <p>How duplicates are found: a narrow pre-pass reads only the id column and counts the 64-bit
 * hash of each id (by sorting them: {@link RepeatedHashes}); the hashes seen more than once
 * (few, in real exports) are broadcast, the rows carrying them (the candidates; a hash
 * collision only adds a candidate) are ranked by id in a window over those rows alone, and
 * every other row passes with no shuffle (when no id repeats,
 * nothing is ranked at all). Only when more than {@link #BROADCAST_LIMIT} rows carry a repeated
 * hash are all rows shuffled by id and ranked. Either way the result is the same.
 *
 * <p>Two ways to use it: {@link #validate} checks and caches the rows (release them with
 * {@link Validated#release()}); {@link #check} leaves the rows lazy, so that a caller that caches
 * its own form of them (the audit's quotes with their cohorts) parses the input once, and ranks
 * the candidates over that cache ({@link Pending#settle}).
 */
public final class QuoteValidator {
  /** Most rows with a repeated id ranked by broadcast; more, and all rows are shuffled by id. */
  public static final long BROADCAST_LIMIT = 500_000;
  private static final String REPEATED = "__repeated";
  private static final String ROW = "__row";
  private static final String ID_HASH = RepeatedHashes.ID_HASH;
  private static final String DUPLICATE = "__duplicate";
  /**
   * Columns a form of {@link Pending#rows()} must keep for {@link Pending#settle} (those present
   * in the rows): the bookkeeping, and what the keeper order reads; also keep any column the
   * scope reads.
   */
  public static final List<String> SETTLE_READS = List.of(Derived.REASON, Derived.RAW, REPEATED,
      ROW, Quotes.QUOTE_ID, Quotes.QUOTED_AT, Quotes.PRICE, Quotes.CUSTOMER_ID, Quotes.SKU_ID);

  private final AuditConfig config;
  private final long broadcastLimit;

  public QuoteValidator(AuditConfig config) {
    this(config, BROADCAST_LIMIT);
  }

  /** With another limit on rows with a repeated id (tests force the window path with 0). */
  QuoteValidator(AuditConfig config, long broadcastLimit) {
    this.config = config;
    this.broadcastLimit = broadcastLimit;
  }

  /** Every row of {@code in}, checked; cached until {@link Validated#release()}. */
  public Validated validate(Dataset<Row> in) {
    return validate(in, lit(true), Sessions.cacheLevel(in.sparkSession()));
  }

  /**
   * The rows of {@code in} for which {@code inScope} (over the output columns) holds, checked and
   * cached at {@code level}; duplicates are looked for across every row of {@code in}, in scope
   * or not.
   */
  public Validated validate(Dataset<Row> in, Column inScope, StorageLevel level) {
    return check(in, inScope).settle(level);
  }

  /**
   * The rows of {@code in} checked lazily, to be finished by {@link Pending#settle}: the checked
   * rows are not cached here (only the hashes of repeated ids, a small set: release them with
   * {@link Pending#release()}), so a caller that derives and caches its own form of the rows (the
   * audit adds each quote's cohort) parses and checks the input once, in the pass that builds
   * that cache.
   *
   * @param inScope which output rows to keep (duplicates are looked for in every row)
   */
  public Pending check(Dataset<Row> input, Column inScope) {
    List<Column> reasons = new ArrayList<>();
    List<Column> typed = new ArrayList<>();
    Parsing.Frame in = new Parsing.Frame(input, config.numbers());

    boolean generated = config.generateQuoteId() || !in.has(Quotes.QUOTE_ID);
    Column quoteId = generated
        ? in.bind("generated_id", () -> substring(in.has(Derived.ROW_DIGEST)
            ? col(Derived.ROW_DIGEST) : sha2(to_json(col(Derived.RAW)), 256), 1, 24))
        : in.text(Quotes.QUOTE_ID);
    typed.add(quoteId.as(Quotes.QUOTE_ID));
    reasons.add(missing(quoteId, QuarantineReason.MISSING_QUOTE_ID));

    Column customer = in.text(Quotes.CUSTOMER_ID);
    Column sku = in.text(Quotes.SKU_ID);
    typed.add(customer.as(Quotes.CUSTOMER_ID));
    typed.add(sku.as(Quotes.SKU_ID));
    reasons.add(missing(customer, QuarantineReason.MISSING_CUSTOMER_ID));
    reasons.add(missing(sku, QuarantineReason.MISSING_SKU_ID));

    Column quotedAt = in.timestamp(Quotes.QUOTED_AT);
    Column price = in.finiteDouble(Quotes.PRICE);
    Column currency = in.has(Quotes.CURRENCY)
        ? in.bind("upper:" + Quotes.CURRENCY, () -> upper(in.text(Quotes.CURRENCY)))
        : lit(config.defaultCurrency().orElseThrow());
    typed.add(quotedAt.as(Quotes.QUOTED_AT));
    typed.add(price.as(Quotes.PRICE));
    typed.add(currency.as(Quotes.CURRENCY));
    reasons.add(when(in.present(Quotes.QUOTED_AT).equalTo(false),
        lit(QuarantineReason.MISSING_QUOTED_AT.code())));
    reasons.add(when(in.present(Quotes.PRICE).equalTo(false),
        lit(QuarantineReason.MISSING_PRICE.code())));
    reasons.add(missing(currency, QuarantineReason.MISSING_CURRENCY));
    reasons.add(in.timestampProblem(Quotes.QUOTED_AT, QuarantineReason.UNPARSEABLE_QUOTED_AT,
        QuarantineReason.INCOMPLETE_QUOTED_AT, QuarantineReason.AMBIGUOUS_QUOTED_AT_ZONE,
        QuarantineReason.IMPLAUSIBLE_QUOTED_AT));
    reasons.add(when(price.isNull(), lit(QuarantineReason.UNPARSEABLE_PRICE.code())));
    reasons.add(when(currency.rlike("^[A-Z]{3}$").equalTo(false),
        lit(QuarantineReason.MALFORMED_CURRENCY.code())));
    reasons.add(when(price.leq(0), lit(QuarantineReason.NON_POSITIVE_PRICE.code())));

    if (in.has(Quotes.QUANTITY)) {
      Column q = in.wholeNumber(Quotes.QUANTITY);
      Column given = in.present(Quotes.QUANTITY);
      typed.add(coalesce(q, lit(1L)).as(Quotes.QUANTITY));
      reasons.add(when(given.and(q.isNull()), lit(QuarantineReason.UNPARSEABLE_QUANTITY.code())));
      reasons.add(when(q.leq(0), lit(QuarantineReason.NON_POSITIVE_QUANTITY.code())));
    } else {
      typed.add(lit(1L).as(Quotes.QUANTITY));
    }
    if (in.has(Quotes.LIST_PRICE)) {
      Column lp = in.finiteDouble(Quotes.LIST_PRICE);
      typed.add(lp.as(Quotes.LIST_PRICE));
      reasons.add(when(in.present(Quotes.LIST_PRICE).and(lp.isNull()),
          lit(QuarantineReason.UNPARSEABLE_LIST_PRICE.code())));
      reasons.add(when(lp.leq(0), lit(QuarantineReason.NON_POSITIVE_LIST_PRICE.code())));
    }
    if (in.has(Quotes.PURCHASED)) {
      Column b = in.bool(Quotes.PURCHASED);
      typed.add(coalesce(b, lit(false)).as(Quotes.PURCHASED));
      reasons.add(when(in.present(Quotes.PURCHASED).and(b.isNull()),
          lit(QuarantineReason.UNPARSEABLE_PURCHASED.code())));
    }
    for (String c : List.of(Quotes.MERCHANT_ID, Quotes.CHANNEL, Quotes.DEVICE_OS, Quotes.REGION,
        Quotes.ORDER_ID, Quotes.MEMBER_TIER)) {
      if (in.has(c)) {
        typed.add(in.text(c).as(c));
      }
    }
    if (in.has(Quotes.OFFER_ID)) {
      typed.add(in.text(Quotes.OFFER_ID).as(Quotes.OFFER_ID));
    }
    if (!config.excludedSkus().isEmpty()) {
      reasons.add(when(sku.isin(config.excludedSkus().toArray()),
          lit(QuarantineReason.EXCLUDED_SKU.code())));
    }
    if (in.has(Quotes.EXPERIMENT_ID) && in.has(Quotes.EXPERIMENT_ARM)) {
      // an experiment's quote names its arm, and an arm its experiment
      Column experiment = in.text(Quotes.EXPERIMENT_ID);
      Column arm = in.text(Quotes.EXPERIMENT_ARM);
      typed.add(experiment.as(Quotes.EXPERIMENT_ID));
      typed.add(arm.as(Quotes.EXPERIMENT_ARM));
      reasons.add(when(experiment.isNull().and(arm.isNotNull()),
          lit(QuarantineReason.EXPERIMENT_ARM_WITHOUT_ID.code())));
      reasons.add(when(experiment.isNotNull().and(arm.isNull()),
          lit(QuarantineReason.EXPERIMENT_ID_WITHOUT_ARM.code())));
    }
    // what the customer paid besides the price: an empty value is none (0)
    for (String c : List.of(Quotes.FEE, Quotes.COUPON)) {
      if (in.has(c)) {
        Column amount = in.finiteDouble(c);
        typed.add(coalesce(amount, lit(0.0)).as(c));
        reasons.add(when(in.present(c).and(amount.isNull()), lit((c.equals(Quotes.FEE)
            ? QuarantineReason.UNPARSEABLE_FEE : QuarantineReason.UNPARSEABLE_COUPON).code())));
        reasons.add(when(amount.lt(0), lit((c.equals(Quotes.FEE)
            ? QuarantineReason.NEGATIVE_FEE : QuarantineReason.NEGATIVE_COUPON).code())));
      }
    }
    typed.add(coalesce(reasons.toArray(Column[]::new)).as(Derived.REASON));
    typed.add(col(Derived.RAW));
    Dataset<Row> first = in.select(typed.toArray(Column[]::new));

    // 1. hashes of the ids seen more than once: only the id column is read, and 8 bytes a row
    //    are shuffled; a hash collision only makes a row a candidate, never a duplicate. (A
    //    generated id is never null, and the filter would compute it twice: Spark copies what a
    //    filter reads into it when it pushes the filter below the projection.)
    Dataset<Row> ids = generated ? in.rows() : in.rows().filter(quoteId.isNotNull());
    Dataset<Row> repeated = RepeatedHashes.of(ids.select(xxhash64(quoteId).as(ID_HASH)))
        .withColumn(REPEATED, lit(true))
        .persist(Sessions.cacheLevel(in.rows().sparkSession()));
    Row candidateRows = null;
    try {
      candidateRows = repeated.agg(sum(col(RepeatedHashes.CANDIDATE_ROWS))).first();
    } finally {
      if (candidateRows == null) { // the job failed or was cancelled: nothing holds the cache
        repeated.unpersist();
      }
    }
    if (candidateRows.isNullAt(0) || candidateRows.getLong(0) > broadcastLimit) {
      // no id repeats (nothing to rank), or so many that every row is ranked
      repeated.unpersist();
      return new Pending(
          (candidateRows.isNullAt(0) ? rawForQuarantined(first) : byWindow(first)).filter(inScope),
          inScope, null);
    }
    // 2. every row in scope, and every candidate row (in scope or not); the candidates numbered
    Dataset<Row> marked = first
        .withColumn(ID_HASH, xxhash64(col(Quotes.QUOTE_ID)))
        .join(broadcast(repeated), ID_HASH, "left")
        .withColumn(REPEATED, coalesce(col(REPEATED), lit(false)))
        .drop(ID_HASH, RepeatedHashes.CANDIDATE_ROWS)
        .filter(inScope.or(col(REPEATED)))
        // only the candidates are numbered: every later read of the rows joins the duplicates
        // found back on this number, and a null number is passed over without a hash lookup
        .withColumn(ROW, when(col(REPEATED), monotonically_increasing_id()))
        .withColumn(Derived.RAW, when(col(Derived.REASON).isNotNull().or(col(REPEATED)),
            to_json(col(Derived.RAW))).cast(DataTypes.StringType));
    return new Pending(marked, inScope, repeated);
  }

  /**
   * Checked rows whose duplicates are not yet ranked. {@link #rows()} carries, besides the output
   * columns, bookkeeping columns (see {@link #SETTLE_READS}); {@link #settle} ranks the
   * duplicates over a form of these rows the caller has derived and cached.
   */
  public static final class Pending {
    private final Dataset<Row> rows;
    private final Column inScope;
    private final Dataset<Row> repeated;

    /** @param repeated the cached hashes of repeated ids, or null when nothing is to be ranked */
    private Pending(Dataset<Row> rows, Column inScope, Dataset<Row> repeated) {
      this.rows = rows;
      this.inScope = inScope;
      this.repeated = repeated;
    }

    /** The checked rows, lazily: in scope, and (when ids repeat) the candidates out of scope. */
    public Dataset<Row> rows() {
      return rows;
    }

    /**
     * The rows in scope that pass the row checks, lazily: the valid quotes and their duplicates
     * not yet ranked (a bound on the valid quotes: the latest of these is never earlier than the
     * latest valid quote).
     */
    public Dataset<Row> passingInScope() {
      return rows.filter(inScope.and(col(Derived.REASON).isNull()));
    }

    /**
     * Caches {@link #rows()} at {@code level} and finishes the check over them; releasing the
     * result releases this check too.
     */
    public Validated settle(StorageLevel level) {
      Dataset<Row> cached = rows.persist(level);
      Validated settled = settle(cached, level);
      List<Dataset<Row>> all = new ArrayList<>(settled.cached());
      all.add(0, cached);
      if (repeated != null) {
        all.add(repeated);
      }
      return new Validated(settled.checked(), settled.source(), all);
    }

    /** Drops the cached hashes of repeated ids; {@link #rows()} must not be read after. */
    public void release() {
      if (repeated != null) {
        repeated.unpersist();
      }
    }

    /**
     * Finishes the check over {@code derived}: rows of {@link #rows()} one for one, with any
     * columns added and at least {@link #SETTLE_READS} and the columns the scope reads kept.
     * Where ids repeat, the candidates of each id are ranked (one job over them alone) and every
     * valid one but the first becomes a duplicate; the result is {@code derived}, in scope, with
     * the final {@code reason} and {@code raw} and without the other bookkeeping columns. Cache
     * {@code derived} first: it is read once to rank and again by every use of the result.
     * Releasing the result drops the duplicates found, not this check ({@link #release()}).
     *
     * @param level how the (few) duplicates found are cached
     */
    public Validated settle(Dataset<Row> derived, StorageLevel level) {
      if (repeated == null) {
        // in scope already; filtered again so that every path reads the same columns
        return new Validated(derived.filter(inScope), "quotes");
      }
      // 3. among the valid candidates of each id, the first is kept and the others are duplicates
      WindowSpec sameId = Window.partitionBy(col(Quotes.QUOTE_ID))
          .orderBy(keeperOrder(col(Derived.RAW), col(ROW)));
      Dataset<Row> duplicates = derived
          .filter(col(REPEATED).and(col(Derived.REASON).isNull()))
          .withColumn(DUPLICATE, row_number().over(sameId).gt(1))
          .filter(col(DUPLICATE))
          .select(col(ROW), lit(QuarantineReason.DUPLICATE_QUOTE_ID.code()).as(DUPLICATE))
          .persist(level);
      duplicates.count();
      Dataset<Row> checked = derived
          .join(broadcast(duplicates), ROW, "left")
          .withColumn(Derived.REASON, coalesce(col(Derived.REASON), col(DUPLICATE)))
          .withColumn(Derived.RAW, when(col(Derived.REASON).isNotNull(), col(Derived.RAW)))
          .filter(inScope)
          .drop(REPEATED, ROW, DUPLICATE);
      return new Validated(checked, "quotes", List.of(duplicates));
    }
  }

  /**
   * The general way, for inputs where many ids repeat: rank the valid rows of each id by one
   * shuffle of every row by id. Same keeper as the broadcast way.
   */
  private static Dataset<Row> byWindow(Dataset<Row> first) {
    WindowSpec sameId = Window.partitionBy(col(Quotes.QUOTE_ID), col(Derived.REASON).isNull())
        .orderBy(keeperOrder(to_json(col(Derived.RAW))));
    Column reason = when(col(Derived.REASON).isNull().and(row_number().over(sameId).gt(1)),
        lit(QuarantineReason.DUPLICATE_QUOTE_ID.code()))
        .otherwise(col(Derived.REASON));
    return rawForQuarantined(first.withColumn(Derived.REASON, reason));
  }

  /**
   * The order that picks the kept row of an id: earliest, cheapest, then by customer, SKU and
   * the row as read (JSON), then {@code tieBreak} (rows equal in all of these are the same row).
   */
  private static Column[] keeperOrder(Column rawJson, Column... tieBreak) {
    List<Column> order = new ArrayList<>(List.of(col(Quotes.QUOTED_AT), col(Quotes.PRICE),
        col(Quotes.CUSTOMER_ID), col(Quotes.SKU_ID), rawJson));
    order.addAll(List.of(tieBreak));
    return order.toArray(Column[]::new);
  }

  /** The row as read, in JSON, kept only where the row is quarantined. */
  private static Dataset<Row> rawForQuarantined(Dataset<Row> rows) {
    return rows.withColumn(Derived.RAW,
        when(col(Derived.REASON).isNotNull(), to_json(col(Derived.RAW)))
            .cast(DataTypes.StringType));
  }

  private static Column missing(Column value, QuarantineReason reason) {
    return when(value.isNull(), lit(reason.code()));
  }
}
