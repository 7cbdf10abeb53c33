package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;

/**
 * What the analysed quotes span, counted in one aggregation.
 *
 * @param customers distinct customers
 * @param skuCurrencyPairs distinct (SKU, currency) pairs
 * @param first the first quote's time (ISO-8601 instant), null without a quote
 * @param last the last quote's time, null without a quote
 * @param merchants distinct merchants
 * @param withOffer the quotes with an offer (0 unless disclosed offers are configured)
 * @param withDisclosedOffer of those, the quotes with a disclosed offer (likewise)
 */
record QuoteOverview(long customers, long skuCurrencyPairs, String first, String last,
    long merchants, long withOffer, long withDisclosedOffer) {

  /** The overview of {@code analysed}, the quotes the audit compares. */
  static QuoteOverview of(Dataset<Row> analysed, AuditConfig config) {
    boolean offers = DisclosedOfferCheck.active(config);
    List<Column> columns = new ArrayList<>(List.of(
        countDistinct(col(Quotes.SKU_ID), col(Quotes.CURRENCY)), min(col(Quotes.QUOTED_AT)),
        max(col(Quotes.QUOTED_AT)), countDistinct(col(Quotes.MERCHANT_ID))));
    if (offers) {
      columns.addAll(DisclosedOfferCheck.quoteCounts(config));
    }
    Row r = analysed.agg(countDistinct(col(Quotes.CUSTOMER_ID)), columns.toArray(Column[]::new))
        .first();
    return new QuoteOverview(r.getLong(0), r.getLong(1), instant(r, 2), instant(r, 3),
        r.getLong(4), offers ? FindingsTotals.longAt(r, 5) : 0,
        offers ? FindingsTotals.longAt(r, 6) : 0);
  }

  private static String instant(Row row, int index) {
    return row.isNullAt(index) ? null : row.getTimestamp(index).toInstant().toString();
  }
}
