package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.loyaltypenalty.Columns.Estimates;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.run.DisclosedOffers;
import org.loyaltypenalty.segment.SegmentLevels;
import org.loyaltypenalty.segment.SegmentSpec;
import org.loyaltypenalty.sku.Outcome;
import org.loyaltypenalty.sku.SkuPass;
import org.loyaltypenalty.sku.UntestedReason;
import org.loyaltypenalty.stats.FlagRule;
import org.loyaltypenalty.stats.Inference;

/**
 * The defence of a disclosed offer, checked ({@code offers.disclosed}): a new-user coupon, a
 * published member price or a campaign that was announced to everyone is a lawful reason for
 * new customers to pay less. Every flagged SKU comparison of a SKU where a quote carries a
 * disclosed offer is estimated again without those quotes, by the same per-SKU kernel
 * ({@link SkuPass}) on the same analysed quotes and context: the loyalty cohort's and every
 * segment's comparisons, of the unit price and, with a fee or a coupon, of the money outcomes; an {@code offer_id} the config
 * does not list is personalised and stays in.
 *
 * <p>Every flagged merchant roll-up (of the cohort or of a segment: roll-ups are of the unit
 * price only) that pools a SKU where a quote carries a disclosed offer is pooled again, by the
 * same {@link MerchantRollup#pooled}, over its SKUs' estimates with each such SKU's estimate
 * replaced by its estimate without those quotes. Those SKUs go through the kernel again too,
 * flagged or not on their own: the roll-up without the disclosed quotes is the roll-up of none.
 *
 * <p>A re-estimate is judged by the run's rule ({@link FlagRule#flaggedAt}): significant at
 * the run's Benjamini-Hochberg threshold ({@link FlagRule#rejectionThreshold}: what the step
 * decides with the re-estimate's p-value in place of the original's) and material. A comparison or roll-up it no longer flags, including one that
 * the quotes left can no longer test (a roll-up with no tested SKU left), becomes
 * {@link Status#EXPLAINED_BY_DISCLOSED_OFFER} (reported, not flagged); one it still flags stays
 * a penalty. Both keep the estimate with every quote, and carry the re-estimate in the
 * {@code *_without_disclosed} columns. The family and its q-values are those of the run: the
 * re-estimate is not a new test.
 *
 * <p>Only the SKUs with a disclosed quote that a flagged comparison or a flagged roll-up is made
 * of go through the kernel again: a handful of groups, not a second pass over every SKU.
 */
final class DisclosedOfferCheck {
  private static final String RE = "__re_";
  private static final String TESTED = RE + Estimates.TESTED;
  private static final String REASON = RE + Estimates.UNTESTED_REASON;
  private static final String PCT = RE + Findings.PENALTY_PCT;
  private static final String LOW = RE + Findings.CI_LOW_PCT;
  private static final String HIGH = RE + Findings.CI_HIGH_PCT;
  private static final String P = RE + Findings.P_VALUE;
  private static final String SKU_REESTIMATED = RE + "sku";
  private static final String APPLIES = RE + "applies";
  // a flagged merchant roll-up's key, and its pooling again
  private static final String ROLLUP_MERCHANT = RE + "rollup_merchant";
  private static final String ROLLUP_SEGMENT = RE + "rollup_segment";
  private static final String ROLLUP_COMPARISON = RE + "rollup_comparison";
  private static final String ROLLUP_REESTIMATED = RE + "rollup";
  private static final String ROLLUP_PCT = RE + "rollup_pct";
  private static final String ROLLUP_LOW = RE + "rollup_low";
  private static final String ROLLUP_HIGH = RE + "rollup_high";
  private static final String ROLLUP_P = RE + "rollup_p";
  private static final String ROLLUP_SKUS = RE + "rollup_skus";
  private static final String SKU_MERCHANT = RE + "sku_merchant";
  private static final String REESTIMATED_TEXT =
      "; re-estimated without the quotes carrying a disclosed offer";
  private static final List<String> KEYS =
      List.of(Findings.SKU_ID, Findings.CURRENCY, Findings.SEGMENT, Findings.COMPARISON);

  private final AuditConfig config;
  private final List<String> dimensions;
  private final List<SegmentLevels> segments;
  private final StorageLevel level;

  DisclosedOfferCheck(AuditConfig config, List<String> dimensions, List<SegmentLevels> segments,
      StorageLevel level) {
    this.level = level;
    this.config = config;
    this.dimensions = List.copyOf(dimensions);
    this.segments = List.copyOf(segments);
  }

  /** Whether the run lists a disclosed offer: without one the check does nothing. */
  static boolean active(AuditConfig config) {
    return !config.disclosedOffers().isEmpty();
  }

  /** True where a quote's {@code offer_id} is a disclosed offer; false where it has none. */
  static Column disclosed(AuditConfig config) {
    return coalesce(col(Quotes.OFFER_ID).isin(config.disclosedOffers().toArray()), lit(false));
  }

  /** Aggregates over the analysed quotes: quotes with an offer, quotes with a disclosed one. */
  static List<Column> quoteCounts(AuditConfig config) {
    return List.of(sum(when(col(Quotes.OFFER_ID).isNotNull(), 1L).otherwise(0L)),
        sum(when(disclosed(config), 1L).otherwise(0L)));
  }

  /**
   * The findings and what the check did. The counts are of the loyalty cohort's unit-price
   * comparisons, those the report lists.
   *
   * @param cached what to release once the findings are written (null: nothing)
   * @param reestimated flagged SKU comparisons estimated again
   * @param explained of those, the ones no longer flagged
   * @param rollupsReestimated flagged merchant roll-ups pooled again
   * @param rollupsExplained of those, the ones no longer flagged
   */
  record Checked(Dataset<Row> findings, Dataset<Row> cached, long reestimated, long explained,
      long rollupsReestimated, long rollupsExplained) {
    void release() {
      if (cached != null) {
        cached.unpersist();
      }
    }
  }

  /**
   * A re-estimate's columns, keyed as the findings are: a price estimate's percent is of its log
   * gap, a money outcome's of the reference group's mean total per unit (as the findings have it).
   */
  private static Dataset<Row> reestimates(Dataset<Row> estimates, boolean money) {
    java.util.function.UnaryOperator<Column> pct = money
        ? x -> when(col(Findings.REFERENCE_MEAN).gt(0),
            x.multiply(100).divide(col(Findings.REFERENCE_MEAN)))
        : Inference::percent;
    return estimates.select(
        col(Quotes.SKU_ID).as(Findings.SKU_ID), col(Quotes.CURRENCY).as(Findings.CURRENCY),
        col(Findings.SEGMENT), col(Findings.COMPARISON),
        (money ? col(Findings.OUTCOME) : lit(Outcome.PRICE.code())).as(Findings.OUTCOME),
        col(Estimates.TESTED).as(TESTED), col(Estimates.UNTESTED_REASON).as(REASON),
        pct.apply(col(Findings.ESTIMATE_LOG)).as(PCT),
        pct.apply(col(Estimates.CI_LOW_LOG)).as(LOW),
        pct.apply(col(Estimates.CI_HIGH_LOG)).as(HIGH),
        col(Findings.P_VALUE).as(P));
  }

  /**
   * The findings ({@link FindingsBuilder#build}) with each flagged SKU comparison of a SKU that
   * has a disclosed quote re-estimated without those quotes, and each flagged merchant roll-up
   * that pools such a SKU pooled again over the SKU estimates without them; each judged again.
   *
   * @param analysed the analysed quotes the findings were estimated from, with {@code offer_id}
   * @param skuEstimates the estimates the findings' SKU rows and merchant roll-ups were made of
   *     ({@link SkuPass#estimates})
   */
  Checked check(Dataset<Row> findings, Dataset<Row> analysed, Dataset<Row> skuEstimates) {
    FlagRule rule = config.flagRule();
    Row threshold = findings.agg(rule.rejectionThreshold(col(Findings.Q_VALUE),
        col(Findings.P_VALUE))).first();
    Dataset<Row> flaggedSkus = findings
        .filter(col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED)))
        .select(col(Findings.SKU_ID), col(Findings.CURRENCY));
    // a flagged roll-up is re-estimated without every disclosed quote of the SKUs it pools
    Dataset<Row> flaggedRollups = findings
        .filter(col(Findings.LEVEL).equalTo("merchant").and(col(Findings.FLAGGED)))
        .select(col(Findings.MERCHANT_ID).as(ROLLUP_MERCHANT),
            col(Findings.SEGMENT).as(ROLLUP_SEGMENT),
            col(Findings.COMPARISON).as(ROLLUP_COMPARISON));
    Dataset<Row> pooledSkus = skuEstimates.filter(col(Estimates.TESTED))
        .join(flaggedRollups, pooledUnder(), "left_semi")
        .select(col(Quotes.SKU_ID), col(Quotes.CURRENCY));
    Dataset<Row> skus = flaggedSkus.union(pooledSkus).distinct()
        .join(analysed.filter(disclosed(config)).select(col(Quotes.SKU_ID), col(Quotes.CURRENCY))
            .distinct(), skuKeys(), "left_semi");
    List<Row> keys = skus.collectAsList();
    if (threshold.isNullAt(0) || keys.isEmpty()) {
      return new Checked(findings, null, 0, 0, 0, 0);
    }
    double pThreshold = threshold.getDouble(0);
    Dataset<Row> reestimated = broadcast(analysed.sparkSession()
        .createDataFrame(keys, skus.schema()).withColumn(SKU_REESTIMATED, lit(true)));
    Dataset<Row> kept = analysed.join(reestimated, skuKeys(), "left_semi")
        .filter(functions.not(disclosed(config)));
    // the price and, when the quotes carry a fee or a coupon, the money outcomes, again
    // persisted: the price and the money rows and the roll-ups are all read from this one run
    // of the kernel
    Dataset<Row> pass = new SkuPass(config, dimensions, segments).analyse(kept).persist(level);
    Dataset<Row> again = reestimates(SkuPass.estimates(pass), false)
        .unionByName(reestimates(SkuPass.outcomes(pass), true));
    Dataset<Row> rollups = broadcast(rollupsAgain(skuEstimates, SkuPass.estimates(pass),
        reestimated, flaggedRollups));
    List<String> joinKeys = new java.util.ArrayList<>(KEYS);
    joinKeys.add(Findings.OUTCOME);
    Column merchantRow = col(Findings.LEVEL).equalTo("merchant");
    Dataset<Row> joined = findings
        .join(reestimated, skuKeys(), "left")
        .join(again, seq(joinKeys), "left")
        .join(rollups, merchantRow.and(col(Findings.MERCHANT_ID).eqNullSafe(col(ROLLUP_MERCHANT)))
            .and(col(Findings.SEGMENT).equalTo(col(ROLLUP_SEGMENT)))
            .and(col(Findings.COMPARISON).equalTo(col(ROLLUP_COMPARISON))), "left");
    // a flagged comparison of a SKU re-estimated; without a row of its own, no quote of it is left
    Column skuApplies = col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED))
        .and(coalesce(col(SKU_REESTIMATED), lit(false)));
    // a flagged roll-up pooling a SKU re-estimated; without a pooled row, no tested SKU is left
    Column rollupApplies = merchantRow.and(col(Findings.FLAGGED))
        .and(coalesce(col(ROLLUP_REESTIMATED), lit(false)));
    Column applies = skuApplies.or(rollupApplies);
    Column pct = when(merchantRow, col(ROLLUP_PCT)).otherwise(col(PCT));
    Column low = when(merchantRow, col(ROLLUP_LOW)).otherwise(col(LOW));
    Column high = when(merchantRow, col(ROLLUP_HIGH)).otherwise(col(HIGH));
    Column p = when(merchantRow, col(ROLLUP_P)).otherwise(col(P));
    Column explained = applies.and(rule.flaggedAt(pThreshold, p, pct).equalTo(false));
    joined = joined
        .withColumn(APPLIES, applies)
        .withColumn(Findings.CONTEXT, when(skuApplies, concat(col(Findings.CONTEXT),
            lit(REESTIMATED_TEXT), reasonText(col(TESTED), col(REASON))))
            .when(rollupApplies, concat(col(Findings.CONTEXT), lit(REESTIMATED_TEXT),
                when(col(ROLLUP_SKUS).isNull(), lit(": no tested SKU is left"))
                    .otherwise(concat(lit(": pooled again over "),
                        col(ROLLUP_SKUS).cast(DataTypes.StringType), lit(" tested SKUs")))))
            .otherwise(col(Findings.CONTEXT)))
        .withColumn(Findings.PENALTY_PCT_WITHOUT_DISCLOSED, when(applies, pct))
        .withColumn(Findings.CI_LOW_PCT_WITHOUT_DISCLOSED, when(applies, low))
        .withColumn(Findings.CI_HIGH_PCT_WITHOUT_DISCLOSED, when(applies, high))
        .withColumn(Findings.P_VALUE_WITHOUT_DISCLOSED, when(applies, p))
        .withColumn(Findings.STATUS, when(explained,
            lit(Status.EXPLAINED_BY_DISCLOSED_OFFER.code())).otherwise(col(Findings.STATUS)))
        .withColumn(Findings.FLAGGED, col(Findings.FLAGGED).and(explained.equalTo(false)))
        .select(java.util.stream.Stream.concat(java.util.Arrays.stream(findings.columns()),
            java.util.stream.Stream.of(APPLIES)).map(c -> col(c)).toArray(Column[]::new))
        .persist(level);
    // the counts are of what the report lists: the loyalty cohort's unit-price comparisons,
    // SKU rows and merchant roll-ups
    Column listed = col(Findings.SEGMENT).equalTo(SegmentSpec.COHORT)
        .and(col(Findings.OUTCOME).equalTo(Outcome.PRICE.code()));
    Column isExplained = col(Findings.STATUS).equalTo(Status.EXPLAINED_BY_DISCLOSED_OFFER.code());
    Column skuRow = col(Findings.LEVEL).equalTo("sku");
    Row counts = joined.agg(
        sum(when(col(APPLIES).and(listed).and(skuRow), 1L).otherwise(0L)),
        sum(when(listed.and(skuRow).and(isExplained), 1L).otherwise(0L)),
        sum(when(col(APPLIES).and(listed).and(merchantRow), 1L).otherwise(0L)),
        sum(when(listed.and(merchantRow).and(isExplained), 1L).otherwise(0L))).first();
    // the counts materialised the persisted result: the pass is no longer read
    pass.unpersist();
    return new Checked(joined.drop(APPLIES), joined, longAt(counts, 0), longAt(counts, 1),
        longAt(counts, 2), longAt(counts, 3));
  }

  /**
   * Each flagged merchant roll-up that pools a re-estimated SKU, keyed by {@link
   * #ROLLUP_MERCHANT}, {@link #ROLLUP_SEGMENT} and {@link #ROLLUP_COMPARISON}, pooled again by
   * {@link MerchantRollup#pooled} over the SKU estimates with each re-estimated SKU's rows
   * replaced by its estimates without the disclosed quotes (a SKU that those leave untested, or
   * without a row, drops out of the pool); its percent and p-value null when no tested SKU is
   * left. A re-estimated comparison pools under the merchant its row pooled under with every
   * quote.
   *
   * @param estimates the run's SKU estimates
   * @param again the re-estimated SKUs' estimates without the disclosed quotes
   * @param reestimated the re-estimated SKUs' keys
   * @param flaggedRollups the flagged roll-ups' keys
   */
  private Dataset<Row> rollupsAgain(Dataset<Row> estimates, Dataset<Row> again,
      Dataset<Row> reestimated, Dataset<Row> flaggedRollups) {
    Dataset<Row> affected = flaggedRollups
        .join(estimates.filter(col(Estimates.TESTED)).join(reestimated, skuKeys(), "left_semi"),
            pooledUnder(), "left_semi")
        .withColumn(ROLLUP_REESTIMATED, lit(true));
    // the merchant of each comparison's own row: a segment's rows are of the quotes whose level
    // is known, and those may have one merchant where the SKU has several
    Dataset<Row> merchantOf = estimates.select(col(Findings.SKU_ID), col(Findings.CURRENCY),
        col(Findings.SEGMENT), col(Findings.COMPARISON), col(Quotes.MERCHANT_ID).as(SKU_MERCHANT));
    Dataset<Row> replaced = again.join(merchantOf,
            seq(KEYS))
        .withColumn(Quotes.MERCHANT_ID, col(SKU_MERCHANT)).drop(SKU_MERCHANT);
    Dataset<Row> pooled = new MerchantRollup(config).pooled(
        estimates.join(reestimated, skuKeys(), "left_anti").unionByName(replaced)
            .join(broadcast(affected), pooledUnder(), "left_semi"));
    return affected.join(pooled, col(ROLLUP_MERCHANT).eqNullSafe(col(Findings.MERCHANT_ID))
            .and(col(ROLLUP_SEGMENT).equalTo(col(Findings.SEGMENT)))
            .and(col(ROLLUP_COMPARISON).equalTo(col(Findings.COMPARISON))), "left")
        .select(col(ROLLUP_MERCHANT), col(ROLLUP_SEGMENT), col(ROLLUP_COMPARISON),
            col(ROLLUP_REESTIMATED),
            Inference.percent(col(Findings.ESTIMATE_LOG)).as(ROLLUP_PCT),
            Inference.percent(col(Estimates.CI_LOW_LOG)).as(ROLLUP_LOW),
            Inference.percent(col(Estimates.CI_HIGH_LOG)).as(ROLLUP_HIGH),
            col(Findings.P_VALUE).as(ROLLUP_P),
            col(MerchantRollup.SKUS_POOLED).as(ROLLUP_SKUS));
  }

  /** An estimate row pooled under a flagged roll-up's key (merchant, segment, comparison). */
  private static Column pooledUnder() {
    return col(Quotes.MERCHANT_ID).eqNullSafe(col(ROLLUP_MERCHANT))
        .and(col(Findings.SEGMENT).equalTo(col(ROLLUP_SEGMENT)))
        .and(col(Findings.COMPARISON).equalTo(col(ROLLUP_COMPARISON)));
  }

  private static long longAt(Row row, int index) {
    return row.isNullAt(index) ? 0 : row.getLong(index);
  }

  private static scala.collection.immutable.Seq<String> skuKeys() {
    return seq(Quotes.SKU_ID, Quotes.CURRENCY);
  }

  /** What the manifest and the report data say of the check. */
  DisclosedOffers summary(long quotesWithOffer, long quotesWithDisclosedOffer, Checked checked) {
    return new DisclosedOffers(List.copyOf(config.disclosedOffers()), quotesWithOffer,
        quotesWithDisclosedOffer, checked.reestimated(), checked.explained(),
        checked.rollupsReestimated(), checked.rollupsExplained());
  }

  /**
   * ": the quotes left cannot be tested, why" for an untested re-estimate, ": no quote of it is
   * left" for none; else empty.
   */
  private Column reasonText(Column tested, Column reason) {
    FindingsBuilder words = new FindingsBuilder(config, dimensions);
    Column text = when(tested.isNull(), lit(": no quote of it is left")).otherwise(lit(""));
    for (UntestedReason r : UntestedReason.values()) {
      text = when(reason.equalTo(r.code()),
          lit(": the quotes left cannot be tested, " + words.describe(r))).otherwise(text);
    }
    return text;
  }
}
