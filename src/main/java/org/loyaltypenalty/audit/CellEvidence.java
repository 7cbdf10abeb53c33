package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_utc_timestamp;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;

/**
 * Exact cells: quotes of one SKU and currency in one time bucket with every context value equal.
 * Where a cell holds both new customers and a compared cohort it is the most direct evidence
 * there is — the same goods under the same transaction conditions — and its difference of mean
 * log prices is reported as a {@code cell} row (descriptive; the test is the SKU regression).
 */
public final class CellEvidence {
  public static final String METHOD = "exact_cell_mean_log_difference";

  private final AuditConfig config;
  private final List<String> dimensions;

  public CellEvidence(AuditConfig config, List<String> dimensions) {
    this.config = config;
    this.dimensions = List.copyOf(dimensions);
  }

  /**
   * Every cell that holds both cohorts of a comparison: keys, counts, customers, the mean log
   * difference and a readable context. Columns: sku_id, currency, comparison, merchant_id,
   * context, n_reference, n_compared, customers_reference, customers_compared, estimate_log.
   */
  public Dataset<Row> cellsWithBoth(Dataset<Row> prepared) {
    List<Column> keys = new ArrayList<>(List.of(col(Quotes.SKU_ID), col(Quotes.CURRENCY)));
    dimensions.forEach(d -> keys.add(col(ContextFrame.feColumn(d))));
    List<Column> byCohort = new ArrayList<>(keys);
    byCohort.add(col(Derived.COHORT));
    // per customer first, then per cell: two plain aggregations instead of a distinct count
    List<Column> byCustomer = new ArrayList<>(byCohort);
    byCustomer.add(col(Quotes.CUSTOMER_ID));
    Dataset<Row> perCohort = prepared.groupBy(byCustomer.toArray(Column[]::new)).agg(
            count(lit(1)).as("n"),
            sum(col(Derived.LOG_PRICE)).as("sum_log"),
            first(col(Quotes.MERCHANT_ID), true).as(Quotes.MERCHANT_ID))
        .groupBy(byCohort.toArray(Column[]::new)).agg(
            sum(col("n")).as("n"),
            count(lit(1)).as("customers"),
            sum(col("sum_log")).divide(sum(col("n"))).as("mean_log"),
            first(col(Quotes.MERCHANT_ID), true).as(Quotes.MERCHANT_ID));
    List<String> keyNames = new ArrayList<>(List.of(Quotes.SKU_ID, Quotes.CURRENCY));
    dimensions.forEach(d -> keyNames.add(ContextFrame.feColumn(d)));
    scala.collection.immutable.Seq<String> joinKeys =
        scala.jdk.javaapi.CollectionConverters.asScala(keyNames).toList();

    Dataset<Row> reference = perCohort.filter(col(Derived.COHORT).equalTo(Comparison.reference().code()))
        .select(renamed(keyNames, "n", Findings.N_REFERENCE, "customers",
            Findings.CUSTOMERS_REFERENCE, "mean_log", "mean_reference", Quotes.MERCHANT_ID,
            Quotes.MERCHANT_ID));
    Dataset<Row> all = null;
    for (Comparison c : Comparison.values()) {
      Dataset<Row> compared = perCohort.filter(col(Derived.COHORT).equalTo(c.compared().code()))
          .select(renamed(keyNames, "n", Findings.N_COMPARED, "customers",
              Findings.CUSTOMERS_COMPARED, "mean_log", "mean_compared", null, null));
      Dataset<Row> joined = reference.join(compared, joinKeys)
          .withColumn(Findings.COMPARISON, lit(c.code()));
      all = all == null ? joined : all.unionByName(joined);
    }
    return all
        .withColumn(Findings.ESTIMATE_LOG, col("mean_compared").minus(col("mean_reference")))
        .withColumn(Findings.CONTEXT, context())
        .drop("mean_compared", "mean_reference");
  }

  /** Number of cells with both cohorts per (sku_id, currency, comparison). */
  public static Dataset<Row> countPerSku(Dataset<Row> cells) {
    return cells.groupBy(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON)
        .agg(count(lit(1)).as(Findings.CELLS_WITH_BOTH));
  }

  /** The largest cells of each SKU and comparison (by the smaller of the two cohort counts). */
  public Dataset<Row> strongest(Dataset<Row> cells) {
    return cells
        .withColumn("__rank", row_number().over(
            Window.partitionBy(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON)
                .orderBy(least(col(Findings.N_REFERENCE), col(Findings.N_COMPARED)).desc(),
                    col(Findings.N_REFERENCE).plus(col(Findings.N_COMPARED)).desc(),
                    col(Findings.CONTEXT))))
        .filter(col("__rank").leq(config.cellsPerSku()))
        .drop("__rank")
        .withColumn(Findings.PENALTY_PCT, exp(col(Findings.ESTIMATE_LOG)).minus(1).multiply(100));
  }

  private Column context() {
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

  private static Column[] renamed(List<String> keys, String... pairs) {
    List<Column> out = new ArrayList<>();
    keys.forEach(k -> out.add(col(k)));
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i] != null) {
        out.add(col(pairs[i]).as(pairs[i + 1]));
      }
    }
    return out.toArray(Column[]::new);
  }
}
