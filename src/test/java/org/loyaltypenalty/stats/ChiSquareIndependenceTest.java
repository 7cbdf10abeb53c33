package org.loyaltypenalty.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Pearson's test of independence against SciPy 1.17.1:
 * {@code scipy.stats.chi2_contingency(table, correction=False)}, as printed by
 * src/test/python/reference_values.py ("chi2_contingency" lines).
 */
class ChiSquareIndependenceTest {
  private static void assertMatches(long[][] table, double statistic, double p, int dof,
      double minExpected) {
    ChiSquareIndependence t = ChiSquareIndependence.test(table);
    assertEquals(statistic, t.statistic(), 1e-9 * statistic, "statistic");
    assertEquals(p, t.pValue(), 1e-9 * p, "p-value");
    assertEquals(dof, t.degreesOfFreedom(), "degrees of freedom");
    assertEquals(minExpected, t.minExpected(), 1e-12, "smallest expected count");
  }

  @Test
  void twoByTwoMatchesScipyWithoutContinuityCorrection() {
    assertMatches(new long[][] {{30, 10}, {10, 30}}, 20.0, 7.744216431044088e-06, 1, 20.0);
  }

  @Test
  void independentTableHasALargePValue() {
    assertMatches(new long[][] {{20, 15, 25}, {22, 14, 24}}, 0.15012901712409102,
        0.9276836408605961, 2, 14.5);
  }

  @Test
  void threeByThreeWithAnEmptyCellMatchesScipy() {
    assertMatches(new long[][] {{5, 0, 12}, {7, 9, 3}, {1, 4, 8}}, 16.804937630475806,
        0.0021090946054476444, 4, 3.4489795918367347);
  }

  @Test
  void strongDependenceGivesASmallPositivePValueNotZero() {
    assertMatches(new long[][] {{60, 2}, {3, 55}}, 100.830831249425, 1.0018468253978307e-23, 1,
        27.55);
  }

  @Test
  void emptyRowsAndColumnsAreDroppedBeforeTheTest() {
    // the same 2 x 2 table as twoByTwoMatchesScipyWithoutContinuityCorrection, padded with zeros
    assertMatches(new long[][] {{30, 0, 10}, {0, 0, 0}, {10, 0, 30}}, 20.0,
        7.744216431044088e-06, 1, 20.0);
  }

  @Test
  void aTableWithOneNonEmptyRowOrColumnIsNotTestable() {
    assertFalse(ChiSquareIndependence.testable(new long[][] {{4, 5}, {0, 0}}));
    assertFalse(ChiSquareIndependence.testable(new long[][] {{4, 0}, {6, 0}}));
    assertTrue(ChiSquareIndependence.testable(new long[][] {{4, 1}, {6, 2}}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChiSquareIndependence.test(new long[][] {{4, 0}, {6, 0}}));
    assertEquals("the table must have at least 2 non-empty rows and 2 non-empty columns",
        e.getMessage());
  }
}
