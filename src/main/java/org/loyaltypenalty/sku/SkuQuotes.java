package org.loyaltypenalty.sku;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * The quotes of one (SKU, currency), as primitive arrays, in one canonical order: what every
 * per-SKU computation reads. Plain Java: built from rows by {@link SkuPass}, from values by a
 * test.
 *
 * <p>Customers, merchants and context levels are numbered densely; after {@link #canonicalise}
 * the numbering and the order of the quotes depend on the values alone, never on the order in
 * which the quotes were added (Spark does not promise the order of a group's rows, and sums of
 * floating-point numbers depend on the order of their terms).
 */
final class SkuQuotes {
  final String skuId;
  final String currency;
  /** Whether the input has a list price column (then {@link #list} is NaN where it is empty). */
  final boolean hasListPrice;
  /** Whether the input has a fee column (then {@link #fee} holds each quote's fee per unit). */
  final boolean hasFee;
  /** Whether the input has a coupon column (then {@link #coupon} holds it per unit). */
  final boolean hasCoupon;
  final Set<String> merchants;
  final TextIndex merchantLevels;
  final List<TextIndex> levels;
  /**
   * The customers' numbers while quotes are added; null once {@link #canonicalise}d, and in
   * quotes made from another's (which are canonical already and take no more quotes).
   */
  private TextIndex customers;
  double[] y = new double[64];
  double[] price = new double[64];
  byte[] cohort = new byte[64];
  int[] prior = new int[64];
  double[] list = new double[64];
  int[] customer = new int[64];
  int[] merchantOf = new int[64];
  boolean[] pseudoLoyal = new boolean[64];
  /** Fee per unit ({@code fee / quantity}), 0 without a fee column. */
  double[] fee = new double[64];
  /** Coupon per unit ({@code coupon / quantity}), 0 without a coupon column. */
  double[] coupon = new double[64];
  int[][] fe;
  /** Per configured segment, each quote's level index ({@code SegmentLevels}), -1 unknown. */
  int[][] segment;
  int n;

  /**
   * @param dimensions number of context dimensions held fixed
   * @param hasListPrice whether the input has a list price column
   */
  SkuQuotes(String skuId, String currency, int dimensions, boolean hasListPrice) {
    this(skuId, currency, dimensions, 0, hasListPrice);
  }

  /**
   * @param dimensions number of context dimensions held fixed
   * @param segments number of configured segments
   * @param hasListPrice whether the input has a list price column
   */
  SkuQuotes(String skuId, String currency, int dimensions, int segments, boolean hasListPrice) {
    this(skuId, currency, dimensions, segments, hasListPrice, false, false);
  }

  /**
   * @param dimensions number of context dimensions held fixed
   * @param segments number of configured segments
   * @param hasListPrice whether the input has a list price column
   * @param hasFee whether the input has a fee column
   * @param hasCoupon whether the input has a coupon column
   */
  SkuQuotes(String skuId, String currency, int dimensions, int segments, boolean hasListPrice,
      boolean hasFee, boolean hasCoupon) {
    this.skuId = skuId;
    this.currency = currency;
    this.hasListPrice = hasListPrice;
    this.hasFee = hasFee;
    this.hasCoupon = hasCoupon;
    merchants = new HashSet<>();
    merchantLevels = new TextIndex();
    levels = new ArrayList<>();
    customers = new TextIndex();
    fe = new int[dimensions][64];
    segment = new int[segments][64];
    for (int k = 0; k < dimensions; k++) {
      levels.add(new TextIndex());
    }
  }

  /**
   * The quotes of {@code parent} that {@code keep} selects, with the cohorts {@code cohortOf}
   * gives them (level and customer indices stay the parent's; the fit compacts them).
   */
  SkuQuotes(SkuQuotes parent, IntPredicate keep, IntUnaryOperator cohortOf) {
    skuId = parent.skuId;
    currency = parent.currency;
    hasListPrice = parent.hasListPrice;
    hasFee = parent.hasFee;
    hasCoupon = parent.hasCoupon;
    merchantLevels = parent.merchantLevels;
    levels = parent.levels;
    int[] index = IntStream.range(0, parent.n).filter(keep).toArray();
    take(parent, index);
    for (int r = 0; r < n; r++) {
      cohort[r] = (byte) cohortOf.applyAsInt(index[r]);
    }
    // the merchants of these quotes only, as quotes built from them would have
    String[] names = merchantLevels.values();
    merchants = new HashSet<>();
    for (int r = 0; r < n; r++) {
      if (merchantOf[r] >= 0) {
        merchants.add(names[merchantOf[r]]);
      }
    }
  }

  /**
   * Adds one quote.
   *
   * @param cohortOrdinal the quote's {@link org.loyaltypenalty.cohort.Cohort} ordinal
   * @param priorPurchases the customer's purchases before the quote (0 when unknown)
   * @param listPrice the list price, NaN when there is none
   * @param merchant null when the quote names none
   * @param levelValues the quote's value in each context dimension (copied; may be reused)
   */
  void add(String customerId, int cohortOrdinal, double logPrice, double unitPrice,
      int priorPurchases, double listPrice, String merchant, boolean pseudo,
      String[] levelValues) {
    add(customerId, cohortOrdinal, logPrice, unitPrice, priorPurchases, listPrice, merchant,
        pseudo, levelValues, new int[0]);
  }

  /**
   * Adds one quote with its level in each configured segment.
   *
   * @param segmentLevels the quote's level index in each segment, -1 when unknown (copied)
   */
  void add(String customerId, int cohortOrdinal, double logPrice, double unitPrice,
      int priorPurchases, double listPrice, String merchant, boolean pseudo,
      String[] levelValues, int[] segmentLevels) {
    add(customerId, cohortOrdinal, logPrice, unitPrice, priorPurchases, listPrice, merchant,
        pseudo, levelValues, segmentLevels, 0, 0);
  }

  /**
   * Adds one quote with its level in each configured segment and what was paid besides the
   * price.
   *
   * @param feePerUnit the fee over the quantity (0 when none)
   * @param couponPerUnit the coupon over the quantity (0 when none)
   */
  void add(String customerId, int cohortOrdinal, double logPrice, double unitPrice,
      int priorPurchases, double listPrice, String merchant, boolean pseudo,
      String[] levelValues, int[] segmentLevels, double feePerUnit, double couponPerUnit) {
    if (n == y.length) {
      int cap = n * 2;
      y = Arrays.copyOf(y, cap);
      price = Arrays.copyOf(price, cap);
      cohort = Arrays.copyOf(cohort, cap);
      prior = Arrays.copyOf(prior, cap);
      list = Arrays.copyOf(list, cap);
      customer = Arrays.copyOf(customer, cap);
      merchantOf = Arrays.copyOf(merchantOf, cap);
      pseudoLoyal = Arrays.copyOf(pseudoLoyal, cap);
      fee = Arrays.copyOf(fee, cap);
      coupon = Arrays.copyOf(coupon, cap);
      for (int k = 0; k < fe.length; k++) {
        fe[k] = Arrays.copyOf(fe[k], cap);
      }
      for (int s = 0; s < segment.length; s++) {
        segment[s] = Arrays.copyOf(segment[s], cap);
      }
    }
    for (int s = 0; s < segment.length; s++) {
      segment[s][n] = segmentLevels[s];
    }
    y[n] = logPrice;
    price[n] = unitPrice;
    prior[n] = priorPurchases;
    list[n] = listPrice;
    cohort[n] = (byte) cohortOrdinal;
    customer[n] = customers.indexOf(customerId);
    for (int k = 0; k < fe.length; k++) {
      fe[k][n] = levels.get(k).indexOf(levelValues[k]);
    }
    if (merchant == null) {
      merchantOf[n] = -1;
    } else {
      merchants.add(merchant);
      merchantOf[n] = merchantLevels.indexOf(merchant);
    }
    pseudoLoyal[n] = pseudo;
    fee[n] = feePerUnit;
    coupon[n] = couponPerUnit;
    n++;
  }

  /** Each quote's {@link org.loyaltypenalty.cohort.Cohort} ordinal, as the level of a group. */
  int[] cohortLevels() {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = cohort[i];
    }
    return out;
  }

  /**
   * Puts the quotes in one order whatever order they were added in: customers, context levels
   * and merchants are renumbered in an order fixed by their values, then the quotes are sorted
   * by customer and, within a customer, by every other field a fit reads. Quotes that tie on
   * every field are interchangeable. Cost: a sort of one {@code long} per distinct value, a
   * counting sort of the quotes by customer, and small sorts within each customer's quotes.
   */
  void canonicalise() {
    int[] customerRank = ValueOrder.renumber(customers.values());
    int customerCount = customerRank.length;
    customers = null; // customers are only indices from here on
    int[] merchantRank = ValueOrder.renumber(merchantLevels.values());
    merchantLevels.renumber(merchantRank);
    int[][] levelRank = new int[fe.length][];
    for (int k = 0; k < fe.length; k++) {
      int[] rank = ValueOrder.renumber(levels.get(k).values());
      levels.get(k).renumber(rank);
      levelRank[k] = rank;
    }
    for (int i = 0; i < n; i++) {
      customer[i] = customerRank[customer[i]];
      merchantOf[i] = merchantOf[i] < 0 ? -1 : merchantRank[merchantOf[i]];
      for (int k = 0; k < fe.length; k++) {
        fe[k][i] = levelRank[k][fe[k][i]];
      }
    }
    int[] start = new int[customerCount + 1];
    for (int i = 0; i < n; i++) {
      start[customer[i] + 1]++;
    }
    for (int c = 0; c < customerCount; c++) {
      start[c + 1] += start[c];
    }
    int[] order = new int[n];
    int[] next = Arrays.copyOf(start, customerCount);
    for (int i = 0; i < n; i++) {
      order[next[customer[i]]++] = i;
    }
    for (int c = 0; c < customerCount; c++) {
      sortRun(order, start[c], start[c + 1]);
    }
    take(this, order);
  }

  /** Sorts {@code order[from, to)}, the quotes of one customer, by {@link #compareFields}. */
  private void sortRun(int[] order, int from, int to) {
    if (to - from <= 32) {
      // insertion sort: most customers quote a SKU a few times
      for (int i = from + 1; i < to; i++) {
        int q = order[i];
        int j = i - 1;
        while (j >= from && compareFields(order[j], q) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = q;
      }
      return;
    }
    Integer[] run = new Integer[to - from];
    for (int r = 0; r < run.length; r++) {
      run[r] = order[from + r];
    }
    Arrays.sort(run, this::compareFields);
    for (int r = 0; r < run.length; r++) {
      order[from + r] = run[r];
    }
  }

  /** Orders two quotes of one customer by every field but the customer. */
  private int compareFields(int a, int b) {
    for (int[] level : fe) {
      if (level[a] != level[b]) {
        return Integer.compare(level[a], level[b]);
      }
    }
    int c = Integer.compare(merchantOf[a], merchantOf[b]);
    c = c != 0 ? c : Byte.compare(cohort[a], cohort[b]);
    c = c != 0 ? c : Double.compare(y[a], y[b]);
    c = c != 0 ? c : Double.compare(price[a], price[b]);
    c = c != 0 ? c : Double.compare(list[a], list[b]);
    c = c != 0 ? c : Integer.compare(prior[a], prior[b]);
    c = c != 0 ? c : Boolean.compare(pseudoLoyal[a], pseudoLoyal[b]);
    c = c != 0 ? c : Double.compare(fee[a], fee[b]);
    c = c != 0 ? c : Double.compare(coupon[a], coupon[b]);
    for (int[] level : segment) {
      if (c != 0) {
        return c;
      }
      c = Integer.compare(level[a], level[b]);
    }
    return c;
  }

  /**
   * Sets every per-quote array (and {@link #n}) to {@code from}'s taken at {@code index}: the
   * r-th quote is {@code from}'s {@code index[r]}-th. {@code from} may be this quotes.
   */
  private void take(SkuQuotes from, int[] index) {
    n = index.length;
    y = take(from.y, index);
    price = take(from.price, index);
    prior = take(from.prior, index);
    list = take(from.list, index);
    customer = take(from.customer, index);
    merchantOf = take(from.merchantOf, index);
    fee = take(from.fee, index);
    coupon = take(from.coupon, index);
    byte[] cohorts = new byte[n];
    boolean[] pseudo = new boolean[n];
    for (int r = 0; r < n; r++) {
      cohorts[r] = from.cohort[index[r]];
      pseudo[r] = from.pseudoLoyal[index[r]];
    }
    cohort = cohorts;
    pseudoLoyal = pseudo;
    int[][] levelsTaken = new int[from.fe.length][];
    for (int k = 0; k < levelsTaken.length; k++) {
      levelsTaken[k] = take(from.fe[k], index);
    }
    fe = levelsTaken;
    int[][] segmentsTaken = new int[from.segment.length][];
    for (int s = 0; s < segmentsTaken.length; s++) {
      segmentsTaken[s] = take(from.segment[s], index);
    }
    segment = segmentsTaken;
  }

  private static double[] take(double[] values, int[] index) {
    double[] out = new double[index.length];
    for (int r = 0; r < index.length; r++) {
      out[r] = values[index[r]];
    }
    return out;
  }

  private static int[] take(int[] values, int[] index) {
    int[] out = new int[index.length];
    for (int r = 0; r < index.length; r++) {
      out[r] = values[index[r]];
    }
    return out;
  }

  /** The values of each context dimension, at their level indices. */
  List<String[]> levelNames() {
    List<String[]> names = new ArrayList<>();
    levels.forEach(dimension -> names.add(dimension.values()));
    return names;
  }

  /** The merchants, at their indices. */
  String[] merchantNames() {
    return merchantLevels.values();
  }

  /** Whether what was paid besides the price is known: the money outcomes are compared. */
  boolean hasAmounts() {
    return hasFee || hasCoupon;
  }

  /** The merchant of every quote when there is exactly one, else null. */
  String singleMerchant() {
    return merchants.size() == 1 ? merchants.iterator().next() : null;
  }
}
