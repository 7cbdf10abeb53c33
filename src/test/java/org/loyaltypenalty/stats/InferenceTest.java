package org.loyaltypenalty.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tail probabilities and quantiles against scipy.stats 1.10 (src/test/python/reference_values.py). */
class InferenceTest {
  @Test
  void oneSidedPValueIsTheStudentTUpperTail() {
    // scipy.stats.t.sf(2.1, 7) = 0.0369355981064613
    assertEquals(0.0369355981064613, Inference.oneSidedPenaltyP(0.21, 0.1, 7), 1e-12);
    // scipy.stats.t.sf(-0.4, 30) = 0.654004741742904: a discount is never evidence of a penalty
    assertEquals(0.654004741742904, Inference.oneSidedPenaltyP(-0.04, 0.1, 30), 1e-12);
  }

  @Test
  void infiniteDegreesOfFreedomUseTheNormal() {
    // scipy.stats.norm.sf(1.7) = 0.04456546275854304
    assertEquals(0.04456546275854304,
        Inference.oneSidedPenaltyP(1.7, 1.0, Double.POSITIVE_INFINITY), 1e-12);
  }

  @Test
  void intervalUsesTheTwoSidedStudentTQuantile() {
    // scipy.stats.t.isf(0.025, 7) = 2.3646242510103
    double[] ci = Inference.interval(0.05, 0.01, 7, 0.95);
    assertEquals(0.05 - 0.023646242510103, ci[0], 1e-9);
    assertEquals(0.05 + 0.023646242510103, ci[1], 1e-9);
  }

  @Test
  void percentIsTheExponentiatedLogDifference() {
    assertEquals(5.0, Inference.percent(Math.log(1.05)), 1e-12);
    assertEquals(-10.0, Inference.percent(Math.log(0.9)), 1e-12);
  }
}
