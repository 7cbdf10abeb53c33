package org.loyaltypenalty.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SkuPlanTest {

  @Test
  void noPenalisedShareKeepsTheShippedSamplesTruth() throws Exception {
    // data-samples/ is generated with 30 SKUs and no --penalised-share: at share 0 the plan and
    // so the truth must not move
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

  /**
   * Each segment has its planted penalties (one deterministic) on SKUs of their own and a trap;
   * the cohort rows keep the loyalty plan's values, and the tier SKU's cohorts are marked
   * confounded, as are the tiers on a SKU with a cohort penalty.
   */
  @Test
  void truthHasPlantedPenaltiesAndATrapPerSegmentAndMarksConfoundedComparisons() {
    List<SkuPlan> plans = SkuPlan.plan(150);
    Map<String, String> planted = new TreeMap<>();
    Map<Segment, Set<String>> traps = new EnumMap<>(Segment.class);
    for (SkuPlan p : plans) {
      for (Segment s : Segment.values()) {
        for (String level : s.compared()) {
          String role = p.truthRole(s, level);
          double pct = 100 * p.penalty(s, level);
          if (s != Segment.COHORT && pct > 0) {
            planted.put(s.code() + " " + s.comparison(level) + " " + p.skuId(), role + " " + pct);
          }
          if (role.startsWith("trap")) {
            traps.computeIfAbsent(s, k -> new TreeSet<>()).add(role);
          }
          if (s == Segment.COHORT) {
            assertEquals(p.penalty(level.equals("loyal") ? 2 : 1), p.penalty(s, level));
          }
        }
      }
    }
    assertEquals(Map.of(
        "member_tier gold_vs_none SKU-0008", "planted 2.0",
        "member_tier diamond_vs_none SKU-0008", "planted 5.0",
        "device_os ios_vs_android SKU-0009", "deterministic 4.0",
        "age 70+_vs_30-44 SKU-0011", "planted 6.0"), planted);
    assertTrue(traps.get(Segment.MEMBER_TIER).contains("trap_surge"), traps.toString());
    assertEquals(Set.of("trap_channel"), traps.get(Segment.DEVICE_OS));
    assertEquals(Set.of("trap_region"), traps.get(Segment.AGE));
    SkuPlan tier = plans.get(7);
    assertEquals("confounded_tier", tier.truthRole(Segment.COHORT, "loyal"));
    assertEquals(0, tier.penalty(Segment.COHORT, "loyal"));
    assertEquals("confounded_cohort", plans.get(0).truthRole(Segment.MEMBER_TIER, "diamond"));
    assertEquals("null", plans.get(0).truthRole(Segment.AGE, "70+"), "age does not follow loyalty");
    assertEquals("null", plans.get(29).truthRole(Segment.DEVICE_OS, "ios"));
  }

  @Test
  void penalisedShareOutsideZeroToOneIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> SkuPlan.plan(100, 1.5));
    assertThrows(IllegalArgumentException.class, () -> SkuPlan.plan(100, Double.NaN));
  }
}
