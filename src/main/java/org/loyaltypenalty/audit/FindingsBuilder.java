package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Estimates;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.segment.SegmentSpec;
import org.loyaltypenalty.sku.Outcome;
import org.loyaltypenalty.sku.SkuPass;
import org.loyaltypenalty.sku.UntestedReason;
import org.loyaltypenalty.stats.FlagRule;
import org.loyaltypenalty.stats.Inference;

/**
 * Puts SKU tests, merchant roll-ups and exact-cell evidence into one findings table, controls
 * the false discovery rate over every test of the run (SKU and merchant rows together) and
 * flags what is significant and material.
 *
 * <p>{@code penalty_pct = 100 (e^b - 1)}: the percentage by which the compared cohort's price
 * exceeds new customers' for the same SKU and context. A row is flagged when
 * {@code q_value <= test.fdr_q} and {@code penalty_pct >= test.materiality_pct}. A tested row
 * that is not flagged (nor a discount, nor significant but small) is {@code no_material_penalty}
 * when its upper one-sided bound at {@code test.confidence} is below the materiality threshold
 * (a material penalty is ruled out), else {@code inconclusive}; {@code mde_pct} is the smallest
 * penalty the test would flag with 80% probability at {@code test.fdr_q}. The family is filtered
 * first ({@link org.loyaltypenalty.stats.FamilyFilter}, {@code test.family_min_customers}): a
 * tested row left out keeps its p-value, has no q-value and is never flagged.
 *
 * <p>Every row compares the unit price ({@code outcome = price}) but, when the quotes carry a fee
 * or a coupon, the loyalty cohort's and every segment's {@code sku} rows of the money outcomes ({@code total},
 * {@code fee}, {@code coupon}; see {@link #build(String, Dataset, Dataset, Dataset, Dataset,
 * Dataset)}), which share the family and the flag rule.
 */
public final class FindingsBuilder {
  /** Column order of the findings table. */
  public static final List<String> COLUMNS = List.of(
      Findings.RUN_ID, Findings.LEVEL, Findings.COMPARISON, Findings.MERCHANT_ID, Findings.SKU_ID,
      Findings.CURRENCY, Findings.CONTEXT, Findings.N_REFERENCE, Findings.N_COMPARED,
      Findings.CUSTOMERS_REFERENCE, Findings.CUSTOMERS_COMPARED, Findings.PENALTY_PCT,
      Findings.CI_LOW_PCT, Findings.CI_HIGH_PCT, Findings.P_VALUE, Findings.Q_VALUE,
      Findings.FLAGGED, Findings.STATUS, Findings.METHOD, Findings.ESTIMATE_LOG,
      Findings.STD_ERROR_LOG, Findings.DEGREES_OF_FREEDOM, Findings.CELLS_WITH_BOTH,
      Findings.MDE_PCT, Findings.UPPER_BOUND_PCT, Findings.SEGMENT, Findings.COMPARED,
      Findings.REFERENCE, Findings.ADJUSTED_PENALTY_PCT, Findings.ADJUSTED_CI_LOW_PCT,
      Findings.ADJUSTED_CI_HIGH_PCT,
      Findings.OUTCOME, Findings.ESTIMATE_MONEY, Findings.STD_ERROR_MONEY,
      Findings.REFERENCE_MEAN,
      Findings.PENALTY_PCT_WITHOUT_DISCLOSED, Findings.CI_LOW_PCT_WITHOUT_DISCLOSED,
      Findings.CI_HIGH_PCT_WITHOUT_DISCLOSED, Findings.P_VALUE_WITHOUT_DISCLOSED);

  /** The columns {@link DisclosedOfferCheck} fills: null in every row {@link #build} writes. */
  static final List<String> WITHOUT_DISCLOSED = List.of(Findings.PENALTY_PCT_WITHOUT_DISCLOSED,
      Findings.CI_LOW_PCT_WITHOUT_DISCLOSED, Findings.CI_HIGH_PCT_WITHOUT_DISCLOSED,
      Findings.P_VALUE_WITHOUT_DISCLOSED);
  /**
   * The columns added after {@link #COLUMNS} when the run has price experiments (null on every
   * other row): the experiment rows' id, chi-square statistic and arms.
   */
  public static final List<String> EXPERIMENT_COLUMNS =
      List.of(Findings.EXPERIMENT_ID, Findings.CHI_SQUARE, Findings.ARMS);

  private final AuditConfig config;
  private final List<String> dimensions;

  public FindingsBuilder(AuditConfig config, List<String> dimensions) {
    this.config = config;
    this.dimensions = List.copyOf(dimensions);
  }

  /**
   * @param allCells every cell with both cohorts, {@link CellEvidence#cellsWithBoth}
   * @param evidenceCells the cells to write as {@code cell} rows, {@link CellEvidence#strongest}
   */
  public Dataset<Row> build(String runId, Dataset<Row> skuEstimates, Dataset<Row> allCells,
      Dataset<Row> evidenceCells, Dataset<Row> merchants) {
    return build(runId, skuEstimates, null, allCells, evidenceCells, merchants, null);
  }

  /**
   * The findings with the money outcomes' rows and the price experiments' randomisation rows.
   *
   * <p>The money outcomes' rows ({@link SkuPass#outcomes}): one {@code sku} row per (SKU,
   * currency, comparison, outcome), in the same false-discovery family and under the same flag
   * rule as the price rows. A money row's {@code penalty_pct} (and its interval, minimum
   * detectable effect and upper bound) is {@code 100 b / m}, with {@code b} the gap per unit and
   * {@code m} the reference group's mean total paid per unit ({@code reference_mean}; null when
   * {@code m <= 0}, and then never flagged); its {@code estimate_log} and {@code std_error_log}
   * are null and {@code estimate_money}, {@code std_error_money} hold the gap.
   *
   * <p>The randomisation rows of the run's price experiments ({@link
   * ExperimentCheck#findingsRows}): their p-values join the family, an experiment is
   * {@code not_randomised} when its q-value is at most {@code test.fdr_q} (else
   * {@code randomisation_passed}) and flagged when it is also material (its arms' price gap,
   * {@code penalty_pct}, at least {@code test.materiality_pct}); the table gains {@link
   * #EXPERIMENT_COLUMNS}.
   *
   * @param outcomes the money outcomes' estimates, null or empty for none
   * @param experiments the experiments' randomisation rows, null without experiments
   */
  public Dataset<Row> build(String runId, Dataset<Row> skuEstimates, Dataset<Row> outcomes,
      Dataset<Row> allCells, Dataset<Row> evidenceCells, Dataset<Row> merchants,
      Dataset<Row> experiments) {
    Dataset<Row> cellCounts = CellEvidence.countPerSku(allCells);
    Dataset<Row> skuRows = skuRows(skuEstimates, cellCounts, false);
    if (outcomes != null) {
      skuRows = skuRows.unionByName(skuRows(outcomes, cellCounts, true));
    }
    Dataset<Row> merchantRows = merchantRows(merchants);
    return finish(runId, skuRows, merchantRows, evidenceCells, experiments);
  }

  /** The {@code sku} rows of price estimates, or of money outcomes' estimates. */
  private Dataset<Row> skuRows(Dataset<Row> skuEstimates, Dataset<Row> cellCounts,
      boolean money) {
    java.util.function.UnaryOperator<Column> pct = money
        ? x -> when(col(Findings.REFERENCE_MEAN).gt(0),
            x.multiply(100).divide(col(Findings.REFERENCE_MEAN)))
        : FindingsBuilder::pct;
    Column none = lit(null).cast(DataTypes.DoubleType);
    // a segment that is a context dimension is compared, not held fixed, in its own rows
    Column held = lit(held(null));
    for (String d : dimensions) {
      held = when(col(Findings.SEGMENT).equalTo(d), lit(held(d))).otherwise(held);
    }
    Column cellsWithBoth = coalesce(col(Findings.CELLS_WITH_BOTH), lit(0L));
    Column cohortRow = col(Findings.SEGMENT).equalTo(SegmentSpec.COHORT);
    return skuEstimates
        .join(cellCounts,
            seq(Quotes.SKU_ID, Quotes.CURRENCY, Findings.SEGMENT, Findings.COMPARISON), "left")
        .select(
            lit("sku").as(Findings.LEVEL),
            col(Findings.COMPARISON),
            col(Quotes.MERCHANT_ID).as(Findings.MERCHANT_ID),
            col(Quotes.SKU_ID).as(Findings.SKU_ID),
            col(Quotes.CURRENCY).as(Findings.CURRENCY),
            concat(lit("held fixed: "), held,
                when(cohortRow, lit("; exact cells with both cohorts: "))
                    .otherwise(lit("; exact cells with both groups: ")),
                cellsWithBoth.cast(DataTypes.StringType),
                when(col(Estimates.MERCHANTS).gt(1), concat(lit("; sold by "),
                    col(Estimates.MERCHANTS).cast(DataTypes.StringType), lit(" merchants")))
                    .otherwise(lit("")),
                untestedText(col(Estimates.UNTESTED_REASON))).as(Findings.CONTEXT),
            col(Findings.N_REFERENCE), col(Findings.N_COMPARED),
            col(Findings.CUSTOMERS_REFERENCE), col(Findings.CUSTOMERS_COMPARED),
            pct.apply(col(Findings.ESTIMATE_LOG)).as(Findings.PENALTY_PCT),
            pct.apply(col(Estimates.CI_LOW_LOG)).as(Findings.CI_LOW_PCT),
            pct.apply(col(Estimates.CI_HIGH_LOG)).as(Findings.CI_HIGH_PCT),
            col(Findings.P_VALUE),
            lit(SkuPass.METHOD).as(Findings.METHOD),
            (money ? none : col(Findings.ESTIMATE_LOG)).as(Findings.ESTIMATE_LOG),
            (money ? none : col(Findings.STD_ERROR_LOG)).as(Findings.STD_ERROR_LOG),
            col(Findings.DEGREES_OF_FREEDOM),
            cellsWithBoth.as(Findings.CELLS_WITH_BOTH),
            pct.apply(col(Estimates.MDE_LOG)).as(Findings.MDE_PCT),
            pct.apply(col(Estimates.UPPER_BOUND_LOG)).as(Findings.UPPER_BOUND_PCT),
            col(Findings.SEGMENT), col(Findings.COMPARED), col(Findings.REFERENCE),
            (money ? none : pct(col(Estimates.ADJUSTED_LOG))).as(Findings.ADJUSTED_PENALTY_PCT),
            (money ? none : pct(col(Estimates.ADJUSTED_CI_LOW_LOG)))
                .as(Findings.ADJUSTED_CI_LOW_PCT),
            (money ? none : pct(col(Estimates.ADJUSTED_CI_HIGH_LOG)))
                .as(Findings.ADJUSTED_CI_HIGH_PCT),
            (money ? col(Findings.OUTCOME) : lit(Outcome.PRICE.code())).as(Findings.OUTCOME),
            (money ? col(Findings.ESTIMATE_LOG) : none).as(Findings.ESTIMATE_MONEY),
            (money ? col(Findings.STD_ERROR_LOG) : none).as(Findings.STD_ERROR_MONEY),
            (money ? col(Findings.REFERENCE_MEAN) : none).as(Findings.REFERENCE_MEAN));
  }

  /** The {@code merchant} rows: roll-ups of the price estimates. */
  private Dataset<Row> merchantRows(Dataset<Row> merchants) {
    return merchants.select(
        lit("merchant").as(Findings.LEVEL),
        col(Findings.COMPARISON),
        col(Findings.MERCHANT_ID),
        lit(null).cast(DataTypes.StringType).as(Findings.SKU_ID),
        lit(null).cast(DataTypes.StringType).as(Findings.CURRENCY),
        concat(lit("pooled over "), col(MerchantRollup.SKUS_POOLED).cast(DataTypes.StringType),
            lit(" tested SKUs; between-SKU sd of the log penalty: "), format_number(col(MerchantRollup.TAU), 4),
            when(col(Findings.MERCHANT_ID).isNull(),
                lit("; SKUs without a single merchant (or no merchant column)")).otherwise(lit("")))
            .as(Findings.CONTEXT),
        col(Findings.N_REFERENCE), col(Findings.N_COMPARED),
        coalesce(col(Findings.CUSTOMERS_REFERENCE), lit(0L)).as(Findings.CUSTOMERS_REFERENCE),
        coalesce(col(Findings.CUSTOMERS_COMPARED), lit(0L)).as(Findings.CUSTOMERS_COMPARED),
        pct(col(Findings.ESTIMATE_LOG)).as(Findings.PENALTY_PCT),
        pct(col(Estimates.CI_LOW_LOG)).as(Findings.CI_LOW_PCT),
        pct(col(Estimates.CI_HIGH_LOG)).as(Findings.CI_HIGH_PCT),
        col(Findings.P_VALUE),
        lit(MerchantRollup.METHOD).as(Findings.METHOD),
        col(Findings.ESTIMATE_LOG), col(Findings.STD_ERROR_LOG),
        lit(Double.POSITIVE_INFINITY).as(Findings.DEGREES_OF_FREEDOM),
        lit(null).cast(DataTypes.LongType).as(Findings.CELLS_WITH_BOTH),
        pct(col(Estimates.MDE_LOG)).as(Findings.MDE_PCT),
        pct(col(Estimates.UPPER_BOUND_LOG)).as(Findings.UPPER_BOUND_PCT),
        col(Findings.SEGMENT), col(Findings.COMPARED), col(Findings.REFERENCE),
        lit(null).cast(DataTypes.DoubleType).as(Findings.ADJUSTED_PENALTY_PCT),
        lit(null).cast(DataTypes.DoubleType).as(Findings.ADJUSTED_CI_LOW_PCT),
        lit(null).cast(DataTypes.DoubleType).as(Findings.ADJUSTED_CI_HIGH_PCT),
        lit(Outcome.PRICE.code()).as(Findings.OUTCOME),
        lit(null).cast(DataTypes.DoubleType).as(Findings.ESTIMATE_MONEY),
        lit(null).cast(DataTypes.DoubleType).as(Findings.STD_ERROR_MONEY),
        lit(null).cast(DataTypes.DoubleType).as(Findings.REFERENCE_MEAN));
  }

  /** The false-discovery family, the flags and statuses, and the cell rows. */
  private Dataset<Row> finish(String runId, Dataset<Row> skuRows, Dataset<Row> merchantRows,
      Dataset<Row> evidenceCells, Dataset<Row> experiments) {
    Dataset<Row> testRows = skuRows.unionByName(merchantRows);
    if (experiments != null) {
      Dataset<Row> widened = withExperimentColumns(testRows);
      // an experiment row compares its arms' prices; the money columns are not its
      List<String> present = java.util.Arrays.asList(experiments.columns());
      testRows = widened.unionByName(experiments.select(java.util.Arrays.stream(
              widened.schema().fields())
          .map(f -> (f.name().equals(Findings.OUTCOME) ? lit(Outcome.PRICE.code())
              : present.contains(f.name()) ? col(f.name()) : lit(null))
              .cast(f.dataType()).as(f.name())).toArray(Column[]::new)));
    }
    Dataset<Row> tests = config.familyFilter().adjust(testRows,
        Findings.P_VALUE, Findings.Q_VALUE, Findings.CUSTOMERS_REFERENCE,
        Findings.CUSTOMERS_COMPARED);
    // a tested row left out of the family says so where the findings' words are
    tests = tests.withColumn(Findings.CONTEXT, when(col(Findings.P_VALUE).isNotNull()
        .and(col(Findings.Q_VALUE).isNull()), concat(col(Findings.CONTEXT),
        lit(String.format(java.util.Locale.ROOT, "; left out of the false discovery rate family:"
            + " fewer than %d customers on a side", config.familyMinCustomers()))))
        .otherwise(col(Findings.CONTEXT)));
    FlagRule rule = config.flagRule();
    Column flagged = rule.flagged(col(Findings.Q_VALUE), col(Findings.PENALTY_PCT));
    Column status = when(col(Findings.P_VALUE).isNull(), lit(Status.INSUFFICIENT_DATA.code()))
        .when(flagged, lit(Status.PENALTY.code()))
        .when(col(Findings.CI_HIGH_PCT).lt(0), lit(Status.DISCOUNT.code()))
        .when(rule.significant(col(Findings.Q_VALUE)), lit(Status.NOT_MATERIAL.code()))
        .when(col(Findings.UPPER_BOUND_PCT).lt(config.materialityPct()),
            lit(Status.NO_MATERIAL_PENALTY.code()))
        .otherwise(lit(Status.INCONCLUSIVE.code()));
    if (experiments != null) {
      Column experimentRow = col(Findings.LEVEL).equalTo(ExperimentCheck.LEVEL);
      flagged = when(experimentRow, coalesce(flagged, lit(false))).otherwise(flagged);
      // an experiment left out of the family (too few customers in an arm) was not judged
      status = when(experimentRow, when(col(Findings.P_VALUE).isNull()
              .or(col(Findings.Q_VALUE).isNull()), lit(Status.INSUFFICIENT_DATA.code()))
          .when(rule.significant(col(Findings.Q_VALUE)), lit(Status.NOT_RANDOMISED.code()))
          .otherwise(lit(Status.RANDOMISATION_PASSED.code())))
          .otherwise(status);
    }
    tests = tests.withColumn(Findings.FLAGGED, flagged).withColumn(Findings.STATUS, status);

    Dataset<Row> cellRows = evidenceCells.select(
        lit(CellEvidence.LEVEL).as(Findings.LEVEL),
        col(Findings.COMPARISON),
        col(Quotes.MERCHANT_ID).as(Findings.MERCHANT_ID),
        col(Quotes.SKU_ID).as(Findings.SKU_ID),
        col(Quotes.CURRENCY).as(Findings.CURRENCY),
        col(Findings.CONTEXT),
        col(Findings.N_REFERENCE), col(Findings.N_COMPARED),
        col(Findings.CUSTOMERS_REFERENCE), col(Findings.CUSTOMERS_COMPARED),
        col(Findings.PENALTY_PCT),
        lit(null).cast(DataTypes.DoubleType).as(Findings.CI_LOW_PCT),
        lit(null).cast(DataTypes.DoubleType).as(Findings.CI_HIGH_PCT),
        lit(null).cast(DataTypes.DoubleType).as(Findings.P_VALUE),
        lit(null).cast(DataTypes.DoubleType).as(Findings.Q_VALUE),
        lit(false).as(Findings.FLAGGED),
        lit(Status.EVIDENCE.code()).as(Findings.STATUS),
        lit(CellEvidence.METHOD).as(Findings.METHOD),
        col(Findings.ESTIMATE_LOG),
        lit(null).cast(DataTypes.DoubleType).as(Findings.STD_ERROR_LOG),
        lit(null).cast(DataTypes.DoubleType).as(Findings.DEGREES_OF_FREEDOM),
        lit(null).cast(DataTypes.LongType).as(Findings.CELLS_WITH_BOTH),
        lit(null).cast(DataTypes.DoubleType).as(Findings.MDE_PCT),
        lit(null).cast(DataTypes.DoubleType).as(Findings.UPPER_BOUND_PCT),
        col(Findings.SEGMENT), col(Findings.COMPARED), col(Findings.REFERENCE),
        lit(null).cast(DataTypes.DoubleType).as(Findings.ADJUSTED_PENALTY_PCT),
        lit(null).cast(DataTypes.DoubleType).as(Findings.ADJUSTED_CI_LOW_PCT),
        lit(null).cast(DataTypes.DoubleType).as(Findings.ADJUSTED_CI_HIGH_PCT),
        lit(Outcome.PRICE.code()).as(Findings.OUTCOME),
        lit(null).cast(DataTypes.DoubleType).as(Findings.ESTIMATE_MONEY),
        lit(null).cast(DataTypes.DoubleType).as(Findings.STD_ERROR_MONEY),
        lit(null).cast(DataTypes.DoubleType).as(Findings.REFERENCE_MEAN));

    List<String> columns = new java.util.ArrayList<>(COLUMNS);
    if (experiments != null) {
      cellRows = withExperimentColumns(cellRows);
      columns.addAll(EXPERIMENT_COLUMNS);
    }
    Dataset<Row> all = tests.unionByName(cellRows).withColumn(Findings.RUN_ID, lit(runId));
    for (String c : WITHOUT_DISCLOSED) {
      all = all.withColumn(c, lit(null).cast(DataTypes.DoubleType));
    }
    return all.select(columns.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /** {@code rows} with the {@link #EXPERIMENT_COLUMNS}, null. */
  private static Dataset<Row> withExperimentColumns(Dataset<Row> rows) {
    return rows
        .withColumn(Findings.EXPERIMENT_ID, lit(null).cast(DataTypes.StringType))
        .withColumn(Findings.CHI_SQUARE, lit(null).cast(DataTypes.DoubleType))
        .withColumn(Findings.ARMS, lit(null).cast(DataTypes.StringType));
  }

  /** The dimensions held fixed, in words, but {@code compared} (null: all of them). */
  private String held(String compared) {
    return dimensions.stream().filter(d -> !d.equals(compared))
        .map(d -> d.equals(ContextFrame.TIME_BUCKET)
            ? "time_bucket(" + config.timeBucketLabel() + ")" : d)
        .collect(Collectors.joining(", "));
  }

  private static Column pct(Column logDifference) {
    return Inference.percent(logDifference);
  }

  /**
   * "; not tested: " and why, in words, for an {@link UntestedReason} code column; empty when
   * tested. The findings table is read by people: its context column is one of the edges where
   * the reasons become words (the report's are in its message bundles).
   */
  private Column untestedText(Column reason) {
    Column text = lit("");
    for (UntestedReason r : UntestedReason.values()) {
      text = when(reason.equalTo(r.code()), lit("; not tested: " + describe(r))).otherwise(text);
    }
    return text;
  }

  /** An {@link UntestedReason} in the findings' words. */
  String describe(UntestedReason reason) {
    return switch (reason) {
      case FEWER_QUOTES -> String.format(java.util.Locale.ROOT,
          "fewer than %d quotes per cohort in matched contexts", config.minQuotesPerCohort());
      case FEWER_CUSTOMERS -> String.format(java.util.Locale.ROOT,
          "fewer than %d distinct customers per cohort in matched contexts",
          config.minCustomersPerCohort());
      case NO_SHARED_CONTEXT -> "the cohorts never share a context: no like-for-like comparison";
      case NO_STANDARD_ERROR ->
          "too few observations left after the fixed effects to estimate a standard error";
    };
  }
}
