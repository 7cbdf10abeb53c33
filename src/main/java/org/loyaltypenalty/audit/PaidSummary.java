package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Estimates;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.run.PaidGap;
import org.loyaltypenalty.sku.Outcome;
import org.loyaltypenalty.sku.SkuPass;

/**
 * The report's view of what the customer paid: the flagged {@code sku} rows of the money
 * outcomes, the loyalty cohort's and every segment's, each with its total's split into parts
 * ({@link SkuPass#outcomes}) and the status of the same comparison's unit-price row. A few rows
 * reach the driver.
 */
final class PaidSummary {
  private PaidSummary() {}

  /**
   * @param findings the run's findings (one segment's rows, or all; rows of other levels than
   *     {@code sku} are left out)
   * @param outcomes {@link SkuPass#outcomes} of the run
   */
  static List<PaidGap> summarise(Dataset<Row> findings, Dataset<Row> outcomes) {
    Dataset<Row> sku = findings.filter(col(Findings.LEVEL).equalTo("sku"));
    Dataset<Row> money = sku.filter(col(Findings.FLAGGED)
        .and(col(Findings.OUTCOME).notEqual(Outcome.PRICE.code())));
    Dataset<Row> price = sku.filter(col(Findings.OUTCOME).equalTo(Outcome.PRICE.code()))
        .select(col(Findings.SKU_ID), col(Findings.CURRENCY), col(Findings.SEGMENT),
            col(Findings.COMPARISON), col(Findings.STATUS).as("price_status"));
    Dataset<Row> parts = outcomes.select(col(Quotes.SKU_ID).as(Findings.SKU_ID),
        col(Quotes.CURRENCY).as(Findings.CURRENCY), col(Findings.SEGMENT),
        col(Findings.COMPARISON), col(Findings.OUTCOME), col(Estimates.PART_LIST),
        col(Estimates.PART_DISCOUNT), col(Estimates.PART_PRICE), col(Estimates.PART_FEE),
        col(Estimates.PART_COUPON));
    scala.collection.immutable.Seq<String> key =
        seq(Findings.SKU_ID, Findings.CURRENCY, Findings.SEGMENT, Findings.COMPARISON);
    scala.collection.immutable.Seq<String> outcomeKey =
        seq(Findings.SKU_ID, Findings.CURRENCY, Findings.SEGMENT, Findings.COMPARISON,
            Findings.OUTCOME);
    List<PaidGap> out = new ArrayList<>();
    for (Row r : money.join(parts, outcomeKey, "left").join(price, key, "left")
        .orderBy(col(Findings.OUTCOME), col(Findings.PENALTY_PCT).desc(), col(Findings.SKU_ID),
            col(Findings.CURRENCY), col(Findings.SEGMENT), col(Findings.COMPARISON))
        .collectAsList()) {
      out.add(new PaidGap(r.getAs(Findings.SKU_ID), r.getAs(Findings.CURRENCY),
          r.getAs(Findings.SEGMENT), r.getAs(Findings.COMPARISON), r.getAs(Findings.COMPARED),
          r.getAs(Findings.REFERENCE), r.getAs(Findings.OUTCOME), r.getAs(Findings.PENALTY_PCT),
          r.getAs(Findings.CI_LOW_PCT), r.getAs(Findings.CI_HIGH_PCT),
          r.getAs(Findings.Q_VALUE), r.getAs(Findings.ESTIMATE_MONEY),
          r.getAs(Findings.REFERENCE_MEAN), r.getAs(Findings.CUSTOMERS_REFERENCE),
          r.getAs(Findings.CUSTOMERS_COMPARED), r.getAs("price_status"),
          r.getAs(Estimates.PART_LIST), r.getAs(Estimates.PART_DISCOUNT),
          r.getAs(Estimates.PART_PRICE), r.getAs(Estimates.PART_FEE),
          r.getAs(Estimates.PART_COUPON)));
    }
    return out;
  }
}
