package org.loyaltypenalty.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** DerSimonian-Laird pooling against a NumPy implementation (src/test/python/reference_values.py). */
class RandomEffectsMetaTest {
  @Test
  void poolsHeterogeneousEstimatesWithTheMomentEstimatorOfTau() {
    RandomEffectsMeta.Pooled p = RandomEffectsMeta.pool(
        new double[] {0.05, 0.02, 0.08, -0.01}, new double[] {0.0004, 0.0001, 0.0009, 0.0002});
    // NumPy: mu 0.027926905152482383, se 0.01580651515884841, tau2 0.0006740259740259743
    assertEquals(0.027926905152482383, p.estimate(), 1e-12);
    assertEquals(0.01580651515884841, p.stdError(), 1e-12);
    assertEquals(0.0006740259740259743, p.tauSquared(), 1e-12);
    assertEquals(4, p.studies());
  }

  @Test
  void homogeneousEstimatesGiveZeroTauAndTheInverseVarianceMean() {
    RandomEffectsMeta.Pooled p = RandomEffectsMeta.pool(
        new double[] {0.03, 0.03}, new double[] {0.0001, 0.0004});
    assertEquals(0.0, p.tauSquared(), 0);
    assertEquals(0.03, p.estimate(), 1e-15);
    assertEquals(Math.sqrt(1 / (10000.0 + 2500.0)), p.stdError(), 1e-15);
  }
}
