package org.loyaltypenalty.sku;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactCellsTest {
  /**
   * Both ways of numbering exact cells give the same dense ids, in the levels' lexicographic
   * order: quotes share an id exactly when all their levels are equal.
   */
  @Test
  void cellIdsByOneKeyEqualCellIdsByOneDimensionAtATime() {
    java.util.Random random = new java.util.Random(3);
    int[] radix = {5, 3, 7, 2};
    int n = 500;
    int[][] fe = new int[radix.length][n];
    for (int k = 0; k < radix.length; k++) {
      for (int i = 0; i < n; i++) {
        fe[k][i] = random.nextInt(radix[k]);
      }
    }
    assertTrue(ExactCells.fitsOneKey(radix));
    assertFalse(ExactCells.fitsOneKey(new int[] {1 << 30, 1 << 30, 1 << 4}));
    int[] oneKey = ExactCells.cellIds(fe, n, radix, true);
    int[] byDimension = ExactCells.cellIds(fe, n, radix, false);
    assertArrayEquals(byDimension, oneKey);
    java.util.TreeMap<String, Integer> expected = new java.util.TreeMap<>();
    for (int i = 0; i < n; i++) {
      expected.put(String.format("%d%d%d%d", fe[0][i], fe[1][i], fe[2][i], fe[3][i]), 0);
    }
    List<String> ordered = new ArrayList<>(expected.keySet());
    for (int i = 0; i < n; i++) {
      String cell = String.format("%d%d%d%d", fe[0][i], fe[1][i], fe[2][i], fe[3][i]);
      assertEquals(ordered.indexOf(cell), oneKey[i], "quote " + i + " in cell " + cell);
    }
  }

}
