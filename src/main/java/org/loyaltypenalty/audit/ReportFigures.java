package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Estimates;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.run.RunFigures;
import org.loyaltypenalty.sku.SkuPass;
import org.loyaltypenalty.spark.Concurrently;
import org.loyaltypenalty.spark.Sessions;
import org.loyaltypenalty.stats.Inference;

/**
 * The aggregates behind the report's figures and headline, computed in Spark over the analysed
 * quotes of the flagged SKUs only; the driver receives a few rows per flagged SKU.
 *
 * <p><b>Price with the context removed.</b> For the flagged SKUs with figures, each quote's
 * log price minus the context effects of the SKU's own fixed-effects fit (the same fit as the
 * test: time bucket and every context column absorbed): its residual plus its cohort's
 * coefficient ({@code SkuFigures}), computed by the per-SKU pass from the
 * fit it tests with, for every SKU that could be flagged ({@link SkuPass#figureRows}):
 * no SKU is fitted twice. New customers average exactly 0, each compared cohort exactly its
 * estimate; the quantiles show the spread behind the estimate
 * and the means by prior purchases show whether the price rises with tenure ("price walking").
 * Reported as {@code 100 (e^r - 1)} percent. Tenure intervals use {@code sd / sqrt(customers)}:
 * quotes of one customer are not independent, so customers, not quotes, are the sample size.
 *
 * <p><b>List price versus discount.</b> When quotes carry {@code list_price},
 * {@code log p = log list + log(p / list)}; the fixed-effects fit is linear in the response, so
 * fitting each part with the same design splits the SKU's estimate exactly into a list-price
 * part and a personalised-discount part.
 *
 * <p><b>Overcharge.</b> For a flagged SKU comparison with log estimate {@code b} and standard
 * error {@code se}, the compared cohort paid {@code P} (sum of price x quantity over its purchased
 * quotes, or over all its quotes when the input has no purchase flag). Had it paid the new-
 * customer price it would have paid {@code P e^-b}; the overcharge is {@code O = P (1 - e^-b)}.
 * Its standard error by the delta method is {@code P e^-b se}; SKUs are estimated independently,
 * so across SKUs the variances add; the repeat and loyal comparisons of one SKU share its new
 * customers and are positively correlated, so their standard errors are added first (the
 * correlation taken as 1: conservative): per currency {@code Var = sum over SKUs (sum over the
 * SKU's comparisons of P e^-b se)^2}.
 */
public final class ReportFigures {

  /**
   * Each price x quantity rounded to 1e-9 of a currency unit before it is summed: decimal sums
   * are exact, so the total paid does not depend on the order the shuffle delivers the quotes
   * in (a double sum would, in its last digits). Amounts beyond this type's range (above
   * 1e29) fall back to the double sum.
   */
  private static final String PAID_DECIMAL = "decimal(38,9)";

  private final AuditConfig config;

  public ReportFigures(AuditConfig config) {
    this.config = config;
  }

  /**
   * @param analysed the analysed quotes (cohort assigned, not censored, context columns)
   * @param findings the run's findings table
   * @param flaggedFindings the flagged SKU rows of the same findings, the same segments and
   *     outcomes ({@link FindingsViews#flaggedSkus} so filtered, held on the driver: joined to
   *     the quotes without a job of their own)
   * @param skuEstimates {@link SkuPass#estimates} of the run
   * @param figureRows {@link SkuPass#figureRows} of the same pass: figures of every
   *     SKU that could be flagged
   * @return the overcharge (per flagged SKU comparison), the quotes and distinct customers of the
   *     compared cohorts on flagged SKUs, the coverage, and the distributions, tenure, where it
   *     holds and list-versus-discount figures of the {@code report.figure_skus} largest
   *     flagged penalties
   */
  public RunFigures compute(Dataset<Row> analysed, Dataset<Row> findings,
      Dataset<Row> flaggedFindings, Dataset<Row> skuEstimates, Dataset<Row> figureRows) {
    Dataset<Row> flagged = flaggedFindings
        .filter(col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED)))
        .select(col(Findings.SKU_ID).as(Quotes.SKU_ID), col(Findings.CURRENCY).as(Quotes.CURRENCY),
            col(Findings.COMPARISON), col(Findings.ESTIMATE_LOG), col(Findings.STD_ERROR_LOG),
            col(Findings.PENALTY_PCT), col(Findings.CUSTOMERS_REFERENCE),
            col(Findings.CUSTOMERS_COMPARED));
    List<String> columns = List.of(analysed.columns());

    // what the compared cohort paid on each flagged SKU, and the overcharge
    Column quantity = columns.contains(Quotes.QUANTITY)
        ? org.apache.spark.sql.functions.coalesce(col(Quotes.QUANTITY).cast("double"), lit(1.0))
        : lit(1.0);
    Column purchased = columns.contains(Quotes.PURCHASED)
        ? org.apache.spark.sql.functions.coalesce(col(Quotes.PURCHASED), lit(false)) : lit(true);
    String paidBasis = columns.contains(Quotes.PURCHASED)
        ? RunFigures.PURCHASED : RunFigures.ALL_QUOTES;
    Parts parts = new Parts();
    // four groups of queries that do not depend on each other, at the same time
    Concurrently.run(
        () -> parts.paid = paid(analysed, findings, flagged, purchased, quantity),
        () -> parts.affected = affected(FindingsViews.onSkusOf(analysed, flaggedFindings),
            flagged),
        () -> parts.coverage = coverage(skuEstimates),
        () -> parts.charts = charts(flagged, skuEstimates, figureRows));
    Charts c = parts.charts;
    return new RunFigures(paidBasis, parts.paid.overcharge(), parts.affected,
        parts.paid.byOutcome(), parts.coverage, c.figureSkus(), c.untestedCohorts(),
        c.distributions(), c.tenure(), c.holds(), c.listVsDiscount(), null);
  }

  /** The figures' parts, each set by one of the tasks {@link #compute} runs at the same time. */
  private static final class Parts {
    private Paid paid;
    private RunFigures.Affected affected;
    private RunFigures.Coverage coverage;
    private Charts charts;
  }

  /** The overcharge of each flagged SKU comparison, and the coverage by outcome. */
  private record Paid(List<RunFigures.Overcharge> overcharge,
      List<RunFigures.OutcomeCoverage> byOutcome) {}

  /** The figures of the largest flagged penalties. */
  private record Charts(List<RunFigures.FigureSku> figureSkus,
      List<RunFigures.SkuCohort> untestedCohorts, List<RunFigures.Distribution> distributions,
      List<RunFigures.Tenure> tenure, List<RunFigures.Holds> holds,
      List<RunFigures.ListVsDiscount> listVsDiscount) {}

  /**
   * What each compared cohort paid, per SKU comparison, with the comparison's outcome: one pass
   * gives the overcharge of the flagged ones and the coverage by outcome.
   */
  private Paid paid(Dataset<Row> analysed, Dataset<Row> findings, Dataset<Row> flagged,
      Column purchased, Column quantity) {
    Column outcome = SegmentCoverage.outcome(config.materialityPct());
    Dataset<Row> outcomes = findings.filter(col(Findings.LEVEL).equalTo("sku"))
        .select(col(Findings.SKU_ID).as(Quotes.SKU_ID), col(Findings.CURRENCY).as(Quotes.CURRENCY),
            col(Findings.COMPARISON), outcome.as(OUTCOME));
    // each SKU comparison's quotes summed first, then given its outcome (one per comparison):
    // a few rows are joined, not every quote
    Dataset<Row> terms = spentTerms(withCompared(analysed), purchased, quantity,
            Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON)
        .join(outcomes, seq(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON))
        .persist(Sessions.cacheLevel(analysed.sparkSession()));
    List<RunFigures.Overcharge> overcharge = new ArrayList<>();
    List<RunFigures.OutcomeCoverage> byOutcome = new ArrayList<>();
    try {
      for (Row r : flagged.join(settled(terms), seq(Quotes.SKU_ID, Quotes.CURRENCY,
              Findings.COMPARISON))
          .orderBy(Quotes.CURRENCY, Quotes.SKU_ID, Findings.COMPARISON).collectAsList()) {
        double b = r.getAs(Findings.ESTIMATE_LOG);
        double se = r.getAs(Findings.STD_ERROR_LOG);
        double p = r.getAs("paid");
        overcharge.add(new RunFigures.Overcharge(r.getAs(Quotes.SKU_ID), r.getAs(Quotes.CURRENCY),
            r.getAs(Findings.COMPARISON), p, whole(r, "purchases"), p * (1 - Math.exp(-b)),
            p * Math.exp(-b) * se, whole(r, Findings.CUSTOMERS_REFERENCE),
            whole(r, Findings.CUSTOMERS_COMPARED)));
      }

      // coverage by outcome: each compared-cohort quote under the outcome of its comparison
      for (Row r : settled(rolledUp(terms, OUTCOME, Quotes.CURRENCY))
          .orderBy(OUTCOME, Quotes.CURRENCY).collectAsList()) {
        byOutcome.add(new RunFigures.OutcomeCoverage(r.getAs(OUTCOME), r.getAs(Quotes.CURRENCY),
            whole(r, "quotes"), r.getAs("paid")));
      }
    } finally {
      terms.unpersist();
    }
    return new Paid(overcharge, byOutcome);
  }

  /** The compared cohort's quotes on the flagged SKUs, and their distinct customers. */
  private RunFigures.Affected affected(Dataset<Row> analysed, Dataset<Row> flagged) {
    Dataset<Row> affected = withCompared(analysed).join(
        broadcast(flagged.select(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON)),
        seq(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON));
    Row a = affected.agg(count(lit(1)), countDistinct(col(Quotes.CUSTOMER_ID))).first();
    return new RunFigures.Affected(a.getLong(0), a.getLong(1));
  }

  /**
   * Compared quotes of SKUs with at least one tested comparison (from the per-SKU estimates,
   * which count each SKU's quotes: no pass over the quotes).
   */
  private static RunFigures.Coverage coverage(Dataset<Row> skuEstimates) {
    Row coverage = skuEstimates
        .groupBy(Quotes.SKU_ID, Quotes.CURRENCY)
        .agg(org.apache.spark.sql.functions.max(col(Estimates.TESTED)).as(Estimates.TESTED),
            org.apache.spark.sql.functions.first(col(Estimates.QUOTES_IN_SKU)).as("quotes"))
        .agg(sum(when(col(Estimates.TESTED), col("quotes")).otherwise(0L)), sum(col("quotes")))
        .first();
    return new RunFigures.Coverage(
        coverage.isNullAt(0) ? 0L : coverage.getLong(0),
        coverage.isNullAt(1) ? 0L : coverage.getLong(1));
  }

  /**
   * The charts: the largest flagged penalties only (flagged rows are few: one list, on the
   * driver).
   */
  private Charts charts(Dataset<Row> flagged, Dataset<Row> skuEstimates,
      Dataset<Row> figureRows) {
    List<Row> flaggedRows = new ArrayList<>(flagged.select(Quotes.SKU_ID, Quotes.CURRENCY,
        Findings.COMPARISON, Findings.PENALTY_PCT).collectAsList());
    flaggedRows.sort(java.util.Comparator.<Row, Double>comparing(r -> r.getDouble(3))
        .reversed().thenComparing(r -> r.getString(0)).thenComparing(r -> r.getString(2))
        .thenComparing(r -> r.getString(1))); // the currency last: no tie left to collect order
    List<Row> top = flaggedRows.subList(0, Math.min(config.reportFigureSkus(), flaggedRows.size()));
    List<RunFigures.FigureSku> figureSkus = new ArrayList<>();
    java.util.Set<List<String>> figureKeys = new java.util.LinkedHashSet<>();
    for (Row r : top) {
      figureSkus.add(new RunFigures.FigureSku(r.getString(0), r.getString(1), r.getString(2)));
      figureKeys.add(List.of(r.getString(0), r.getString(1)));
    }
    // the cohorts of the figure SKUs whose comparison was not tested: their boxes say so
    List<RunFigures.SkuCohort> untestedCohorts = new ArrayList<>();
    if (!figureKeys.isEmpty()) {
      Column figureSku = lit(false);
      for (List<String> k : figureKeys) {
        figureSku = figureSku.or(col(Quotes.SKU_ID).equalTo(k.get(0))
            .and(col(Quotes.CURRENCY).equalTo(k.get(1))));
      }
      for (Row r : skuEstimates.filter(figureSku.and(col(Estimates.TESTED).equalTo(false)))
          .select(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON)
          .orderBy(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON).collectAsList()) {
        untestedCohorts.add(new RunFigures.SkuCohort(r.getString(0), r.getString(1),
            Comparison.valueOf(r.getString(2).toUpperCase(java.util.Locale.ROOT))
                .compared().code()));
      }
    }
    if (top.isEmpty()) {
      return new Charts(figureSkus, untestedCohorts, List.of(), List.of(), List.of(), List.of());
    }
    Dataset<Row> keys = figureRows.sparkSession().createDataFrame(
        figureKeys.stream().map(k -> org.apache.spark.sql.RowFactory.create(k.get(0), k.get(1)))
            .toList(),
        new org.apache.spark.sql.types.StructType().add(Quotes.SKU_ID, "string")
            .add(Quotes.CURRENCY, "string"));
    Dataset<Row> figureSkuRows =
        figureRows.join(broadcast(keys), seq(Quotes.SKU_ID, Quotes.CURRENCY));
    List<RunFigures.Distribution> distributions = new ArrayList<>();
    List<RunFigures.Tenure> tenure = new ArrayList<>();
    List<RunFigures.Holds> holds = new ArrayList<>();
    List<RunFigures.ListVsDiscount> listVsDiscount = new ArrayList<>();
    // a few rows per SKU, sorted in one partition (a global orderBy would sample them first)
    for (Row r : figureSkuRows
        .repartition(1)
        .sortWithinPartitions(Quotes.SKU_ID, Quotes.CURRENCY, "kind", "dimension", "value",
            Derived.PRIOR_PURCHASES, Derived.COHORT, Findings.COMPARISON)
        .collectAsList()) {
      String sku = r.getAs(Quotes.SKU_ID);
      String currency = r.getAs(Quotes.CURRENCY);
      switch (r.<String>getAs("kind")) {
        case "distribution" -> {
          List<Double> qs = r.getList(r.fieldIndex("quantiles_log"));
          distributions.add(new RunFigures.Distribution(sku, currency, r.getAs(Derived.COHORT),
              pct(qs.get(0)), pct(qs.get(1)), pct(qs.get(2)), pct(qs.get(3)), pct(qs.get(4)),
              pct(r.getAs("mean_log")), whole(r, "quotes"), whole(r, "customers")));
        }
        case "tenure" -> tenure.add(new RunFigures.Tenure(sku, currency,
            r.getAs(Derived.PRIOR_PURCHASES), r.getAs("mean_log"), r.getAs("sd_log"),
            whole(r, "quotes"), whole(r, "customers")));
        case "holds" -> holds.add(new RunFigures.Holds(sku, currency, r.getAs(Derived.COHORT),
            r.getAs("dimension"), r.getAs("value"), r.getAs("mean_log"), whole(r, "quotes"),
            whole(r, "customers")));
        default -> listVsDiscount.add(new RunFigures.ListVsDiscount(sku, currency,
            r.getAs(Findings.COMPARISON), r.getAs("list_gap_log"), r.getAs("discount_gap_log"),
            whole(r, Findings.CUSTOMERS_REFERENCE), whole(r, Findings.CUSTOMERS_COMPARED)));
      }
    }
    java.util.Set<List<String>> withFigures = new java.util.HashSet<>();
    distributions.forEach(d -> withFigures.add(List.of(d.skuId(), d.currency())));
    if (!withFigures.containsAll(figureKeys)) {
      // the per-SKU pass emits figures for every SKU the FDR step can flag: a bug otherwise
      throw new IllegalStateException("no figures in the per-SKU pass for flagged SKUs "
          + figureKeys.stream().filter(k -> !withFigures.contains(k)).toList());
    }
    // the split is shown for flagged comparisons only
    java.util.Set<List<Object>> flaggedSet = new java.util.HashSet<>();
    flaggedRows.forEach(r -> flaggedSet.add(List.of(r.get(0), r.get(1), r.get(2))));
    listVsDiscount.removeIf(l -> !flaggedSet.contains(
        List.of(l.skuId(), l.currency(), l.comparison())));
    return new Charts(figureSkus, untestedCohorts, distributions, tenure, holds, listVsDiscount);
  }

  /** Column of the coverage by outcome: flagged, ruled_out, inconclusive or untested. */
  private static final String OUTCOME = "outcome";

  /**
   * Per group of {@code quotes} ({@code keys}): {@code paid}, the sum of price x quantity over
   * the purchased quotes, {@code purchases}, their number, and {@code quotes}, every quote. Each
   * term rounded to {@link #PAID_DECIMAL} and summed exactly, so the total is the same whatever
   * order the quotes arrive in; a group with a term or total beyond that type's range gets the
   * double sum.
   */
  static Dataset<Row> paid(Dataset<Row> quotes, Column purchased, Column quantity,
      String... keys) {
    return settled(spentTerms(quotes, purchased, quantity, keys));
  }

  /**
   * Per group of {@code quotes} ({@code keys}) the terms of {@link #paid}: the exact sum (null
   * when it overflows), the terms beyond the exact type, the double sum, the purchases and the
   * quotes. Groups' terms add up ({@link #rolledUp}) to those of their union.
   */
  private static Dataset<Row> spentTerms(Dataset<Row> quotes, Column purchased, Column quantity,
      String... keys) {
    Column spent = when(purchased, col(Quotes.PRICE).multiply(quantity)).otherwise(0.0);
    Column exact = spent.try_cast(PAID_DECIMAL);
    return quotes
        .groupBy(java.util.Arrays.stream(keys).map(c -> col(c)).toArray(Column[]::new))
        .agg(org.apache.spark.sql.functions.try_sum(exact).as("__exact"),
            sum(when(spent.isNotNull().and(exact.isNull()), 1).otherwise(0)).as("__too_large"),
            sum(spent).as("__double"),
            sum(when(purchased, 1).otherwise(0)).as("purchases"), count(lit(1)).as("quotes"));
  }

  /**
   * The terms of {@link #spentTerms} of groups added up by {@code keys}: the exact sum stays
   * exact (null when a group's overflowed or the total does).
   */
  private static Dataset<Row> rolledUp(Dataset<Row> terms, String... keys) {
    return terms
        .groupBy(java.util.Arrays.stream(keys).map(c -> col(c)).toArray(Column[]::new))
        .agg(when(sum(when(col("__exact").isNull(), 1).otherwise(0)).equalTo(0),
                org.apache.spark.sql.functions.try_sum(col("__exact"))).as("__exact"),
            sum(col("__too_large")).as("__too_large"), sum(col("__double")).as("__double"),
            sum(col("purchases")).as("purchases"), sum(col("quotes")).as("quotes"));
  }

  /** {@code paid} from the terms: the exact sum when it holds, else the double sum. */
  private static Dataset<Row> settled(Dataset<Row> terms) {
    return terms
        .withColumn("paid", when(col("__too_large").equalTo(0).and(col("__exact").isNotNull()),
            col("__exact").cast("double")).otherwise(col("__double")))
        .drop("__exact", "__too_large", "__double");
  }

  /** Quotes of the compared cohorts, each labelled with its comparison. */
  private static Dataset<Row> withCompared(Dataset<Row> analysed) {
    Column comparison = lit(null).cast("string");
    for (Comparison c : Comparison.values()) {
      comparison = when(col(Derived.COHORT).equalTo(c.compared().code()), lit(c.code()))
          .otherwise(comparison);
    }
    return analysed.withColumn(Findings.COMPARISON, comparison)
        .filter(col(Findings.COMPARISON).isNotNull());
  }

  /** A whole-number column (int or long), null when null. */
  private static Long whole(Row r, String column) {
    Number v = r.getAs(column);
    return v == null ? null : v.longValue();
  }

  private static Double pct(Object logValue) {
    return logValue == null ? null : Inference.percent(((Number) logValue).doubleValue());
  }
}
