package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
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
 * <p>The re-estimate is judged by the run's rule ({@link FlagRule#flaggedAt}): significant at
 * the run's Benjamini-Hochberg threshold (p at or under the largest p-value the step rejected in
 * the run's family) and material. A comparison it no longer flags, including one that the quotes
 * left can no longer test, becomes {@link Status#EXPLAINED_BY_DISCLOSED_OFFER} (reported, not
 * flagged); one it still flags stays a penalty. Both keep the estimate with every quote, and
 * carry the re-estimate in the {@code *_without_disclosed} columns. The family, its q-values and
 * the merchant roll-ups are those of the run: the re-estimate is not a new test.
 *
 * <p>Only the SKUs with a flagged comparison and a disclosed quote go through the kernel again:
 * a handful of groups, not a second pass over every SKU.
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
   * The findings and what the check did.
   *
   * @param cached what to release once the findings are written (null: nothing)
   */
  record Checked(Dataset<Row> findings, Dataset<Row> cached, long reestimated, long explained) {
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
   * has a disclosed quote re-estimated without those quotes and judged again.
   *
   * @param analysed the analysed quotes the findings were estimated from, with {@code offer_id}
   */
  Checked check(Dataset<Row> findings, Dataset<Row> analysed) {
    FlagRule rule = config.flagRule();
    Row threshold = findings.agg(rule.rejectionThreshold(col(Findings.Q_VALUE),
        col(Findings.P_VALUE))).first();
    Dataset<Row> flaggedSkus = findings
        .filter(col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED)))
        .select(col(Findings.SKU_ID), col(Findings.CURRENCY)).distinct();
    Dataset<Row> skus = flaggedSkus.join(analysed.filter(disclosed(config))
            .select(col(Quotes.SKU_ID), col(Quotes.CURRENCY)).distinct(), skuKeys(), "left_semi");
    List<Row> keys = skus.collectAsList();
    if (threshold.isNullAt(0) || keys.isEmpty()) {
      return new Checked(findings, null, 0, 0);
    }
    double pThreshold = threshold.getDouble(0);
    Dataset<Row> reestimated = broadcast(analysed.sparkSession()
        .createDataFrame(keys, skus.schema()).withColumn(SKU_REESTIMATED, lit(true)));
    Dataset<Row> kept = analysed.join(reestimated, skuKeys(), "left_semi")
        .filter(functions.not(disclosed(config)));
    // the price and, when the quotes carry a fee or a coupon, the money outcomes, again
    // persisted: the price and the money rows are both read from this one run of the kernel
    Dataset<Row> pass = new SkuPass(config, dimensions, segments).analyse(kept).persist(level);
    Dataset<Row> again = reestimates(SkuPass.estimates(pass), false)
        .unionByName(reestimates(SkuPass.outcomes(pass), true));
    List<String> joinKeys = new java.util.ArrayList<>(KEYS);
    joinKeys.add(Findings.OUTCOME);
    Dataset<Row> joined = findings
        .join(reestimated, skuKeys(), "left")
        .join(again, scala.jdk.javaapi.CollectionConverters.asScala(joinKeys).toList(), "left");
    // a flagged comparison of a SKU re-estimated; without a row of its own, no quote of it is left
    Column applies = col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED))
        .and(coalesce(col(SKU_REESTIMATED), lit(false)));
    Column explained = applies.and(rule.flaggedAt(pThreshold, col(P), col(PCT)).equalTo(false));
    joined = joined
        .withColumn(APPLIES, applies)
        .withColumn(Findings.CONTEXT, when(applies, concat(col(Findings.CONTEXT),
            lit("; re-estimated without the quotes carrying a disclosed offer"),
            reasonText(col(TESTED), col(REASON)))).otherwise(col(Findings.CONTEXT)))
        .withColumn(Findings.PENALTY_PCT_WITHOUT_DISCLOSED, when(applies, col(PCT)))
        .withColumn(Findings.CI_LOW_PCT_WITHOUT_DISCLOSED, when(applies, col(LOW)))
        .withColumn(Findings.CI_HIGH_PCT_WITHOUT_DISCLOSED, when(applies, col(HIGH)))
        .withColumn(Findings.P_VALUE_WITHOUT_DISCLOSED, when(applies, col(P)))
        .withColumn(Findings.STATUS, when(explained,
            lit(Status.EXPLAINED_BY_DISCLOSED_OFFER.code())).otherwise(col(Findings.STATUS)))
        .withColumn(Findings.FLAGGED, col(Findings.FLAGGED).and(explained.equalTo(false)))
        .select(java.util.stream.Stream.concat(java.util.Arrays.stream(findings.columns()),
            java.util.stream.Stream.of(APPLIES)).map(c -> col(c)).toArray(Column[]::new))
        .persist(level);
    // the counts are of what the report lists: the loyalty cohort's unit-price comparisons
    Column listed = col(Findings.SEGMENT).equalTo(SegmentSpec.COHORT)
        .and(col(Findings.OUTCOME).equalTo(Outcome.PRICE.code()));
    Row counts = joined.agg(sum(when(col(APPLIES).and(listed), 1L).otherwise(0L)),
        sum(when(listed.and(col(Findings.STATUS)
            .equalTo(Status.EXPLAINED_BY_DISCLOSED_OFFER.code())), 1L).otherwise(0L))).first();
    // the counts materialised the persisted result: the pass is no longer read
    pass.unpersist();
    return new Checked(joined.drop(APPLIES), joined, counts.isNullAt(0) ? 0 : counts.getLong(0),
        counts.isNullAt(1) ? 0 : counts.getLong(1));
  }

  private static scala.collection.immutable.Seq<String> skuKeys() {
    return scala.jdk.javaapi.CollectionConverters.asScala(
        List.of(Quotes.SKU_ID, Quotes.CURRENCY)).toList();
  }

  /** What the manifest and the report data say of the check. */
  DisclosedOffers summary(long quotesWithOffer, long quotesWithDisclosedOffer, Checked checked) {
    return new DisclosedOffers(List.copyOf(config.disclosedOffers()), quotesWithOffer,
        quotesWithDisclosedOffer, checked.reestimated(), checked.explained());
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
