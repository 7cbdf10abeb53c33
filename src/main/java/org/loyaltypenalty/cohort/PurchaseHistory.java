package org.loyaltypenalty.cohort;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Purchases;
import org.loyaltypenalty.Columns.Quotes;

/**
 * One row per purchase: (customer_id, purchased_at). A purchase is an order, not an order line:
 * rows sharing an {@code order_id} (else a timestamp) for a customer are one purchase, dated by
 * its earliest line. The rows are lazy and partitioned by customer.
 */
public final class PurchaseHistory {
  private PurchaseHistory() {}

  /** Purchases from a validated purchases input. */
  public static Dataset<Row> fromPurchases(Dataset<Row> validPurchases) {
    return distinctOrders(validPurchases, Purchases.PURCHASED_AT);
  }

  /**
   * Purchases from the quotes themselves: the quotes with {@code purchased = true}, or every
   * quote when the input has no {@code purchased} column (an orders-only export).
   */
  public static Dataset<Row> fromQuotes(Dataset<Row> validQuotes) {
    Dataset<Row> bought = has(validQuotes, Quotes.PURCHASED)
        ? validQuotes.filter(col(Quotes.PURCHASED))
        : validQuotes;
    Dataset<Row> renamed = bought.select(
        col(Quotes.CUSTOMER_ID).as(Purchases.CUSTOMER_ID),
        col(Quotes.QUOTED_AT).as(Purchases.PURCHASED_AT),
        has(validQuotes, Quotes.ORDER_ID)
            ? col(Quotes.ORDER_ID).as(Purchases.ORDER_ID)
            : org.apache.spark.sql.functions.lit(null).cast("string").as(Purchases.ORDER_ID));
    return distinctOrders(renamed, Purchases.PURCHASED_AT);
  }

  private static Dataset<Row> distinctOrders(Dataset<Row> in, String timeColumn) {
    Column orderKey = has(in, Purchases.ORDER_ID)
        ? org.apache.spark.sql.functions.coalesce(col(Purchases.ORDER_ID),
            col(timeColumn).cast("string"))
        : col(timeColumn).cast("string");
    // shuffled by customer alone: the orders come out grouped by customer, as the timelines
    // (CohortAssigner#gather) group them, and are not shuffled a second time
    return in.repartition(col(Purchases.CUSTOMER_ID))
        .groupBy(col(Purchases.CUSTOMER_ID), orderKey.as("order_key"))
        .agg(min(col(timeColumn)).as(Purchases.PURCHASED_AT))
        .select(Purchases.CUSTOMER_ID, Purchases.PURCHASED_AT);
  }

  private static boolean has(Dataset<Row> ds, String column) {
    return Arrays.asList(ds.columns()).contains(column);
  }
}
