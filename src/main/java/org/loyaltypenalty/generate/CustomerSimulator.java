package org.loyaltypenalty.generate;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
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
 *
 * <p>Each customer also has a membership tier, a device and a birth year. The tier goes with
 * loyalty (most diamond members are frequent buyers; gold and diamond members shop at peak hours
 * more often still) and a few members move up one tier during the window, so the quote carries
 * the tier as of its time; iOS users use the app more often; customers aged 70 and over live in
 * {@value #DEAR_REGION} more often, while the share of over-70s in the UK and in the euro area
 * is the same, so that age stays independent of loyalty. These attributes are drawn from a
 * stream of their own per customer, so the purchase history before the window and the draws of
 * every other column stay as they are without them; only the hour of gold and diamond members'
 * quotes (and so of the purchases among them), the channel of iOS users' and the prices on the
 * SKUs these attributes are planted on move, and cohorts barely (none in the bundled sample).
 * What is drawn once per customer is its {@link CustomerProfile}. {@link #customerRows} writes
 * the customers table: {@code customer_id}, {@code birth_year} and {@code signup_city} (used by
 * no segment), with a few empty birth years and the defects real exports have.
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
  /** The region where the {@link SkuPlan.Role#TRAP_REGION} SKUs cost {@link #REGION_PREMIUM} more. */
  static final String DEAR_REGION = "GB-EDI";
  static final double REGION_PREMIUM = 1.12;
  /** Added to the peak-hour share of gold and diamond members. */
  static final double MEMBER_PEAK_EXTRA = 0.15;
  /** Share of customers with an empty birth year. */
  static final double BIRTH_YEAR_UNKNOWN_PROBABILITY = 0.03;
  /** Share of customers whose row is defective (unparseable, implausible or listed twice). */
  static final double CUSTOMER_MALFORMED_PROBABILITY = 0.02;
  private static final String[] CITIES = {"London", "Manchester", "Edinburgh", "Leeds", "Berlin",
      "Paris", "Lyon"};
  private static final long ATTRIBUTE_STREAM = 0x6A09E667F3BCC909L;
  private static final long DEFENCE_STREAM = 0xBB67AE8584CAA73BL;
  static final long DAY_S = 86_400L;
  private static final String[] COHORTS = {"new", "repeat", "loyal"};
  private static final String[] OS = {"ios", "android", "windows", "macos"};

  private final List<SkuPlan> plans;
  private final double[] cumulative;
  private final long windowStart;
  private final int days;
  private final double quotesPerCustomer;
  private final long seed;
  private final int lookbackDays;
  private final int repeatMin;
  private final int loyalMin;
  private final boolean defences;

  public CustomerSimulator(List<SkuPlan> plans, Instant windowStart, int days,
      double quotesPerCustomer, long seed) {
    this(plans, windowStart, days, quotesPerCustomer, seed, false);
  }

  /**
   * @param defences whether quotes carry {@link #DEFENCE_COLUMNS} (offers, price experiments,
   *     fees and coupons), priced as the plan's defence roles say
   */
  public CustomerSimulator(List<SkuPlan> plans, Instant windowStart, int days,
      double quotesPerCustomer, long seed, boolean defences) {
    this.defences = defences;
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
      "order_id", "purchased", "member_tier", "true_cohort"};
  /**
   * The columns {@code --defences} adds after {@link #QUOTE_COLUMNS}: empty on every SKU but the
   * defence roles' ({@code coupon} is always empty).
   */
  public static final String[] DEFENCE_COLUMNS = {"offer_id", "experiment_id", "experiment_arm",
      "fee", "coupon"};
  public static final String[] PURCHASE_COLUMNS = {"customer_id", "purchased_at", "order_id"};
  public static final String[] CUSTOMER_COLUMNS = {"customer_id", "birth_year", "signup_city"};

  private SplittableRandom stream(long index) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
  }

  /** The quote columns this simulator writes. */
  public String[] quoteColumns() {
    if (!defences) {
      return QUOTE_COLUMNS.clone();
    }
    String[] out = Arrays.copyOf(QUOTE_COLUMNS, QUOTE_COLUMNS.length + DEFENCE_COLUMNS.length);
    System.arraycopy(DEFENCE_COLUMNS, 0, out, QUOTE_COLUMNS.length, DEFENCE_COLUMNS.length);
    return out;
  }

  /**
   * The draws of the defence roles (experiment arms, offers), from a stream of their own, so that
   * every other column is the same with and without {@code --defences}.
   */
  private SplittableRandom defenceStream(long index) {
    return new SplittableRandom((seed * 0x9E3779B97F4A7C15L + index) ^ DEFENCE_STREAM);
  }

  private SplittableRandom attributeStream(long index) {
    return new SplittableRandom((seed * 0x9E3779B97F4A7C15L + index) ^ ATTRIBUTE_STREAM);
  }

  /** The profile of customer {@code index}. */
  CustomerProfile profile(long index) {
    return CustomerProfile.draw(stream(index), attributeStream(index), windowStart, days);
  }

  /**
   * The customers table's rows of customer {@code index} ({@link #CUSTOMER_COLUMNS}): one row,
   * with the birth year empty for {@value #BIRTH_YEAR_UNKNOWN_PROBABILITY} of customers; for
   * {@value #CUSTOMER_MALFORMED_PROBABILITY} of them a defect instead: a birth year that does not
   * parse, one before 1900, one after the window, or the customer listed twice with two years.
   */
  public List<String[]> customerRows(long index) {
    SplittableRandom attr = attributeStream(index);
    CustomerProfile p = CustomerProfile.draw(stream(index), attr, windowStart, days);
    String customer = String.format(Locale.ROOT, "C%07d", index);
    String city = CITIES[attr.nextInt(CITIES.length)];
    String year = attr.nextDouble() < BIRTH_YEAR_UNKNOWN_PROBABILITY ? "" : Integer.toString(p.birthYear());
    if (attr.nextDouble() >= CUSTOMER_MALFORMED_PROBABILITY) {
      return List.<String[]>of(new String[] {customer, year, city});
    }
    return switch (attr.nextInt(4)) {
      case 0 -> List.<String[]>of(new String[] {customer, "n/a", city});
      case 1 -> List.<String[]>of(new String[] {customer, "1875", city});
      case 2 -> List.<String[]>of(new String[] {customer, Integer.toString(p.birthYear() + 100), city});
      default -> List.of(new String[] {customer, Integer.toString(p.birthYear()), city},
          new String[] {customer, Integer.toString(p.birthYear() - 10), city});
    };
  }

  /** Every quote and purchase row of customer {@code index}. */
  public List<Output> simulate(long index) {
    SplittableRandom rnd = stream(index);
    CustomerProfile profile = CustomerProfile.draw(rnd, attributeStream(index), windowStart, days);
    String customer = String.format(Locale.ROOT, "C%07d", index);
    int segment = profile.segment();
    double rate = profile.rate();
    boolean euro = profile.euro();
    String region = profile.region();
    String os = OS[rnd.nextInt(OS.length)];
    boolean ios = os.equals("ios");
    double appShare = segment == 2 ? 0.8 : segment == 1 ? 0.5 : 0.25;
    // iOS users: 60% of the remaining web visits move to the app
    appShare = ios ? 1 - 0.4 * (1 - appShare) : appShare;
    double peakShare = (segment == 2 ? 0.6 : segment == 1 ? 0.3 : 0.15)
        + (profile.tier() >= 2 ? MEMBER_PEAK_EXTRA : 0);
    double bulkShare = segment == 0 ? 0.3 : segment == 1 ? 0.1 : 0.04;
    double customerEffect = Math.exp(CUSTOMER_SD * rnd.nextGaussian());
    SplittableRandom defence = defenceStream(index);
    // each customer's arm in the two price experiments: B with these probabilities
    boolean honestB = defence.nextDouble() < 0.5;
    boolean riggedB = defence.nextDouble()
        < (segment == 2 ? SkuPlan.RIGGED_SHARE : 1 - SkuPlan.RIGGED_SHARE);

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
        case TRAP_REGION -> list *= region.equals(DEAR_REGION) ? REGION_PREMIUM : 1;
        default -> { }
      }
      double noise = sku.role() == SkuPlan.Role.DETERMINISTIC ? 1
          : customerEffect * Math.exp(NOISE_SD * rnd.nextGaussian());
      if (sku.role() == SkuPlan.Role.DEVICE_DETERMINISTIC) {
        noise = 1; // drawn and dropped, so that the stream stays as it was for a null SKU
      }
      int tier = profile.tier(t);
      String ageBand = Segment.ageBand(Instant.ofEpochSecond(t).atZone(ZoneOffset.UTC).getYear()
          - profile.birthYear());
      double attributePenalty = sku.penalty(Segment.MEMBER_TIER, CustomerProfile.TIERS[tier])
          + sku.penalty(Segment.DEVICE_OS, os) + sku.penalty(Segment.AGE, ageBand);
      String[] defenceValues = {"", "", "", "", ""};
      if (defences) {
        list *= defenceValues(sku.role(), cohort, CustomerProfile.TIERS[tier], honestB, riggedB,
            defence.nextDouble(), defenceValues);
      }
      double price = list * noise * (1 + sku.penalty(cohort)) * (1 + attributePenalty);
      if (!defenceValues[0].isEmpty()) {
        price *= 1 - SkuPlan.OFFER_DISCOUNT;
      }
      boolean purchased = rnd.nextDouble() < PURCHASE_PROBABILITY;
      String quoteId = String.format(Locale.ROOT, "Q%07d-%04d", index, q);
      String orderId = purchased ? "O" + quoteId.substring(1) : "";
      String[] row = {quoteId, customer, sku.skuId(), sku.merchantId(),
          Instant.ofEpochSecond(t).toString(), cents(price), currency, app ? "app" : "web", os,
          region, Long.toString(quantity), cents(list), orderId, Boolean.toString(purchased),
          profile.tierUnknown() ? "" : CustomerProfile.TIERS[tier], COHORTS[cohort]};
      if (defences) {
        row = Arrays.copyOf(row, row.length + defenceValues.length);
        System.arraycopy(defenceValues, 0, row, QUOTE_COLUMNS.length, defenceValues.length);
      }
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

  /**
   * Fills a quote's {@link #DEFENCE_COLUMNS} for a SKU's role and returns the factor of its list
   * price: arm B of an experiment costs {@link SkuPlan#EXPERIMENT_PREMIUM} more; an offer (a
   * non-empty {@code offer_id}) goes to {@link SkuPlan#OFFER_SHARE} of new customers' quotes
   * ({@code u} below it); the fee SKU charges loyal customers {@link SkuPlan#FEE_LOYAL}, the
   * tier's fee SKU members of {@link SkuPlan#FEE_TIER} (as of the quote, {@code tier})
   * {@link SkuPlan#FEE_MEMBER}. No draw of its own: every other column is as without.
   */
  static double defenceValues(SkuPlan.Role role, int cohort, String tier, boolean honestB,
      boolean riggedB, double u, String[] values) {
    switch (role) {
      case OFFER_DISCLOSED, OFFER_PERSONALISED -> {
        if (cohort == 0 && u < SkuPlan.OFFER_SHARE) {
          values[0] = role == SkuPlan.Role.OFFER_DISCLOSED
              ? SkuPlan.DISCLOSED_OFFER : SkuPlan.PERSONALISED_OFFER;
        }
      }
      case EXPERIMENT_HONEST, EXPERIMENT_RIGGED -> {
        boolean b = role == SkuPlan.Role.EXPERIMENT_HONEST ? honestB : riggedB;
        values[1] = role == SkuPlan.Role.EXPERIMENT_HONEST ? "EXP-HONEST" : "EXP-RIGGED";
        values[2] = b ? "B" : "A";
        return b ? 1 + SkuPlan.EXPERIMENT_PREMIUM : 1;
      }
      case FEE_PENALTY -> values[3] = cents(cohort == 2 ? SkuPlan.FEE_LOYAL : SkuPlan.FEE);
      case TIER_FEE_PENALTY -> values[3] = cents(tier.equals(SkuPlan.FEE_TIER)
          ? SkuPlan.FEE_MEMBER : SkuPlan.FEE);
      default -> { }
    }
    return 1;
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
