package org.loyaltypenalty.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small handmade log of offers: {@value #CUSTOMERS} loyal customers (seven purchases each
 * before the quotes) and {@value #CUSTOMERS} new ones quote each SKU once an hour for
 * {@value #HOURS} hours, at the same price give or take a cent. On each SKU the first half of
 * the new customers always take an offer of {@value #DISCOUNT_PCT}% off; the other half pay the
 * loyal price, or take the same discount with no offer id when the SKU says so.
 */
final class OfferLog {
  static final int CUSTOMERS = 12;
  static final int HOURS = 10;
  static final int DISCOUNT_PCT = 10;

  /**
   * One SKU of the log.
   *
   * @param merchant its merchant; null in every SKU of a log without a merchant column
   * @param offer the offer id the first half of new customers' quotes carry
   * @param everyNewCustomer whether the other half of new customers get the discount too,
   *     with no offer id
   */
  record Sku(String id, String merchant, String offer, boolean everyNewCustomer) {}

  private OfferLog() {}

  /** Writes {@code quotes.csv} and {@code purchases.csv} into {@code dir}. */
  static void write(Path dir, List<Sku> skus) throws IOException {
    List<String> purchases = new ArrayList<>();
    purchases.add("customer_id,purchased_at");
    for (int c = 0; c < CUSTOMERS; c++) {
      purchases.add(String.format("L%02d,2024-06-01T10:00:00Z", c));
      for (int p = 0; p < 6; p++) {
        purchases.add(String.format("L%02d,2025-%02d-15T10:00:00Z", c, 1 + p));
      }
    }
    boolean merchants = skus.stream().anyMatch(s -> s.merchant() != null);
    List<String> quotes = new ArrayList<>();
    quotes.add("quote_id,customer_id,sku_id,quoted_at,price,currency,offer_id"
        + (merchants ? ",merchant_id" : ""));
    int id = 0;
    for (Sku sku : skus) {
      String merchant = merchants ? "," + sku.merchant() : "";
      for (int h = 0; h < HOURS; h++) {
        for (int c = 0; c < CUSTOMERS; c++) {
          String at = String.format("2026-01-05T%02d:%02d:00Z", 8 + h, 2 * c);
          double price = 10.00 + 0.01 * ((h + c) % 3);
          boolean offer = c < CUSTOMERS / 2;
          double paid = offer || sku.everyNewCustomer() ? price * (1 - DISCOUNT_PCT / 100.0)
              : price;
          quotes.add(String.format(Locale.ROOT, "q%d,N%02d,%s,%s,%.2f,EUR,%s%s", id++, c,
              sku.id(), at, paid, offer ? sku.offer() : "", merchant));
          quotes.add(String.format(Locale.ROOT, "q%d,L%02d,%s,%s,%.2f,EUR,%s", id++, c,
              sku.id(), at, price, merchant));
        }
      }
    }
    Files.write(dir.resolve("quotes.csv"), quotes);
    Files.write(dir.resolve("purchases.csv"), purchases);
  }
}
