package org.loyaltypenalty.sku;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.segment.SegmentLevels;

/**
 * One group of the per-SKU pass (the quotes of one hash of {@link SkuPass#KEY}: almost always
 * one SKU and currency), as its shuffle delivers it (rows of {@link SkuPass}'s narrowed quotes,
 * in no particular order), read into {@link SkuQuotes}: the columns found by name once per
 * group, each quote's context levels and segment levels, and fee and coupon divided by the
 * quantity. A level column of whole numbers gives the levels as their decimal text
 * ({@link Derived#NO_LEVEL} for none), each value written once per group.
 */
final class SkuRows {
  private final List<String> dimensions;
  private final List<SegmentLevels> segments;

  /**
   * @param dimensions the context dimensions held fixed (a {@code fe_<dimension>} column each)
   * @param segments the configured segments (a segment column each)
   */
  SkuRows(List<String> dimensions, List<SegmentLevels> segments) {
    this.dimensions = dimensions;
    this.segments = segments;
  }

  /**
   * The rows of one group as {@link SkuQuotes}, one per {@link SkuPass#KEY} (a group is one key
   * but for a collision of their hashes), canonicalised, in the order of the keys; none for no
   * rows.
   */
  List<SkuQuotes> read(Iterator<Row> rows) {
    Map<String, SkuQuotes> byKey = new TreeMap<>();
    String key = null;
    SkuQuotes quotes = null;
    Layout at = null;
    String[] levels = new String[dimensions.size()];
    List<Map<Long, String>> numberText = new ArrayList<>();
    for (int k = 0; k < levels.length; k++) {
      numberText.add(new HashMap<>());
    }
    int[] segmentLevels = new int[segments.size()];
    List<Map<String, Integer>> levelIndex = new ArrayList<>();
    for (SegmentLevels g : segments) {
      Map<String, Integer> index = new HashMap<>();
      g.levels().forEach(l -> index.put(l, index.size()));
      levelIndex.add(index);
    }
    while (rows.hasNext()) {
      Row r = rows.next();
      if (at == null) {
        at = new Layout(r.schema(), dimensions, segments);
      }
      if (r.isNullAt(at.key)) {
        throw new IllegalArgumentException("a quote without a SKU id or currency in the per-SKU"
            + " pass");
      }
      String quoteKey = r.getString(at.key);
      if (!quoteKey.equals(key)) {
        key = quoteKey;
        boolean list = at.list >= 0;
        boolean fee = at.fee >= 0;
        boolean coupon = at.coupon >= 0;
        quotes = byKey.computeIfAbsent(key, k -> new SkuQuotes(SkuPass.skuOf(k),
            SkuPass.currencyOf(k), levels.length, segmentLevels.length, list, fee, coupon));
      }
      for (int k = 0; k < levels.length; k++) {
        if (!at.whole[k]) {
          levels[k] = r.getString(at.fe[k]);
        } else if (r.isNullAt(at.fe[k])) {
          levels[k] = Derived.NO_LEVEL;
        } else {
          // the same String for every quote of a value: hashed once, compared by reference
          levels[k] = numberText.get(k).computeIfAbsent(r.getLong(at.fe[k]), String::valueOf);
        }
      }
      for (int g = 0; g < segmentLevels.length; g++) {
        // a level the run-wide resolution did not see cannot occur: its quotes are unknown
        segmentLevels[g] = r.isNullAt(at.segment[g])
            ? -1 : levelIndex.get(g).getOrDefault(r.getString(at.segment[g]), -1);
      }
      double price = r.getDouble(at.price);
      quotes.add(r.getString(at.customer), cohortOrdinal(r, at.cohort), logPrice(price), price,
          at.prior < 0 || r.isNullAt(at.prior) ? 0 : r.getInt(at.prior),
          at.list < 0 || r.isNullAt(at.list) ? Double.NaN : r.getDouble(at.list),
          r.isNullAt(at.merchant) ? null : r.getString(at.merchant),
          at.pseudo >= 0 && !r.isNullAt(at.pseudo) && r.getBoolean(at.pseudo), levels,
          segmentLevels, perUnit(r, at.fee, at.quantity), perUnit(r, at.coupon, at.quantity));
    }
    byKey.values().forEach(SkuQuotes::canonicalise);
    return new ArrayList<>(byKey.values());
  }

  /** The {@link Cohort} ordinal of row {@code r}, a byte column. */
  private static int cohortOrdinal(Row r, int cohort) {
    if (r.isNullAt(cohort)) {
      throw new IllegalArgumentException("a quote in the per-SKU pass whose cohort is none of "
          + Arrays.toString(Cohort.values()));
    }
    return r.getByte(cohort);
  }

  /**
   * The natural log of a price, bit for bit what Spark's {@code log} gives (its generated code
   * calls {@link StrictMath#log}, whose results are fixed across platforms, where
   * {@link Math#log} may differ in the last bit). Prices are positive: the check quarantines
   * the others.
   */
  static double logPrice(double price) {
    return StrictMath.log(price);
  }

  /** An amount of row {@code r} over its quantity: 0 when the column is absent or empty. */
  private static double perUnit(Row r, int amount, int quantity) {
    if (amount < 0 || r.isNullAt(amount)) {
      return 0;
    }
    double q = quantity < 0 || r.isNullAt(quantity) ? 1 : ((Number) r.get(quantity)).doubleValue();
    return r.getDouble(amount) / q;
  }

  /** Where each column a group reads is in its rows (-1: an optional column that is absent). */
  private static final class Layout {
    final int key;
    final int cohort;
    final int customer;
    final int price;
    final int merchant;
    final int prior;
    final int list;
    final int pseudo;
    final int quantity;
    final int fee;
    final int coupon;
    final int[] fe;
    /** Per dimension: whether its level column holds whole numbers (a long), not text. */
    final boolean[] whole;
    final int[] segment;

    Layout(StructType s, List<String> dimensions, List<SegmentLevels> segments) {
      key = s.fieldIndex(SkuPass.KEY);
      cohort = s.fieldIndex(Derived.COHORT);
      customer = s.fieldIndex(Quotes.CUSTOMER_ID);
      price = s.fieldIndex(Quotes.PRICE);
      merchant = s.fieldIndex(Quotes.MERCHANT_ID);
      prior = optional(s, Derived.PRIOR_PURCHASES);
      list = optional(s, Quotes.LIST_PRICE);
      pseudo = optional(s, Derived.PSEUDO_LOYAL);
      quantity = optional(s, Quotes.QUANTITY);
      fee = optional(s, Quotes.FEE);
      coupon = optional(s, Quotes.COUPON);
      fe = new int[dimensions.size()];
      whole = new boolean[fe.length];
      for (int k = 0; k < fe.length; k++) {
        fe[k] = s.fieldIndex(Derived.fixedEffect(dimensions.get(k)));
        whole[k] = s.fields()[fe[k]].dataType().equals(DataTypes.LongType);
      }
      segment = new int[segments.size()];
      for (int g = 0; g < segment.length; g++) {
        segment[g] = s.fieldIndex(Derived.segment(segments.get(g).name()));
      }
    }

    private static int optional(StructType s, String column) {
      return s.getFieldIndex(column).isDefined() ? s.fieldIndex(column) : -1;
    }
  }
}
