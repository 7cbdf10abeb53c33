package org.loyaltypenalty.sku;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.KeyValueGroupedDataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Estimates;
import org.loyaltypenalty.Columns.Figures;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.segment.SegmentLevels;

/**
 * The per-SKU pass on Spark: one shuffle of the prepared quotes by (SKU, currency), and for each
 * (SKU, currency) one {@link SkuAnalysis} of its {@link SkuQuotes}; the results come back as
 * rows of one small dataset, {@value #KIND} saying which kind:
 * <ul>
 *   <li>{@code estimate}: each comparison's {@link Estimate} ({@link #estimates}, {@link #SCHEMA});
 *   <li>{@code placebo}: the same estimate with the SKU's new customers split at random into two
 *       pseudo-cohorts ({@link #placebo}, see {@code PlaceboCheck});
 *   <li>{@code cell}: every exact cell that holds new customers and a compared cohort
 *       ({@link #cells}, {@link ExactCells});
 *   <li>{@code figure}: the report's figures ({@link #figureRows}, {@link SkuFigures}) of every
 *       SKU with a comparison the FDR step may flag ({@link
 *       org.loyaltypenalty.stats.FlagRule#mayBeFlagged}), from the fit it is tested with.
 * </ul>
 * Small enough to persist: a few rows per SKU, one per cell with both cohorts, and the figure
 * rows of the candidate SKUs. Input: the prepared quotes (price, cohort, one
 * {@code fe_<dimension>} column per dimension held fixed, and the placebo half,
 * {@link #pseudoLoyal}).
 */
public final class SkuPass implements Serializable {
  public static final String METHOD = "fe_ols_cluster_customer";
  /** Column of {@link #analyse}: which kind of row. */
  public static final String KIND = "kind";
  static final String ESTIMATE = "estimate";
  static final String PLACEBO = "placebo";
  static final String CELL = "cell";
  static final String FIGURE = "figure";
  /** The kind of the money outcomes' rows ({@link #outcomes}, {@link #OUTCOMES}). */
  static final String OUTCOME = "outcome";

  /** The estimate rows: one per (SKU, currency, comparison). */
  public static final StructType SCHEMA = new StructType()
      .add(Quotes.SKU_ID, DataTypes.StringType)
      .add(Quotes.CURRENCY, DataTypes.StringType)
      .add(Quotes.MERCHANT_ID, DataTypes.StringType)
      .add(Estimates.MERCHANTS, DataTypes.IntegerType)
      .add(Findings.COMPARISON, DataTypes.StringType)
      .add(Findings.N_REFERENCE, DataTypes.LongType)
      .add(Findings.N_COMPARED, DataTypes.LongType)
      .add(Findings.CUSTOMERS_REFERENCE, DataTypes.LongType)
      .add(Findings.CUSTOMERS_COMPARED, DataTypes.LongType)
      .add(Findings.ESTIMATE_LOG, DataTypes.DoubleType)
      .add(Findings.STD_ERROR_LOG, DataTypes.DoubleType)
      .add(Findings.DEGREES_OF_FREEDOM, DataTypes.DoubleType)
      .add(Findings.P_VALUE, DataTypes.DoubleType)
      .add(Estimates.CI_LOW_LOG, DataTypes.DoubleType)
      .add(Estimates.CI_HIGH_LOG, DataTypes.DoubleType)
      .add(Estimates.MDE_LOG, DataTypes.DoubleType)
      .add(Estimates.UPPER_BOUND_LOG, DataTypes.DoubleType)
      .add(Estimates.TESTED, DataTypes.BooleanType)
      .add(Estimates.UNTESTED_REASON, DataTypes.StringType)
      .add(Estimates.OBSERVATIONS, DataTypes.LongType)
      .add(Estimates.QUOTES_IN_SKU, DataTypes.LongType)
      .add(Findings.SEGMENT, DataTypes.StringType)
      .add(Findings.COMPARED, DataTypes.StringType)
      .add(Findings.REFERENCE, DataTypes.StringType)
      .add(Estimates.ADJUSTED_LOG, DataTypes.DoubleType)
      .add(Estimates.ADJUSTED_CI_LOW_LOG, DataTypes.DoubleType)
      .add(Estimates.ADJUSTED_CI_HIGH_LOG, DataTypes.DoubleType);

  /**
   * The money outcomes' rows ({@link OutcomeEstimate}): {@link #SCHEMA} with the statistics in
   * money per unit, then the outcome, the reference group's mean total per unit and, for the
   * total, its split into parts (null where a part is absent).
   */
  public static final StructType OUTCOMES = SCHEMA
      .add(Findings.OUTCOME, DataTypes.StringType)
      .add(Findings.REFERENCE_MEAN, DataTypes.DoubleType)
      .add(Estimates.PART_LIST, DataTypes.DoubleType)
      .add(Estimates.PART_DISCOUNT, DataTypes.DoubleType)
      .add(Estimates.PART_PRICE, DataTypes.DoubleType)
      .add(Estimates.PART_FEE, DataTypes.DoubleType)
      .add(Estimates.PART_COUPON, DataTypes.DoubleType);

  /**
   * The figure rows, {@link Figures#KIND} saying which {@link SkuFigures.Kind}: values on the
   * log scale.
   */
  public static final StructType FIGURES = new StructType()
      .add(Quotes.SKU_ID, DataTypes.StringType)
      .add(Quotes.CURRENCY, DataTypes.StringType)
      .add(Figures.KIND, DataTypes.StringType)
      .add(Derived.COHORT, DataTypes.StringType)
      .add(Figures.DIMENSION, DataTypes.StringType)
      .add(Figures.VALUE, DataTypes.StringType)
      .add(Derived.PRIOR_PURCHASES, DataTypes.IntegerType)
      .add(Figures.MEAN_LOG, DataTypes.DoubleType)
      .add(Figures.SD_LOG, DataTypes.DoubleType)
      .add(Figures.QUOTES, DataTypes.LongType)
      .add(Figures.CUSTOMERS, DataTypes.LongType)
      .add(Figures.QUANTILES_LOG, DataTypes.createArrayType(DataTypes.DoubleType))
      .add(Findings.COMPARISON, DataTypes.StringType)
      .add(Figures.LIST_GAP_LOG, DataTypes.DoubleType)
      .add(Figures.DISCOUNT_GAP_LOG, DataTypes.DoubleType)
      .add(Findings.CUSTOMERS_REFERENCE, DataTypes.LongType)
      .add(Findings.CUSTOMERS_COMPARED, DataTypes.LongType);

  /** Column of the narrowed quotes: the SKU id and currency, whose hash groups the pass. */
  static final String KEY = "__sku_key";
  private static final String KEY_SEPARATOR = "\u0001";
  private static final Set<DataType> WHOLE_NUMBERS = Set.of(DataTypes.LongType,
      DataTypes.IntegerType, DataTypes.ShortType, DataTypes.ByteType);

  /** Prior purchases at or above this are one tenure bucket. */
  public static final int TENURE_CAP = SkuFigures.TENURE_CAP;

  private final SkuAnalysis analysis;
  private final long placeboSeed;
  private final StructType cellSchema;
  private final StructType passSchema;

  /** Counts of the rows of a pass. */
  public record Counts(long estimates, long cells) {}

  /** @param dimensions the context dimensions held fixed */
  public SkuPass(AuditConfig config, List<String> dimensions) {
    this(config, dimensions, List.of());
  }

  /**
   * @param dimensions the context dimensions held fixed
   * @param segments the configured segments, resolved on the run's data: each is read from its
   *     {@link Derived#segment} column
   */
  public SkuPass(AuditConfig config, List<String> dimensions, List<SegmentLevels> segments) {
    this.analysis = SkuAnalysis.of(config, dimensions, segments);
    this.placeboSeed = config.placeboSeed();
    StructType cell = new StructType()
        .add(Quotes.SKU_ID, DataTypes.StringType)
        .add(Quotes.CURRENCY, DataTypes.StringType);
    for (String d : dimensions) {
      cell = cell.add(Derived.fixedEffect(d), DataTypes.StringType);
    }
    this.cellSchema = cell
        .add(Findings.N_REFERENCE, DataTypes.LongType)
        .add(Findings.CUSTOMERS_REFERENCE, DataTypes.LongType)
        .add(Quotes.MERCHANT_ID, DataTypes.StringType)
        .add(Findings.N_COMPARED, DataTypes.LongType)
        .add(Findings.CUSTOMERS_COMPARED, DataTypes.LongType)
        .add(Findings.COMPARISON, DataTypes.StringType)
        .add(Findings.ESTIMATE_LOG, DataTypes.DoubleType)
        .add(Findings.SEGMENT, DataTypes.StringType)
        .add(Findings.COMPARED, DataTypes.StringType)
        .add(Findings.REFERENCE, DataTypes.StringType);
    this.passSchema = new StructType()
        .add(KIND, DataTypes.StringType)
        .add(ESTIMATE, SCHEMA)
        .add(CELL, cellSchema)
        .add(FIGURE, FIGURES)
        .add(OUTCOME, OUTCOMES);
  }

  /**
   * Which new customers form the pseudo-loyal half of the placebo check: a seeded 64-bit hash of
   * the customer id is odd. Computed before the shuffle, so each customer stays on one side.
   */
  public static Column pseudoLoyal(Column customerId, long seed) {
    return pmod(xxhash64(customerId, lit(seed)), lit(2L)).notEqual(0);
  }

  /** The estimates ({@link #SCHEMA}) of the quotes' own cohorts: {@link #analyse}'s estimates. */
  public Dataset<Row> estimate(Dataset<Row> prepared) {
    return estimates(analyse(prepared));
  }

  /** The pass: one shuffle, every kind of row (see the class comment). */
  public Dataset<Row> analyse(Dataset<Row> prepared) {
    Dataset<Row> withPlacebo = prepared.withColumn(Derived.PSEUDO_LOYAL,
        pseudoLoyal(col(Quotes.CUSTOMER_ID), placeboSeed));
    return bySku(narrow(withPlacebo)).flatMapGroups((FlatMapGroupsFunction<Long, Row, Row>)
        (hash, rows) -> quotes(rows).stream().flatMap(q -> passRows(q).stream()).iterator(),
        Encoders.row(passSchema));
  }

  /** The {@code estimate} rows of {@link #analyse}, in {@link #SCHEMA}. */
  public static Dataset<Row> estimates(Dataset<Row> pass) {
    return pass.filter(col(KIND).equalTo(ESTIMATE)).select(col(ESTIMATE + ".*"));
  }

  /** The {@code figure} rows of {@link #analyse}, in {@link #FIGURES}. */
  public static Dataset<Row> figureRows(Dataset<Row> pass) {
    return pass.filter(col(KIND).equalTo(FIGURE)).select(col(FIGURE + ".*"));
  }

  /**
   * The {@code outcome} rows of {@link #analyse}, in {@link #OUTCOMES}: none when the quotes
   * carry neither fee nor coupon.
   */
  public static Dataset<Row> outcomes(Dataset<Row> pass) {
    return pass.filter(col(KIND).equalTo(OUTCOME)).select(col(OUTCOME + ".*"));
  }

  /** The {@code placebo} rows of {@link #analyse} (loyal_vs_new only), in {@link #SCHEMA}. */
  public static Dataset<Row> placebo(Dataset<Row> pass) {
    return pass.filter(col(KIND).equalTo(PLACEBO)).select(col(ESTIMATE + ".*"));
  }

  /**
   * The {@code cell} rows of {@link #analyse}: sku_id, currency, one {@code fe_<dimension>}
   * per dimension (null for a segment's own dimension in its cells), n_reference,
   * customers_reference, merchant_id (of the first reference quote in the canonical order),
   * n_compared, customers_compared, comparison, estimate_log, segment, compared, reference.
   */
  public static Dataset<Row> cells(Dataset<Row> pass) {
    return pass.filter(col(KIND).equalTo(CELL)).select(col(CELL + ".*"));
  }

  /** How many estimate and cell rows a pass holds (one small aggregation). */
  public static Counts counts(Dataset<Row> pass) {
    Row r = pass.agg(sum(when(col(KIND).equalTo(ESTIMATE), 1).otherwise(0)),
        sum(when(col(KIND).equalTo(CELL), 1).otherwise(0))).first();
    return new Counts(r.isNullAt(0) ? 0 : r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1));
  }

  /**
   * Only the columns a group reads go through the shuffle, in the narrowest form that gives the
   * same {@link SkuQuotes}: the SKU id and currency once, as the group key ({@link #KEY}); the
   * cohort as its ordinal (a byte); the price alone, whose log {@link SkuRows} takes as Spark's
   * {@code log} does; the level of a dimension whose column holds whole numbers (the time
   * bucket, a quantity) as that number, which {@link SkuRows} writes as text once per distinct
   * value, as {@code cast(... as string)} writes it.
   */
  Dataset<Row> narrow(Dataset<Row> prepared) {
    StructType schema = prepared.schema();
    List<String> present = Arrays.asList(prepared.columns());
    // the quantity only divides a fee or a coupon into amounts per unit
    boolean perUnit = present.contains(Quotes.FEE) || present.contains(Quotes.COUPON);
    List<Column> keep = new ArrayList<>();
    keep.add(concat(col(Quotes.SKU_ID), lit(KEY_SEPARATOR), col(Quotes.CURRENCY)).as(KEY));
    keep.add(cohortOrdinal(col(Derived.COHORT)).as(Derived.COHORT));
    for (String c : List.of(Quotes.CUSTOMER_ID, Quotes.PRICE,
        Quotes.MERCHANT_ID, Derived.PRIOR_PURCHASES, Quotes.LIST_PRICE, Derived.PSEUDO_LOYAL,
        Quotes.QUANTITY, Quotes.FEE, Quotes.COUPON)) {
      if (present.contains(c) && (perUnit || !c.equals(Quotes.QUANTITY))) {
        keep.add(col(c));
      }
    }
    for (String d : analysis.dimensions()) {
      // a dimension's levels are its column as text (ContextFrame#levels)
      boolean whole = present.contains(d) && WHOLE_NUMBERS.contains(schema.apply(d).dataType());
      keep.add(whole ? col(d).cast(DataTypes.LongType).as(Derived.fixedEffect(d))
          : col(Derived.fixedEffect(d)));
    }
    analysis.segments().forEach(g -> keep.add(col(Derived.segment(g.name()))));
    return prepared.select(keep.toArray(Column[]::new));
  }

  /** A cohort code's {@link Cohort} ordinal as a byte; null for anything else. */
  private static Column cohortOrdinal(Column code) {
    Column out = lit(null).cast(DataTypes.ByteType);
    for (Cohort c : Cohort.values()) {
      out = when(code.equalTo(c.code()), lit((byte) c.ordinal())).otherwise(out);
    }
    return out;
  }

  /**
   * The {@link #narrow}ed quotes grouped by a 64-bit hash of their {@link #KEY} (the SKU id,
   * U+0001 and the currency; {@link #skuOf}, {@link #currencyOf}), which {@link #quotes} splits
   * by the key itself: two keys of one hash are two groups still. Spark computes the hash in its
   * generated code, so the rows are not turned into Java objects before the shuffle, and sorts
   * each partition by it as a number (a radix sort), not by the key as text, whose first bytes
   * many SKU ids share.
   */
  static KeyValueGroupedDataset<Long, Row> bySku(Dataset<Row> narrowed) {
    return narrowed.groupBy(xxhash64(col(KEY))).as(Encoders.LONG(),
        Encoders.row(narrowed.schema()));
  }

  /** The SKU id of a {@link #KEY}. */
  static String skuOf(String key) {
    return key.substring(0, key.lastIndexOf(KEY_SEPARATOR));
  }

  /** The currency of a {@link #KEY} (a currency code holds no U+0001). */
  static String currencyOf(String key) {
    return key.substring(key.lastIndexOf(KEY_SEPARATOR) + 1);
  }

  /**
   * The rows of one group of {@link #bySku} as {@link SkuQuotes}, one per key (almost always
   * one), canonicalised, in the order of their keys; none for no rows.
   */
  List<SkuQuotes> quotes(Iterator<Row> rows) {
    return new SkuRows(analysis.dimensions(), analysis.segments()).read(rows);
  }

  private List<Row> passRows(SkuQuotes quotes) {
    SkuAnalysis.Result result = analysis.analyse(quotes);
    List<Row> out = new ArrayList<>();
    result.all().forEach(e -> out.add(RowFactory.create(ESTIMATE, row(e), null, null, null)));
    result.placebo().forEach(e -> out.add(RowFactory.create(PLACEBO, row(e), null, null, null)));
    result.cells().forEach(c -> out.add(RowFactory.create(CELL, null, row(quotes, c), null,
        null)));
    result.figures().forEach(f -> out.add(RowFactory.create(FIGURE, null, null, row(quotes, f),
        null)));
    result.outcomes().forEach(o -> out.add(RowFactory.create(OUTCOME, null, null, null,
        row(o))));
    return out;
  }

  /** An estimate as a row of {@link #SCHEMA}. */
  static Row row(Estimate e) {
    return RowFactory.create(e.skuId(), e.currency(), e.merchantId(), e.merchants(),
        e.contrast().code(), e.nReference(), e.nCompared(), e.customersReference(),
        e.customersCompared(), e.estimateLog(), e.stdErrorLog(), e.degreesOfFreedom(),
        e.pValue(), e.ciLowLog(), e.ciHighLog(), e.mdeLog(), e.upperBoundLog(), e.tested(),
        e.reason() == null ? null : e.reason().code(), e.observations(), e.quotesInSku(),
        e.contrast().segment(), e.contrast().compared(), e.contrast().reference(),
        e.adjustedLog(), e.adjustedLowLog(), e.adjustedHighLog());
  }

  /** A money outcome's estimate as a row of {@link #OUTCOMES}. */
  static Row row(OutcomeEstimate o) {
    Row base = row(o.estimate());
    int parts = PaidFit.Part.values().length;
    Object[] values = new Object[base.length() + 2 + parts];
    for (int i = 0; i < base.length(); i++) {
      values[i] = base.get(i);
    }
    int at = base.length();
    values[at] = o.outcome().code();
    values[at + 1] = Double.isNaN(o.referenceMean()) ? null : o.referenceMean();
    for (int p = 0; p < parts; p++) {
      values[at + 2 + p] = o.split() == null ? null : o.split()[p];
    }
    return RowFactory.create(values);
  }

  private static Row row(SkuQuotes quotes, ExactCells.Cell c) {
    int dims = c.levels().length;
    Object[] values = new Object[2 + dims + 10];
    values[0] = quotes.skuId;
    values[1] = quotes.currency;
    System.arraycopy(c.levels(), 0, values, 2, dims);
    int at = 2 + dims;
    values[at] = c.nReference();
    values[at + 1] = c.customersReference();
    values[at + 2] = c.merchantId();
    values[at + 3] = c.nCompared();
    values[at + 4] = c.customersCompared();
    values[at + 5] = c.contrast().code();
    values[at + 6] = c.estimateLog();
    values[at + 7] = c.contrast().segment();
    values[at + 8] = c.contrast().compared();
    values[at + 9] = c.contrast().reference();
    return RowFactory.create(values);
  }

  /** A figure as a row of {@link #FIGURES}. */
  static Row row(SkuQuotes quotes, SkuFigures.Figure f) {
    scala.collection.immutable.Seq<Object> quantiles = null;
    if (f.quantilesLog() != null) {
      List<Object> qs = new ArrayList<>();
      for (double q : f.quantilesLog()) {
        qs.add(q);
      }
      quantiles = scala.jdk.javaapi.CollectionConverters.asScala(qs).toList();
    }
    return RowFactory.create(quotes.skuId, quotes.currency, f.kind().code(),
        f.cohort() == null ? null : f.cohort().code(), f.dimension(), f.value(),
        f.priorPurchases(), f.meanLog(), f.sdLog(), f.quotes(), f.customers(), quantiles,
        f.comparison() == null ? null : f.comparison().code(), f.listGapLog(),
        f.discountGapLog(), f.customersReference(), f.customersCompared());
  }

  /** The analysis of one SKU's quotes, for the tests that check it against a refit. */
  SkuAnalysis analysis() {
    return analysis;
  }
}
