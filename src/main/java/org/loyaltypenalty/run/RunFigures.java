package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The report data's {@code figures}: the aggregates behind the report's headline and charts, of
 * the loyalty cohort's comparisons ({@code ReportFigures.compute}). Percentages are
 * {@code 100 (e^x - 1)} of a log value; {@code _log} values are on the log-price scale.
 *
 * @param paidBasis {@code purchased} (what was paid sums the purchased quotes) or
 *     {@code all_quotes} (the input has no purchase flag)
 * @param overcharge per flagged SKU comparison, by currency, SKU and comparison
 * @param affected the compared cohorts' quotes and customers on the flagged SKU comparisons; null
 *     when not recorded
 * @param coverageByOutcome the compared cohorts' quotes and what they paid by the outcome of
 *     their SKU comparison and currency
 * @param coverage analysed quotes of SKUs with a tested comparison; null when not recorded
 * @param figureSkus the largest flagged penalties, which get figures ({@code report.figure_skus})
 * @param untestedCohorts the figure SKUs' cohorts whose comparison was not tested
 * @param distributions price with the context removed, per figure SKU and cohort
 * @param tenure mean log price with the context removed per figure SKU and prior purchases
 * @param whereItHolds mean log price with the context removed per figure SKU, cohort and
 *     value of each context column
 * @param listVsDiscount the flagged figure SKUs' gaps split into list price and discount
 * @param annexRows rows of the evidence annex, recorded by runs that published their own annex
 *     (null, and not written, otherwise)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"paid_basis", "overcharge", "affected", "coverage_by_outcome", "coverage",
    "figure_skus", "untested_cohorts", "distributions", "tenure", "where_it_holds",
    "list_vs_discount", "annex_rows"})
public record RunFigures(String paidBasis, List<Overcharge> overcharge, Affected affected,
    List<OutcomeCoverage> coverageByOutcome, Coverage coverage, List<FigureSku> figureSkus,
    List<SkuCohort> untestedCohorts, List<Distribution> distributions, List<Tenure> tenure,
    List<Holds> whereItHolds, List<ListVsDiscount> listVsDiscount,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long annexRows) {
  /** {@code paidBasis} when every quote counts as paid (no purchase flag). */
  public static final String ALL_QUOTES = "all_quotes";
  /** {@code paidBasis} when the purchased quotes count. */
  public static final String PURCHASED = "purchased";
  /** The figures of report data without any. */
  public static final RunFigures NONE = new RunFigures(null, null, null, null, null, null, null,
      null, null, null, null, null);

  /** A list not recorded (in an older run's data) reads empty; no paid basis, every quote. */
  public RunFigures {
    paidBasis = paidBasis == null ? ALL_QUOTES : paidBasis;
    overcharge = orEmpty(overcharge);
    coverageByOutcome = orEmpty(coverageByOutcome);
    figureSkus = orEmpty(figureSkus);
    untestedCohorts = orEmpty(untestedCohorts);
    distributions = orEmpty(distributions);
    tenure = orEmpty(tenure);
    whereItHolds = orEmpty(whereItHolds);
    listVsDiscount = orEmpty(listVsDiscount);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /**
   * What the compared cohort paid on a flagged SKU comparison and the overcharge: {@code paid
   * (1 - e^-b)} with its delta-method standard error {@code paid e^-b se}.
   *
   * @param purchases the purchased quotes summed (every quote with {@link #ALL_QUOTES})
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Overcharge(String skuId, String currency, String comparison, Double paid,
      Long purchases, Double overcharge, Double overchargeSe, Long customersReference,
      Long customersCompared) {}

  /** Quotes and distinct customers of the compared cohorts on the flagged SKU comparisons. */
  public record Affected(Long quotes, Long customers) {}

  /**
   * The compared cohorts' quotes of one outcome ({@code flagged}, {@code ruled_out},
   * {@code inconclusive}, {@code untested}) and currency, and what they paid.
   */
  public record OutcomeCoverage(String outcome, String currency, Long quotes, Double paid) {}

  /** Analysed quotes ({@code analysed}) and those of SKUs with a tested comparison. */
  public record Coverage(Long covered, Long analysed) {}

  /** A flagged SKU comparison with figures. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record FigureSku(String skuId, String currency, String comparison) {}

  /** A cohort of a SKU (in a currency). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record SkuCohort(String skuId, String currency, String cohort) {}

  /** A cohort's quantiles and mean of price with the context removed, in percent. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Distribution(String skuId, String currency, String cohort, Double p05Pct,
      Double p25Pct, Double medianPct, Double p75Pct, Double p95Pct, Double meanPct, Long quotes,
      Long customers) {}

  /**
   * Mean and standard deviation of log price with the context removed, of the quotes with
   * {@code priorPurchases} purchases before them (capped).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Tenure(String skuId, String currency, Integer priorPurchases, Double meanLog,
      Double sdLog, Long quotes, Long customers) {}

  /** Mean log price with the context removed of a cohort's quotes with one context value. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Holds(String skuId, String currency, String cohort, String dimension,
      String value, Double meanLog, Long quotes, Long customers) {}

  /** A flagged comparison's log gap split into its list-price and its discount part. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ListVsDiscount(String skuId, String currency, String comparison,
      Double listGapLog, Double discountGapLog, Long customersReference,
      Long customersCompared) {}
}
