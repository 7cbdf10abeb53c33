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

  /**
   * MDE = se (t(1 - alpha, df) + t(0.8, df)); upper bound = b + t(confidence, df) se. SciPy 1.17:
   * 0.02 * (t.ppf(0.95, 30) + t.ppf(0.8, 30)) = 0.051020562961305096 and
   * 0.01 + 0.02 * t.ppf(0.95, 30) = 0.04394521773187914; with the normal,
   * 0.02 * (norm.ppf(0.95) + norm.ppf(0.8)) = 0.04972949721048773 and
   * 0.01 + 0.02 * norm.ppf(0.95) = 0.04289707253902945. At that MDE the exact power of the
   * one-sided t-test is scipy.stats.nct.sf(t.ppf(0.95, 30), 30, MDE / se) = 0.8017704250346629.
   */
  @Test
  void minimumDetectableEffectAndUpperBoundMatchScipy() {
    assertEquals(0.051020562961305096, Inference.minimumDetectable(0.02, 30, 0.05), 1e-12);
    assertEquals(0.04394521773187914, Inference.upperBound(0.01, 0.02, 30, 0.95), 1e-12);
    double infinite = Double.POSITIVE_INFINITY;
    assertEquals(0.04972949721048773, Inference.minimumDetectable(0.02, infinite, 0.05), 1e-12);
    assertEquals(0.04289707253902945, Inference.upperBound(0.01, 0.02, infinite, 0.95), 1e-12);
  }
}
