package org.loyaltypenalty.stats;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The fixed effects {@link FixedEffectsRegression} absorbs, on plain arrays: singleton levels
 * removed, each dimension's levels numbered densely, and columns residualised on every
 * dimension by alternating projections (Gaure 2013, "OLS with multiple high dimensional
 * category variables", CSDA 66; Guimaraes &amp; Portugal 2010, Stata Journal 10(4)).
 */
final class FixedEffects {
  private FixedEffects() {}

  /**
   * Marks the observations that survive iterated removal of singleton levels: an observation
   * alone in a level of some dimension is fitted perfectly by its fixed effect, carries no
   * information on the coefficients, and keeping it understates cluster-robust standard errors
   * (Correia 2015, "Singletons, cluster-robust standard errors and fixed effects: a bad mix");
   * removing one can leave another alone, so removal repeats until none is.
   */
  static boolean[] dropSingletons(int[][] fe, int n) {
    // each dimension's levels numbered 0..L-1 once ({@link #compact}), then counted in arrays
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    int[][] dense = new int[fe.length][n];
    int[] levelCounts = new int[fe.length];
    for (int k = 0; k < fe.length; k++) {
      levelCounts[k] = compact(fe[k], all, dense[k]);
    }
    boolean[] kept = new boolean[n];
    Arrays.fill(kept, true);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int k = 0; k < fe.length; k++) {
        int[] dim = dense[k];
        int[] counts = new int[levelCounts[k]];
        for (int i = 0; i < n; i++) {
          if (kept[i]) {
            counts[dim[i]]++;
          }
        }
        for (int i = 0; i < n; i++) {
          if (kept[i] && counts[dim[i]] == 1) {
            kept[i] = false;
            changed = true;
          }
        }
      }
    }
    return kept;
  }

  /**
   * One more than the largest of the first {@code n} ids when they are level numbers an array
   * can be indexed by (none negative, the largest under {@code 4n + 1024}: the dense numbers
   * callers pass); else -1, and a map numbers them. Either way the result is the same.
   */
  private static int arrayBound(int[] ids, int n) {
    int max = -1;
    for (int i = 0; i < n; i++) {
      int id = ids[i];
      if (id < 0) {
        return -1;
      }
      max = Math.max(max, id);
    }
    return max < 4L * n + 1024 ? max + 1 : -1;
  }

  /**
   * Residualises every column on all dimensions; returns the sweeps used. Each sweep subtracts
   * from a column the means of each dimension's levels in turn (alternating projections); the
   * pass that subtracts one dimension's means also sums the column by the next dimension's
   * levels, so a sweep reads a column once per dimension and once more, not twice per
   * dimension. The sums add the same values in the same order as a pass of their own would:
   * the result is the same to the last bit.
   */
  static int demean(double[][] cols, int[][] levels, int[] levelCounts,
      FixedEffectsRegression.Options options) {
    int m = cols[0].length;
    int last = levels.length - 1;
    int[][] sizes = new int[levels.length][];
    double[][] sums = new double[levels.length][];
    for (int k = 0; k < levels.length; k++) {
      sizes[k] = new int[levelCounts[k]];
      sums[k] = new double[levelCounts[k]];
      for (int r = 0; r < m; r++) {
        sizes[k][levels[k][r]]++;
      }
    }
    int sweep = 0;
    while (sweep < options.maxIterations()) {
      sweep++;
      double largest = 0;
      for (double[] c : cols) {
        double[] firstSums = sums[0];
        Arrays.fill(firstSums, 0.0);
        int[] first = levels[0];
        for (int r = 0; r < m; r++) {
          firstSums[first[r]] += c[r];
        }
        for (int k = 0; k <= last; k++) {
          double[] means = sums[k];
          int[] size = sizes[k];
          for (int l = 0; l < means.length; l++) {
            means[l] /= size[l];
            largest = Math.max(largest, Math.abs(means[l]));
          }
          int[] level = levels[k];
          if (k == last) {
            for (int r = 0; r < m; r++) {
              c[r] -= means[level[r]];
            }
          } else {
            double[] next = sums[k + 1];
            Arrays.fill(next, 0.0);
            int[] nextLevel = levels[k + 1];
            for (int r = 0; r < m; r++) {
              double v = c[r] - means[level[r]];
              c[r] = v;
              next[nextLevel[r]] += v;
            }
          }
        }
      }
      if (largest < options.tolerance() || levels.length == 1) {
        break;
      }
    }
    return sweep;
  }

  /**
   * Renumbers the ids of the observations at {@code index} 0..L-1 in order of first
   * appearance, into {@code out}; returns L.
   */
  static int compact(int[] ids, int[] index, int[] out) {
    int bound = arrayBound(ids, ids.length);
    if (bound >= 0) {
      int[] map = new int[bound];
      Arrays.fill(map, -1);
      int next = 0;
      for (int r = 0; r < index.length; r++) {
        int id = ids[index[r]];
        if (map[id] < 0) {
          map[id] = next++;
        }
        out[r] = map[id];
      }
      return next;
    }
    HashMap<Integer, Integer> map = new HashMap<>();
    for (int r = 0; r < index.length; r++) {
      out[r] = map.computeIfAbsent(ids[index[r]], id -> map.size());
    }
    return map.size();
  }
}
