package org.loyaltypenalty.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkuPlanTest {

  @Test
  void noPenalisedShareKeepsTheShippedSamplesTruth() throws Exception {
    // data-samples/ was generated before --penalised-share existed (30 SKUs): at share 0 the plan
    // and so the truth must not move
    assertEquals(Files.readString(Path.of("data-samples", "truth.csv")),
        SampleGenerator.truth(SkuPlan.plan(30, 0)));
    assertEquals(SkuPlan.plan(2000), SkuPlan.plan(2000, 0));
  }

  @Test
  void penalisedShareTurnsAboutThatShareOfTheNullSkusIntoPlantedOnesAndLeavesTheRest() {
    List<SkuPlan> fixed = SkuPlan.plan(2000);
    List<SkuPlan> spread = SkuPlan.plan(2000, 0.9);
    long nulls = fixed.stream().filter(p -> p.role() == SkuPlan.Role.NULL).count();
    long turned = 0;
    for (int i = 0; i < fixed.size(); i++) {
      SkuPlan before = fixed.get(i);
      SkuPlan after = spread.get(i);
      if (before.role() != SkuPlan.Role.NULL) {
        assertEquals(before, after, "a planted SKU or a trap keeps its role: " + before.skuId());
      } else if (after.role() == SkuPlan.Role.PLANTED) {
        turned++;
        assertEquals(SkuPlan.SPREAD_REPEAT, after.penalty(1));
        assertEquals(SkuPlan.SPREAD_LOYAL, after.penalty(2));
        assertEquals(0, after.penalty(0));
        assertEquals(before.basePrice(), after.basePrice());
        assertEquals(before.currencies(), after.currencies());
      } else {
        assertEquals(before, after);
      }
    }
    // the golden-ratio sequence is evenly spread: within 1% of the share over 1,980 SKUs
    double share = (double) turned / nulls;
    assertTrue(Math.abs(share - 0.9) < 0.01, "share of null SKUs penalised: " + share);
    assertEquals(spread, SkuPlan.plan(2000, 0.9), "the same arguments give the same plan");
  }

  @Test
  void penalisedShareOutsideZeroToOneIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> SkuPlan.plan(100, 1.5));
    assertThrows(IllegalArgumentException.class, () -> SkuPlan.plan(100, Double.NaN));
  }
}
