package org.loyaltypenalty.generate;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Simulates one customer: a purchase history before the window, then quotes inside it, each
 * priced with the SKU's planted penalty for the customer's cohort as of the quote's time. The
 * cohort is counted here by a plain scan over the customer's purchases, independently of the
 * audit's timeline search, so that the audit is checked against a separate implementation.
 *
 * <p>Behaviour that confounds a naive comparison is tied to the customer's segment: frequent
 * buyers shop at peak hours, use the app, live in the euro area more often and rarely buy in
 * bulk. The traps price those contexts differently for everyone.
 */
public final class CustomerSimulator implements Serializable {
  static final int PEAK_FROM = 18;
  static final int PEAK_TO = 21;
  static final double SURGE = 1.15;
  static final double APP_PREMIUM = 1.10;
  static final double BULK_DISCOUNT = 0.85;
  static final int BULK_QUANTITY = 6;
  static final double EUR_PER_GBP = 1.17;
  static final double NOISE_SD = 0.02;
  static final double CUSTOMER_SD = 0.01;
  static final double PURCHASE_PROBABILITY = 0.15;
  static final double MALFORMED_PROBABILITY = 0.002;
  private static final long DAY_S = 86_400L;
  private static final String[] COHORTS = {"new", "repeat", "loyal"};
  private static final String[] OS = {"ios", "android", "windows", "macos"};
  private static final String[] UK = {"GB-LND", "GB-MAN", "GB-EDI"};
  private static final String[] EU = {"DE-BE", "FR-PA"};

  private final List<SkuPlan> plans;
  private final double[] cumulative;
  private final long windowStart;
  private final int days;
  private final double quotesPerCustomer;
  private final long seed;
  private final int lookbackDays;
  private final int repeatMin;
  private final int loyalMin;

  public CustomerSimulator(List<SkuPlan> plans, Instant windowStart, int days,
      double quotesPerCustomer, long seed) {
    this.plans = List.copyOf(plans);
    this.windowStart = windowStart.getEpochSecond();
    this.days = days;
    this.quotesPerCustomer = quotesPerCustomer;
    this.seed = seed;
    this.lookbackDays = 365;
    this.repeatMin = 1;
    this.loyalMin = 5;
    cumulative = new double[plans.size()];
    double total = 0;
    for (int i = 0; i < plans.size(); i++) {
      total += Math.pow(i + 1, -SkuPlan.ZIPF_EXPONENT);
      cumulative[i] = total;
    }
    for (int i = 0; i < cumulative.length; i++) {
      cumulative[i] /= total;
    }
  }

  /** A quote row (all strings, as a CSV export would hold them) or a purchase row. */
  public record Output(boolean purchase, String[] values) implements Serializable {}

  public static final String[] QUOTE_COLUMNS = {"quote_id", "customer_id", "sku_id", "merchant_id",
      "quoted_at", "price", "currency", "channel", "device_os", "region", "quantity", "list_price",
      "order_id", "purchased", "true_cohort"};
  public static final String[] PURCHASE_COLUMNS = {"customer_id", "purchased_at", "order_id"};

  /** Every quote and purchase row of customer {@code index}. */
  public List<Output> simulate(long index) {
    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    String customer = String.format(Locale.ROOT, "C%07d", index);
    double u = rnd.nextDouble();
    int segment = u < 0.55 ? 0 : u < 0.83 ? 1 : 2;
    double rate = segment == 0 ? (rnd.nextDouble() < 0.8 ? 0 : 0.5)
        : segment == 1 ? 1 + 2 * rnd.nextDouble() : 5 + 7 * rnd.nextDouble();
    boolean euro = rnd.nextDouble() < (segment == 2 ? 0.45 : segment == 1 ? 0.3 : 0.15);
    String region = euro ? EU[rnd.nextInt(EU.length)] : UK[rnd.nextInt(UK.length)];
    String os = OS[rnd.nextInt(OS.length)];
    double appShare = segment == 2 ? 0.8 : segment == 1 ? 0.5 : 0.25;
    double peakShare = segment == 2 ? 0.6 : segment == 1 ? 0.3 : 0.15;
    double bulkShare = segment == 0 ? 0.3 : segment == 1 ? 0.1 : 0.04;
    double customerEffect = Math.exp(CUSTOMER_SD * rnd.nextGaussian());

    List<Output> out = new ArrayList<>();
    int historyDays = lookbackDays + 35;
    int historyCount = poisson(rnd, rate * historyDays / 365.0);
    long[] purchases = new long[historyCount + 64];
    int purchaseCount = 0;
    for (int h = 0; h < historyCount; h++) {
      long t = windowStart - 1 - (long) (rnd.nextDouble() * historyDays * DAY_S);
      purchases[purchaseCount++] = t;
      out.add(new Output(true, new String[] {customer, Instant.ofEpochSecond(t).toString(),
          String.format(Locale.ROOT, "H%07d-%d", index, h)}));
    }
    double weight = segment == 2 ? 1.4 : 1.0;
    int quotes = poisson(rnd, quotesPerCustomer * weight);
    long[] times = new long[quotes];
    for (int q = 0; q < quotes; q++) {
      int day = rnd.nextInt(days);
      int hour = rnd.nextDouble() < peakShare ? PEAK_FROM + rnd.nextInt(PEAK_TO - PEAK_FROM + 1)
          : 7 + rnd.nextInt(17);
      times[q] = windowStart + day * DAY_S + hour * 3600L + rnd.nextInt(3600);
    }
    Arrays.sort(times);
    for (int q = 0; q < quotes; q++) {
      long t = times[q];
      int prior = 0;
      for (int p = 0; p < purchaseCount; p++) {
        if (purchases[p] < t && purchases[p] >= t - lookbackDays * DAY_S) {
          prior++;
        }
      }
      int cohort = prior >= loyalMin ? 2 : prior >= repeatMin ? 1 : 0;
      SkuPlan sku = plans.get(pickSku(rnd.nextDouble()));
      boolean app = rnd.nextDouble() < appShare;
      int hour = (int) ((t % DAY_S) / 3600);
      boolean peak = hour >= PEAK_FROM && hour <= PEAK_TO;
      long quantity = rnd.nextDouble() < bulkShare ? BULK_QUANTITY : 1 + (rnd.nextDouble() < 0.2 ? 1 : 0);
      String currency = sku.currencies().size() > 1 && euro ? "EUR" : sku.currencies().get(0);
      double list = sku.basePrice() * (currency.equals("EUR") ? EUR_PER_GBP : 1);
      switch (sku.role()) {
        case TRAP_SURGE -> list *= peak ? SURGE : 1;
        case TRAP_CHANNEL -> list *= app ? APP_PREMIUM : 1;
        case TRAP_QUANTITY -> list *= quantity >= BULK_QUANTITY ? BULK_DISCOUNT : 1;
        default -> { }
      }
      double noise = sku.role() == SkuPlan.Role.DETERMINISTIC ? 1
          : customerEffect * Math.exp(NOISE_SD * rnd.nextGaussian());
      double price = list * noise * (1 + sku.penalty(cohort));
      boolean purchased = rnd.nextDouble() < PURCHASE_PROBABILITY;
      String quoteId = String.format(Locale.ROOT, "Q%07d-%04d", index, q);
      String orderId = purchased ? "O" + quoteId.substring(1) : "";
      String[] row = {quoteId, customer, sku.skuId(), sku.merchantId(),
          Instant.ofEpochSecond(t).toString(), cents(price), currency, app ? "app" : "web", os,
          region, Long.toString(quantity), cents(list), orderId, Boolean.toString(purchased),
          COHORTS[cohort]};
      if (rnd.nextDouble() < MALFORMED_PROBABILITY) {
        malform(rnd, row, out);
        continue;
      }
      out.add(new Output(false, row));
      if (purchased) {
        if (purchaseCount == purchases.length) {
          purchases = Arrays.copyOf(purchases, purchaseCount * 2);
        }
        purchases[purchaseCount++] = t;
        out.add(new Output(true, new String[] {customer, Instant.ofEpochSecond(t).toString(), orderId}));
      }
    }
    return out;
  }

  /** One of the defects real exports have; the row is never a purchase. */
  private static void malform(SplittableRandom rnd, String[] row, List<Output> out) {
    row[12] = "";
    row[13] = "false";
    switch (rnd.nextInt(8)) {
      case 0 -> row[1] = "";
      case 1 -> row[5] = "12,50";
      case 2 -> row[5] = "-" + row[5];
      case 3 -> row[10] = "0";
      case 4 -> row[4] = "2026-13-45 25:61";
      case 5 -> row[6] = "EURO";
      case 6 -> row[10] = "1.5";
      default -> out.add(new Output(false, row.clone()));
    }
    out.add(new Output(false, row));
  }

  private int pickSku(double u) {
    int i = Arrays.binarySearch(cumulative, u);
    return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
  }

  private static int poisson(SplittableRandom rnd, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 50) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * rnd.nextGaussian()));
    }
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }

  static String cents(double price) {
    return BigDecimal.valueOf(price).setScale(2, RoundingMode.HALF_UP).toPlainString();
  }
}
