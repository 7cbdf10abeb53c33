package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Estimates;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.segment.SegmentSpec;
import org.loyaltypenalty.sku.SkuPass;
import org.loyaltypenalty.stats.Inference;
import org.loyaltypenalty.stats.RandomEffectsMeta;

/**
 * Merchant roll-ups: for each merchant and comparison, the tested SKU estimates of that merchant
 * pooled by {@link RandomEffectsMeta} (a typical penalty across its SKUs, allowing them to
 * differ), with a one-sided z-test. SKUs sold by several merchants, and inputs with no merchant
 * column, roll up under a null merchant id (the platform as a whole).
 *
 * <p>Quote counts are summed over the pooled SKUs' estimation samples; customer counts are the
 * distinct customers of each side over the analysed quotes of the same pooled SKUs (a customer
 * who quoted several of them counts once; quotes that the fits dropped as the only quote of
 * their context count here), so both describe the SKUs the estimate pools.
 */
public final class MerchantRollup implements Serializable {
  /**
   * The tested SKU comparisons are joined to the quotes without moving the quotes (broadcast)
   * up to this many; beyond it (a catalogue of hundreds of thousands of SKUs) they are shuffled.
   */
  private static final long BROADCAST_ROWS = 1_000_000;
  public static final String METHOD = "random_effects_meta_dersimonian_laird";
  /** Column: the number of tested SKUs pooled. */
  public static final String SKUS_POOLED = "skus_pooled";
  /** Column: the between-SKU standard deviation of the log penalty. */
  public static final String TAU = "tau";

  static final StructType SCHEMA = new StructType()
      .add(Findings.MERCHANT_ID, DataTypes.StringType)
      .add(Findings.SEGMENT, DataTypes.StringType)
      .add(Findings.COMPARISON, DataTypes.StringType)
      .add(Findings.COMPARED, DataTypes.StringType)
      .add(Findings.REFERENCE, DataTypes.StringType)
      .add(Findings.N_REFERENCE, DataTypes.LongType)
      .add(Findings.N_COMPARED, DataTypes.LongType)
      .add(Findings.ESTIMATE_LOG, DataTypes.DoubleType)
      .add(Findings.STD_ERROR_LOG, DataTypes.DoubleType)
      .add(Findings.P_VALUE, DataTypes.DoubleType)
      .add(Estimates.CI_LOW_LOG, DataTypes.DoubleType)
      .add(Estimates.CI_HIGH_LOG, DataTypes.DoubleType)
      .add(Estimates.MDE_LOG, DataTypes.DoubleType)
      .add(Estimates.UPPER_BOUND_LOG, DataTypes.DoubleType)
      .add(SKUS_POOLED, DataTypes.IntegerType)
      .add(TAU, DataTypes.DoubleType);

  private static final String ROLLUP = "__rollup";
  private static final String ROLLUP_MERCHANT = "__rollup_merchant";
  private static final String ROLLUP_SEGMENT = "__rollup_segment";
  private static final String ROLLUP_COMPARISON = "__rollup_comparison";
  private static final StructType ROLLUPS = new StructType()
      .add(ROLLUP_MERCHANT, DataTypes.StringType)
      .add(ROLLUP_SEGMENT, DataTypes.StringType)
      .add(ROLLUP_COMPARISON, DataTypes.StringType)
      .add(ROLLUP, DataTypes.IntegerType);

  private final double confidence;
  private final double alpha;

  public MerchantRollup(AuditConfig config) {
    this.confidence = config.confidence();
    this.alpha = config.fdrQ();
  }

  /** The roll-ups of the loyalty cohort's comparisons only (no segment configured). */
  public Dataset<Row> rollUp(Dataset<Row> skuEstimates, Dataset<Row> prepared) {
    return rollUp(skuEstimates, prepared, List.of());
  }

  /**
   * @param skuEstimates {@link SkuPass#estimates}
   * @param prepared the analysed quotes, for the distinct customers of the pooled SKUs: their
   *     cohort and the {@link Derived#segment} column of each segment in {@code segments}
   * @param segments the configured segments' names
   */
  public Dataset<Row> rollUp(Dataset<Row> skuEstimates, Dataset<Row> prepared,
      List<String> segments) {
    Dataset<Row> tested = skuEstimates.filter(col(Estimates.TESTED));
    Dataset<Row> pooled = pooled(skuEstimates);
    // distinct customers of each side over the analysed quotes of the pooled SKUs (a SKU pools
    // under its single merchant, or null); n_reference and n_compared sum the quotes each fit
    // kept, so a customer whose only quote was a context no other quote shares counts here alone
    Dataset<Row> pooledSkus = tested.select(
        col(Quotes.MERCHANT_ID).as("__m"), col(Quotes.SKU_ID), col(Quotes.CURRENCY),
        col(Findings.SEGMENT), col(Findings.COMPARISON), col(Findings.COMPARED),
        col(Findings.REFERENCE));
    // one row per quote and segment: the quote's level in it (null: unknown, on no side);
    // without segments, the quote's cohort alone, with no array built and exploded per quote
    Dataset<Row> quoteLevels;
    if (segments.isEmpty()) {
      quoteLevels = prepared.select(col(Quotes.SKU_ID), col(Quotes.CURRENCY),
          col(Quotes.CUSTOMER_ID), lit(SegmentSpec.COHORT).as(Findings.SEGMENT),
          col(Derived.COHORT).as("__level"));
    } else {
      List<Column> levels = new ArrayList<>();
      levels.add(struct(lit(SegmentSpec.COHORT).as(Findings.SEGMENT),
          col(Derived.COHORT).as("__level")));
      for (String name : segments) {
        levels.add(struct(lit(name).as(Findings.SEGMENT),
            col(Derived.segment(name)).as("__level")));
      }
      quoteLevels = prepared
          .select(col(Quotes.SKU_ID), col(Quotes.CURRENCY), col(Quotes.CUSTOMER_ID),
              explode(array(levels.toArray(Column[]::new))).as("__s"))
          .select(col(Quotes.SKU_ID), col(Quotes.CURRENCY), col(Quotes.CUSTOMER_ID),
              col("__s." + Findings.SEGMENT).as(Findings.SEGMENT),
              col("__s.__level").as("__level"));
    }
    // each roll-up numbered: the distinct customers are keyed by its number and the side, not
    // by the merchant, segment and comparison as text, hashed and copied once per quote
    Dataset<Row> numbered = numbered(pooledSkus);
    Dataset<Row> keyed = pooledSkus
        .join(numbered, sameRollup(col("__m")))
        .select(col(Quotes.SKU_ID), col(Quotes.CURRENCY), col(Findings.SEGMENT),
            col(Findings.COMPARED), col(Findings.REFERENCE), col(ROLLUP));
    Dataset<Row> sides = quoteLevels
        .join(pooledSkus.count() <= BROADCAST_ROWS ? broadcast(keyed) : keyed,
            seq(Quotes.SKU_ID, Quotes.CURRENCY, Findings.SEGMENT))
        .filter(col("__level").equalTo(col(Findings.REFERENCE))
            .or(col("__level").equalTo(col(Findings.COMPARED))))
        // the side as a flag (true: compared), not a word
        .withColumn("__compared", col("__level").equalTo(col(Findings.COMPARED)));
    // each customer once per side, then counted: one shuffle of the distinct customers instead
    // of two distinct aggregates over every quote
    Dataset<Row> customers = sides.select(col(ROLLUP), col("__compared"), col(Quotes.CUSTOMER_ID))
        .distinct()
        .groupBy(col(ROLLUP))
        .agg(sum(when(col("__compared"), 0).otherwise(1)).as(Findings.CUSTOMERS_REFERENCE),
            sum(when(col("__compared"), 1).otherwise(0)).as(Findings.CUSTOMERS_COMPARED))
        .join(numbered, ROLLUP)
        .drop(ROLLUP);
    return pooled.join(customers, sameRollup(col(Findings.MERCHANT_ID)), "left")
        .drop(ROLLUP_MERCHANT, ROLLUP_SEGMENT, ROLLUP_COMPARISON);
  }

  /**
   * Rows of one roll-up with a row of {@link #numbered}: the same merchant (null: the platform),
   * segment and comparison.
   */
  private static Column sameRollup(Column merchant) {
    return merchant.eqNullSafe(col(ROLLUP_MERCHANT))
        .and(col(Findings.SEGMENT).equalTo(col(ROLLUP_SEGMENT)))
        .and(col(Findings.COMPARISON).equalTo(col(ROLLUP_COMPARISON)));
  }

  /**
   * The roll-ups of {@code pooledSkus} (merchant {@code __m}, segment, comparison), each once
   * with a number: as many rows as the roll-ups themselves, which the report reads on the
   * driver too ({@link FindingsViews#pooling}). One small job; broadcast to the joins up to
   * {@link #BROADCAST_ROWS} roll-ups.
   */
  private static Dataset<Row> numbered(Dataset<Row> pooledSkus) {
    List<Row> rollups = new ArrayList<>();
    for (Row r : pooledSkus.select(col("__m"), col(Findings.SEGMENT), col(Findings.COMPARISON))
        .distinct().collectAsList()) {
      rollups.add(RowFactory.create(r.get(0), r.get(1), r.get(2), rollups.size()));
    }
    Dataset<Row> numbered = pooledSkus.sparkSession().createDataFrame(rollups, ROLLUPS);
    return rollups.size() <= BROADCAST_ROWS ? broadcast(numbered) : numbered;
  }

  /**
   * The pooled estimate of each merchant and comparison, in {@link #SCHEMA} (without the
   * customer counts {@link #rollUp} adds): the tested rows of {@code skuEstimates} grouped by
   * merchant (null: the platform), segment and comparison. A group with no tested SKU has no
   * row.
   *
   * @param skuEstimates rows in the schema of {@link SkuPass#estimates}
   */
  Dataset<Row> pooled(Dataset<Row> skuEstimates) {
    Dataset<Row> tested = skuEstimates.filter(col(Estimates.TESTED));
    int merchant = tested.schema().fieldIndex(Quotes.MERCHANT_ID);
    int segment = tested.schema().fieldIndex(Findings.SEGMENT);
    int comparison = tested.schema().fieldIndex(Findings.COMPARISON);
    return tested
        .groupByKey((MapFunction<Row, String>) r ->
                (r.isNullAt(merchant) ? "" : "m" + r.getString(merchant)) + '\u0001'
                    + r.getString(segment) + '\u0001' + r.getString(comparison),
            Encoders.STRING())
        .mapGroups((MapGroupsFunction<String, Row, Row>) (k, rows) -> pool(rows),
            Encoders.row(SCHEMA));
  }

  /**
   * Pools one merchant's SKU estimates of one comparison, taken in order of (estimate,
   * variance): the pooled sums then do not depend on the order in which the shuffle delivered
   * them (floating-point sums depend on the order of their terms), and ties are
   * interchangeable.
   */
  private Row pool(Iterator<Row> rows) {
    List<double[]> studies = new ArrayList<>();
    String merchant = null;
    String segment = null;
    String comparison = null;
    String compared = null;
    String reference = null;
    long nRef = 0;
    long nCmp = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      merchant = r.getAs(Quotes.MERCHANT_ID);
      segment = r.getAs(Findings.SEGMENT);
      comparison = r.getAs(Findings.COMPARISON);
      compared = r.getAs(Findings.COMPARED);
      reference = r.getAs(Findings.REFERENCE);
      double se = r.<Double>getAs(Findings.STD_ERROR_LOG);
      studies.add(new double[] {r.<Double>getAs(Findings.ESTIMATE_LOG), se * se});
      nRef += r.<Long>getAs(Findings.N_REFERENCE);
      nCmp += r.<Long>getAs(Findings.N_COMPARED);
    }
    studies.sort(java.util.Comparator.<double[]>comparingDouble(e -> e[0])
        .thenComparingDouble(e -> e[1]));
    RandomEffectsMeta.Pooled p = RandomEffectsMeta.pool(
        studies.stream().mapToDouble(e -> e[0]).toArray(),
        studies.stream().mapToDouble(e -> e[1]).toArray());
    double pValue = Inference.oneSidedPenaltyP(p.estimate(), p.stdError(), Double.POSITIVE_INFINITY);
    double[] ci = Inference.interval(p.estimate(), p.stdError(), Double.POSITIVE_INFINITY, confidence);
    double infinite = Double.POSITIVE_INFINITY;
    return RowFactory.create(merchant, segment, comparison, compared, reference, nRef, nCmp, p.estimate(), p.stdError(), pValue,
        ci[0], ci[1], Inference.minimumDetectable(p.stdError(), infinite, alpha),
        Inference.upperBound(p.estimate(), p.stdError(), infinite, confidence), p.studies(),
        Math.sqrt(p.tauSquared()));
  }
}
