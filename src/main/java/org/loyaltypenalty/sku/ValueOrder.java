package org.loyaltypenalty.sku;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Dense numbers of text values (customers, merchants, context levels) in an order fixed by the
 * values alone, whatever order they were first seen in: what lets {@link SkuQuotes} put a SKU's
 * quotes in one canonical order.
 */
final class ValueOrder {
  private ValueOrder() {}

  /**
   * The new index of each old index of values numbered densely ({@code values[i]} is the value
   * numbered i; the array is not changed), in an order fixed by the values alone: by
   * {@link String#hashCode} (its formula is part of the String API specification, so the same
   * on every JVM), then by the values themselves where hashes tie; null first. Sorting one
   * {@code long} per value, hash and old index packed, is several times cheaper than sorting
   * the strings.
   */
  static int[] renumber(String[] values) {
    long[] keys = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      int hash = values[i] == null ? Integer.MIN_VALUE : values[i].hashCode();
      keys[i] = ((long) hash << 32) | i;
    }
    Arrays.sort(keys);
    int[] rank = new int[values.length];
    int from = 0;
    while (from < keys.length) {
      int to = from + 1;
      while (to < keys.length && (keys[to] >> 32) == (keys[from] >> 32)) {
        to++;
      }
      if (to - from > 1) {
        // equal hashes: order these by value (a null among them first)
        Integer[] tied = new Integer[to - from];
        for (int r = 0; r < tied.length; r++) {
          tied[r] = (int) keys[from + r];
        }
        Arrays.sort(tied, Comparator.comparing(i -> values[i],
            Comparator.nullsFirst(Comparator.<String>naturalOrder())));
        for (int r = 0; r < tied.length; r++) {
          keys[from + r] = ((keys[from] >> 32) << 32) | tied[r];
        }
      }
      from = to;
    }
    for (int r = 0; r < keys.length; r++) {
      rank[(int) keys[r]] = r;
    }
    return rank;
  }
}
