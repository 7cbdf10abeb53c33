package org.loyaltypenalty.audit;

import java.util.Arrays;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The mutual nearest pairs of one exact cell's quotes: plain Java over the quotes of one cell in
 * time order (then quote id), the kernel of {@link MatchedPairs}.
 *
 * <p>A quote's nearest quote of the other group is the last one of that group before it or the
 * first one after it, whichever is nearer in time, ties to the smaller quote id (compared as
 * UTF-8 bytes, the order Spark SQL gives strings). Two quotes that are each other's nearest form
 * a pair; no quote is in two pairs. Two passes over the cell find every quote's neighbours, so
 * a cell costs time linear in its quotes.
 */
final class NearestPairs {
  private NearestPairs() {}

  /**
   * The pairs of one cell, each as {@code {compared index, reference index}}, in the order of
   * their compared quotes.
   *
   * @param compared per quote, whether it is of the compared group (else the reference group)
   * @param micros per quote, its time in microseconds, ascending
   * @param ids per quote, its id (the order's tie-break)
   * @param n the cell's quotes (the arrays may be longer)
   */
  static int[][] of(boolean[] compared, long[] micros, String[] ids, int n) {
    int[] previous = new int[n];
    int lastCompared = -1;
    int lastReference = -1;
    for (int i = 0; i < n; i++) {
      previous[i] = compared[i] ? lastReference : lastCompared;
      if (compared[i]) {
        lastCompared = i;
      } else {
        lastReference = i;
      }
    }
    int[] nearest = new int[n];
    int nextCompared = -1;
    int nextReference = -1;
    for (int i = n - 1; i >= 0; i--) {
      int next = compared[i] ? nextReference : nextCompared;
      nearest[i] = nearer(previous[i], next, i, micros, ids);
      if (compared[i]) {
        nextCompared = i;
      } else {
        nextReference = i;
      }
    }
    int[][] pairs = new int[n][];
    int found = 0;
    for (int i = 0; i < n; i++) {
      if (compared[i] && nearest[i] >= 0 && nearest[nearest[i]] == i) {
        pairs[found++] = new int[] {i, nearest[i]};
      }
    }
    return Arrays.copyOf(pairs, found);
  }

  /** The nearer in time to quote {@code own} of two quotes (-1: none), ties to the smaller id. */
  private static int nearer(int previous, int next, int own, long[] micros, String[] ids) {
    if (previous < 0) {
      return next;
    }
    if (next < 0) {
      return previous;
    }
    long toPrevious = micros[own] - micros[previous];
    long toNext = micros[next] - micros[own];
    if (toPrevious != toNext) {
      return toPrevious < toNext ? previous : next;
    }
    return compareUtf8(ids[previous], ids[next]) <= 0 ? previous : next;
  }

  /** Compares two strings as Spark SQL orders them (their UTF-8 bytes, unsigned). */
  static int compareUtf8(String a, String b) {
    return UTF8String.fromString(a).compareTo(UTF8String.fromString(b));
  }
}
