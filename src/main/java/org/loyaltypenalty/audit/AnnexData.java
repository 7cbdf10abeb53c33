package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.config.AuditConfig;

/**
 * The evidence annex's data: for every flagged SKU comparison, in its strongest matched cells,
 * up to {@code report.annex_quotes_per_cohort} quote ids of new customers and of the compared
 * cohort (the smallest ids, so the annex is the same on every run), with the distinct customers
 * of both groups last, for the report to withhold the comparisons it suppresses when it
 * publishes the annex. Never a customer id.
 */
public final class AnnexData {
  /** The annex's columns of the comparison's customer counts, while the cells hold their own. */
  private static final String SKU_REFERENCE = "__sku_customers_reference";
  private static final String SKU_COMPARED = "__sku_customers_compared";

  private final AuditConfig config;
  private final List<String> dimensions;

  /** @param dimensions the context dimensions the run's fits hold fixed (time bucket first) */
  public AnnexData(AuditConfig config, List<String> dimensions) {
    this.config = config;
    this.dimensions = List.copyOf(dimensions);
  }

  /**
   * The annex's rows: for every flagged SKU comparison of {@code findings}, in its strongest
   * matched cells, the quotes of both groups, ordered by the comparison's penalty (largest
   * first), SKU, currency, comparison, cell, cohort and quote id.
   *
   * @param analysed the analysed quotes (cohort assigned, not censored, context columns)
   * @param strongestCells {@link CellEvidence#strongest} rows
   */
  public Dataset<Row> rows(Dataset<Row> analysed, Dataset<Row> findings,
      Dataset<Row> strongestCells) {
    Dataset<Row> flagged = findings
        .filter(col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED)))
        .select(col(Findings.SKU_ID).as(Quotes.SKU_ID), col(Findings.CURRENCY).as(Quotes.CURRENCY),
            col(Findings.COMPARISON), col(Findings.PENALTY_PCT).as("sku_penalty_pct"),
            col(Findings.Q_VALUE), col(Findings.CUSTOMERS_REFERENCE).as(SKU_REFERENCE),
            col(Findings.CUSTOMERS_COMPARED).as(SKU_COMPARED));
    List<String> cellKeys = cellKeys();
    List<Column> cellColumns = new ArrayList<>();
    cellKeys.forEach(k -> cellColumns.add(col(k)));
    cellColumns.addAll(List.of(col(Findings.COMPARISON), col("sku_penalty_pct"),
        col(Findings.Q_VALUE), col(Findings.CONTEXT), col(SKU_REFERENCE), col(SKU_COMPARED)));
    Dataset<Row> cells = strongestCells.join(broadcast(flagged),
            seq(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON))
        .select(cellColumns.toArray(Column[]::new));
    Column comparedCohort = lit(null).cast("string");
    for (Comparison c : Comparison.values()) {
      comparedCohort = when(col(Findings.COMPARISON).equalTo(c.code()), lit(c.compared().code()))
          .otherwise(comparedCohort);
    }
    Dataset<Row> matched = analysed.join(broadcast(cells), seq(cellKeys.toArray(String[]::new)))
        .filter(col(Derived.COHORT).equalTo(Comparison.reference().code())
            .or(col(Derived.COHORT).equalTo(comparedCohort)));
    return matched
        .withColumn("__n", row_number().over(Window
            .partitionBy(col(Quotes.SKU_ID), col(Quotes.CURRENCY), col(Findings.COMPARISON),
                col(Findings.CONTEXT), col(Derived.COHORT))
            .orderBy(col(Quotes.QUOTE_ID))))
        .filter(col("__n").leq(config.reportAnnexQuotes()))
        .select(col(Quotes.SKU_ID), col(Quotes.CURRENCY), col(Findings.COMPARISON),
            col("sku_penalty_pct"), col(Findings.Q_VALUE), col(Findings.CONTEXT),
            col(Derived.COHORT), col(Quotes.QUOTE_ID),
            col(Quotes.QUOTED_AT), col(Quotes.PRICE),
            col(SKU_REFERENCE).as(Findings.CUSTOMERS_REFERENCE),
            col(SKU_COMPARED).as(Findings.CUSTOMERS_COMPARED))
        .orderBy(col("sku_penalty_pct").desc(), col(Quotes.SKU_ID), col(Quotes.CURRENCY),
            col(Findings.COMPARISON), col(Findings.CONTEXT), col(Derived.COHORT),
            col(Quotes.QUOTE_ID));
  }

  private List<String> cellKeys() {
    List<String> keys = new ArrayList<>(List.of(Quotes.SKU_ID, Quotes.CURRENCY));
    dimensions.forEach(d -> keys.add(ContextFrame.feColumn(d)));
    return keys;
  }
}
