package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.audit.ExperimentCheck.ArmPrices;
import org.loyaltypenalty.audit.ExperimentCheck.LevelCount;
import org.loyaltypenalty.audit.ExperimentCheck.Result;

/**
 * The randomisation check on its aggregates (no Spark): one experiment with three arms.
 *
 * <p>Prices: arm A quotes sku1 4 times at 10 and sku2 twice at 20; arm B sku1 4 times at 11 and
 * sku2 6 times at 21; arm C sku1 4 times at 9.5. Reference values (numpy): B over A
 * {@code 100 expm1((2 log(11/10) + 1.5 log(21/20)) / 3.5)} = 7.828630927910833 (weights
 * {@code n_a n_b / (n_a + n_b)}: 2 and 1.5); C over A -5%; so C is the reference (cheapest) and
 * B the compared arm (dearest), B over C on their one shared SKU 15.789473684210531%, A over C
 * 5.263157894736836%.
 *
 * <p>The cohort table, rows A, B, C and columns new, loyal, {@code [[8, 12], [10, 10], [15, 5]]}:
 * SciPy 1.17.1 {@code chi2_contingency(t, correction=False)} gives statistic 5.252525252525253,
 * p 0.07234835041290566, 2 degrees of freedom.
 */
class ExperimentCheckTest {
  private static ArmPrices prices(String sku, String arm, long n, double price) {
    return new ArmPrices("e1", sku, "EUR", arm, n, BigDecimal.valueOf(n * Math.log(price)));
  }

  private static List<Result> evaluate(boolean shuffled) {
    List<LevelCount> counts = new ArrayList<>(List.of(
        new LevelCount("e1", "A", "cohort", "new", 8),
        new LevelCount("e1", "A", "cohort", "loyal", 12),
        new LevelCount("e1", "B", "cohort", "new", 10),
        new LevelCount("e1", "B", "cohort", "loyal", 10),
        new LevelCount("e1", "C", "cohort", "new", 15),
        new LevelCount("e1", "C", "cohort", "loyal", 5),
        new LevelCount("e1", "A", "member_tier", "gold", 3),
        new LevelCount("e1", "B", "member_tier", "gold", 4)));
    List<ArmPrices> prices = new ArrayList<>(List.of(prices("sku1", "A", 4, 10),
        prices("sku2", "A", 2, 20), prices("sku1", "B", 4, 11), prices("sku2", "B", 6, 21),
        prices("sku1", "C", 4, 9.5)));
    if (shuffled) {
      Collections.reverse(counts);
      Collections.reverse(prices);
    }
    return ExperimentCheck.evaluate(counts, prices, List.of("member_tier"));
  }

  @Test
  void theCheapestArmIsTheReferenceAndTheDearestIsCompared() {
    Result cohort = evaluate(false).get(0);
    assertEquals("C", cohort.reference());
    assertEquals("B", cohort.compared());
    assertEquals(15.789473684210531, 100 * Math.expm1(cohort.gapLog()), 1e-9);
    assertEquals(1, cohort.skus(), "B and C share sku1 only");
    assertEquals(5.263157894736836, cohort.arm("A").priceGapPct(), 1e-9);
    assertEquals(15.789473684210531, cohort.arm("B").priceGapPct(), 1e-9);
    assertEquals(0.0, cohort.arm("C").priceGapPct());
    assertEquals(6, cohort.arm("A").quotes());
    assertEquals(10, cohort.arm("B").quotes());
  }

  @Test
  void theCohortTableIsTestedAgainstScipyInCohortOrder() {
    Result cohort = evaluate(false).get(0);
    assertEquals("cohort", cohort.segment());
    assertEquals(List.of("new", "loyal"), cohort.levels(), "cohorts in their own order");
    assertEquals(5.252525252525253, cohort.test().statistic(), 1e-12);
    assertEquals(0.07234835041290566, cohort.test().pValue(), 1e-14);
    assertEquals(2, cohort.test().degreesOfFreedom());
    assertEquals(0.4, cohort.arm("A").shares().get("new"), 1e-15);
    assertEquals(0.6, cohort.arm("A").shares().get("loyal"), 1e-15);
    assertEquals(20, cohort.arm("C").customers());
  }

  @Test
  void aSegmentWithOneLevelIsNotTestedAndAnArmWithoutCustomersHasNoShares() {
    Result tier = evaluate(false).get(1);
    assertEquals("member_tier", tier.segment());
    assertEquals(List.of("gold"), tier.levels());
    assertNull(tier.test(), "one level: nothing to be independent of");
    assertEquals(0, tier.arm("C").customers());
    assertNull(tier.arm("C").shares().get("gold"));
  }

  @Test
  void theResultDoesNotDependOnTheOrderOfTheAggregates() {
    assertEquals(evaluate(false), evaluate(true));
  }
}
