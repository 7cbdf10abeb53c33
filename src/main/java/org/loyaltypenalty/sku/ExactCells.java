package org.loyaltypenalty.sku;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.segment.Contrast;

/**
 * Exact cells: quotes of one SKU with every context level equal. Direct evidence beside the
 * fit: within a cell nothing held fixed differs, so the difference of mean log prices between a
 * compared cohort and new customers needs no model. Cells count every analysed quote, singletons
 * of the fixed-effects fit included.
 */
final class ExactCells {
  private ExactCells() {}

  /**
   * One cell with the reference group and a compared group.
   *
   * @param levels the cell's value in each context dimension (null for a dimension not held
   *     fixed: the segment compared)
   * @param merchantId the merchant of the cell's first reference quote in the canonical order
   * @param estimateLog compared minus reference mean log price
   */
  record Cell(String[] levels, long nReference, long customersReference, String merchantId,
      long nCompared, long customersCompared, Contrast contrast, double estimateLog) {}

  /**
   * Every (cell, compared cohort) of {@code quotes} (canonicalised) that holds new customers
   * and the compared cohort, in cell order then comparison order.
   */
  static List<Cell> withBoth(SkuQuotes quotes) {
    int[] cohort = quotes.cohortLevels();
    Contrast[] contrastOf = new Contrast[Cohort.values().length];
    for (Comparison c : Comparison.values()) {
      contrastOf[c.compared().ordinal()] = c.contrast();
    }
    boolean[] held = new boolean[quotes.fe.length];
    java.util.Arrays.fill(held, true);
    return withBoth(quotes, cohort, Comparison.reference().ordinal(), contrastOf, held);
  }

  /**
   * Every (cell, compared level) that holds the reference level and the compared one, in cell
   * order then level order. Cells are the quotes with every held dimension equal; quotes whose
   * {@code group} is negative (level unknown) are in no group. Per (cell, group): quotes, sum of
   * log prices, the merchant of its first quote, and distinct customers (counted on the sorted
   * keys (cell, group) &lt;&lt; 32 | customer, so no set per cell).
   *
   * @param group each quote's level, -1 when unknown
   * @param reference the reference level
   * @param contrastOf the contrast of each level (null for the reference)
   * @param held which context dimensions define a cell
   */
  static List<Cell> withBoth(SkuQuotes quotes, int[] group, int reference, Contrast[] contrastOf,
      boolean[] held) {
    int n = quotes.n;
    List<int[]> heldFe = new ArrayList<>();
    List<Integer> heldDims = new ArrayList<>();
    for (int k = 0; k < quotes.fe.length; k++) {
      if (held[k]) {
        heldFe.add(quotes.fe[k]);
        heldDims.add(k);
      }
    }
    int[][] fe = heldFe.toArray(int[][]::new);
    int groups = contrastOf.length;
    int[] radix = new int[fe.length];
    for (int d = 0; d < fe.length; d++) {
      radix[d] = Math.max(1, quotes.levels.get(heldDims.get(d)).size());
    }
    int[] cellOf = cellIds(fe, n, radix, fitsOneKey(radix));
    int cells = 0;
    for (int i = 0; i < n; i++) {
      cells = Math.max(cells, cellOf[i] + 1);
    }
    int[] representative = new int[cells];
    Arrays.fill(representative, -1);
    for (int i = 0; i < n; i++) {
      if (representative[cellOf[i]] < 0) {
        representative[cellOf[i]] = i;
      }
    }
    int slots = cells * groups;
    long[] count = new long[slots];
    double[] sum = new double[slots];
    int[] merchant = new int[slots];
    Arrays.fill(merchant, -1);
    long[] sorted = new long[n];
    int known = 0;
    for (int i = 0; i < n; i++) {
      if (group[i] < 0) {
        continue;
      }
      int slot = cellOf[i] * groups + group[i];
      count[slot]++;
      sum[slot] += quotes.y[i];
      if (merchant[slot] < 0) {
        merchant[slot] = quotes.merchantOf[i];
      }
      sorted[known++] = ((long) slot << 32) | (quotes.customer[i] & 0xffffffffL);
    }
    sorted = Arrays.copyOf(sorted, known);
    Arrays.sort(sorted);
    long[] distinct = new long[slots];
    for (int i = 0; i < known; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        distinct[(int) (sorted[i] >>> 32)]++;
      }
    }
    String[] merchantNames = quotes.merchantNames();
    List<String[]> levelNames = quotes.levelNames();
    List<Cell> out = new ArrayList<>();
    for (int c = 0; c < cells; c++) {
      int ref = c * groups + reference;
      if (count[ref] == 0) {
        continue;
      }
      for (int level = 0; level < groups; level++) {
        int cmp = c * groups + level;
        if (level == reference || contrastOf[level] == null || count[cmp] == 0) {
          continue;
        }
        String[] levels = new String[quotes.fe.length];
        for (int k = 0; k < levels.length; k++) {
          levels[k] = held[k] ? levelNames.get(k)[quotes.fe[k][representative[c]]] : null;
        }
        out.add(new Cell(levels, count[ref], distinct[ref],
            merchant[ref] < 0 ? null : merchantNames[merchant[ref]], count[cmp], distinct[cmp],
            contrastOf[level], sum[cmp] / count[cmp] - sum[ref] / count[ref]));
      }
    }
    return out;
  }

  /** Whether the product of the level counts fits in a long (then one key per quote serves). */
  static boolean fitsOneKey(int[] radix) {
    long span = 1;
    for (int r : radix) {
      if (span > Long.MAX_VALUE / r) {
        return false;
      }
      span *= r;
    }
    return true;
  }

  /**
   * Dense ids 0..C-1 of the exact cells (quotes with every level equal), numbered in the
   * levels' lexicographic order. With {@code oneKey}, each quote's levels are read as one
   * mixed-radix number (digit k its level in dimension k, base {@code radix[k]}), sorted and
   * deduplicated, one search per quote; otherwise one dimension at a time, (id so far, level)
   * packed in a long. Both give the same ids; no object per cell, memory stays a few arrays of n.
   */
  static int[] cellIds(int[][] fe, int n, int[] radix, boolean oneKey) {
    int[] cellOf = new int[n];
    long[] packed = new long[n];
    if (oneKey) {
      for (int i = 0; i < n; i++) {
        long key = 0;
        for (int d = 0; d < fe.length; d++) {
          key = key * radix[d] + fe[d][i];
        }
        packed[i] = key;
      }
      denseIds(packed, cellOf);
      return cellOf;
    }
    for (int k = 0; k < fe.length; k++) {
      for (int i = 0; i < n; i++) {
        packed[i] = ((long) cellOf[i] << 32) | (fe[k][i] & 0xffffffffL);
      }
      denseIds(packed, cellOf);
    }
    return cellOf;
  }

  /** Writes to {@code ids} each key's rank among the distinct keys. */
  private static void denseIds(long[] keys, int[] ids) {
    long[] distinct = distinctSorted(keys);
    for (int i = 0; i < keys.length; i++) {
      ids[i] = Arrays.binarySearch(distinct, keys[i]);
    }
  }

  private static long[] distinctSorted(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[m++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, m);
  }
}
