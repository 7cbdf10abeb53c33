package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The mutual nearest pairs of one cell, against the definition checked quote by quote. */
class NearestPairsTest {

  @Test
  void aQuoteBetweenTwoOfTheOtherGroupPairsWithTheNearerAndTiesGoToTheSmallerId() {
    // reference r1 at 0 s, compared c1 at 10 s, reference r2 at 30 s: c1 pairs with r1
    assertArrayEquals(new int[][] {{1, 0}},
        NearestPairs.of(new boolean[] {false, true, false}, new long[] {0, 10, 30},
            new String[] {"r1", "c1", "r2"}, 3));
    // the same distance both ways: the smaller id, r0 after it
    assertArrayEquals(new int[][] {{1, 2}},
        NearestPairs.of(new boolean[] {false, true, false}, new long[] {0, 10, 20},
            new String[] {"r9", "c1", "r0"}, 3));
  }

  @Test
  void aQuoteWhoseNearestPrefersAnotherIsInNoPair() {
    // c1 at 0 s and c2 at 8 s both have r1 (10 s) as nearest; r1 names c2 only
    assertArrayEquals(new int[][] {{1, 2}},
        NearestPairs.of(new boolean[] {true, true, false}, new long[] {0, 8, 10},
            new String[] {"c1", "c2", "r1"}, 3));
  }

  @Test
  void aCellOfOneGroupHasNoPairs() {
    assertEquals(0, NearestPairs.of(new boolean[] {true, true}, new long[] {1, 2},
        new String[] {"a", "b"}, 2).length);
  }

  /** Random cells with repeated times, against each quote's neighbours found by a full search. */
  @Test
  void everyPairIsMutuallyNearestByAFullSearchAndNoMutualPairIsMissed() {
    Random random = new Random(11);
    for (int trial = 0; trial < 2000; trial++) {
      int n = 1 + random.nextInt(12);
      boolean[] compared = new boolean[n];
      long[] micros = new long[n];
      String[] ids = new String[n];
      long t = 0;
      for (int i = 0; i < n; i++) {
        t += random.nextInt(3) * 1_000_000L; // repeated times make ties
        micros[i] = t;
        compared[i] = random.nextBoolean();
        ids[i] = String.format("q%03d", i); // ascending with the order, as sorted input is
      }
      List<String> expected = new ArrayList<>();
      int[] nearest = new int[n];
      for (int i = 0; i < n; i++) {
        nearest[i] = bySearch(i, compared, micros, ids, n);
      }
      for (int i = 0; i < n; i++) {
        if (compared[i] && nearest[i] >= 0 && nearest[nearest[i]] == i) {
          expected.add(i + "-" + nearest[i]);
        }
      }
      List<String> found = new ArrayList<>();
      for (int[] p : NearestPairs.of(compared, micros, ids, n)) {
        found.add(p[0] + "-" + p[1]);
      }
      assertEquals(expected, found, "trial " + trial + ": " + Arrays.toString(compared)
          + " " + Arrays.toString(micros));
    }
  }

  /** Nearest by the definition: every quote of the other group before and after is looked at. */
  private static int bySearch(int own, boolean[] compared, long[] micros, String[] ids, int n) {
    int before = -1;
    int after = -1;
    for (int j = 0; j < n; j++) {
      if (compared[j] == compared[own]) {
        continue;
      }
      if (j < own) {
        before = j; // the last one before
      } else if (after < 0) {
        after = j; // the first one after
      }
    }
    if (before < 0 || after < 0) {
      return Math.max(before, after);
    }
    long toBefore = micros[own] - micros[before];
    long toAfter = micros[after] - micros[own];
    if (toBefore != toAfter) {
      return toBefore < toAfter ? before : after;
    }
    return ids[before].compareTo(ids[after]) <= 0 ? before : after;
  }

  @Test
  void idsCompareAsUtf8BytesAsSparkOrdersStrings() {
    // U+E000 is one UTF-16 unit above a surrogate, but its UTF-8 bytes (EE ..) sort below an
    // emoji's (F0 ..): Spark SQL, and so the ties, put it first
    assertTrue("\uE000".compareTo("\uD83D\uDE00") > 0, "String order differs here");
    assertTrue(NearestPairs.compareUtf8("\uE000", "\uD83D\uDE00") < 0);
    assertTrue(NearestPairs.compareUtf8("Q1", "Q2") < 0);
    assertEquals(0, NearestPairs.compareUtf8("Q1", "Q1"));
  }
}
