package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_utc_timestamp;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.sku.SkuPass;
import org.loyaltypenalty.stats.Inference;

/**
 * Exact cells: quotes of one SKU and currency in one time bucket with every context value equal.
 * Where a cell holds both new customers and a compared cohort it is the most direct evidence
 * there is — the same goods under the same transaction conditions — and its difference of mean
 * log prices is reported as a {@code cell} row (descriptive; the test is the SKU regression).
 */
public final class CellEvidence {
  /** The findings' {@code level} of an exact cell's row. */
  public static final String LEVEL = "cell";
  public static final String METHOD = "exact_cell_mean_log_difference";

  private final AuditConfig config;
  private final List<String> dimensions;

  public CellEvidence(AuditConfig config, List<String> dimensions) {
    this.config = config;
    this.dimensions = List.copyOf(dimensions);
  }

  /**
   * Every cell that holds both cohorts of a comparison, with a readable context. Input: the
   * cell rows of {@link SkuPass#cells} (computed where each SKU's quotes are, so
   * cells cost no shuffle of their own). Columns: sku_id, currency, one fe_&lt;dimension&gt;
   * per dimension, n_reference, customers_reference, merchant_id, n_compared,
   * customers_compared, comparison, estimate_log, segment, compared, reference, context (the
   * values of the dimensions that define the cell: a segment's own dimension is not one).
   */
  public Dataset<Row> cellsWithBoth(Dataset<Row> cellRows) {
    return cellRows.withColumn(Findings.CONTEXT, context());
  }

  /** Number of cells with both groups per (sku_id, currency, segment, comparison). */
  public static Dataset<Row> countPerSku(Dataset<Row> cells) {
    return cells.groupBy(Quotes.SKU_ID, Quotes.CURRENCY, Findings.SEGMENT, Findings.COMPARISON)
        .agg(count(lit(1)).as(Findings.CELLS_WITH_BOTH));
  }

  /** The largest cells of each SKU and comparison (by the smaller of the two cohort counts). */
  public Dataset<Row> strongest(Dataset<Row> cells) {
    List<Column> order = new ArrayList<>(List.of(largestFirst()));
    order.add(col(Findings.CONTEXT));
    return cells
        .withColumn("__rank", row_number().over(
            Window.partitionBy(Quotes.SKU_ID, Quotes.CURRENCY, Findings.SEGMENT,
                    Findings.COMPARISON)
                .orderBy(order.toArray(Column[]::new))))
        .filter(col("__rank").leq(config.cellsPerSku()))
        .drop("__rank")
        .withColumn(Findings.PENALTY_PCT, Inference.percent(col(Findings.ESTIMATE_LOG)));
  }

  /**
   * The cells of a SKU comparison largest first, the strongest evidence: by the smaller of the
   * two groups' quotes, then by both together. Cells of the same size follow in the order of
   * their context.
   */
  static Column[] largestFirst() {
    return new Column[] {
        least(col(Findings.N_REFERENCE), col(Findings.N_COMPARED)).desc_nulls_last(),
        col(Findings.N_REFERENCE).plus(col(Findings.N_COMPARED)).desc_nulls_last()};
  }

  private Column context() {
    return context(config, dimensions);
  }

  /**
   * The readable context of an exact cell, {@code d=value; ...} over {@code dimensions} (the
   * time bucket as its start in {@code input.timezone}), from the fixed-effect columns.
   */
  static Column context(AuditConfig config, List<String> dimensions) {
    List<Column> parts = new ArrayList<>();
    for (String d : dimensions) {
      Column value = col(ContextFrame.feColumn(d));
      if (d.equals(ContextFrame.TIME_BUCKET)) {
        Column start = to_utc_timestamp(
            timestamp_seconds(value.cast(DataTypes.LongType).multiply(config.timeBucketSeconds())),
            config.timezone().getId());
        value = date_format(start, "yyyy-MM-dd HH:mm");
      }
      parts.add(org.apache.spark.sql.functions.concat(lit(d + "="), value));
    }
    return concat_ws("; ", parts.toArray(Column[]::new));
  }

}
