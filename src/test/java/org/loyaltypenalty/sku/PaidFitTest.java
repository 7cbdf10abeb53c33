package org.loyaltypenalty.sku;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.config.ConfigLoader;
import org.loyaltypenalty.segment.SegmentLevels;
import org.loyaltypenalty.stats.FixedEffectsRegression;

/** What the customer paid, in money, on plain-Java {@link SkuQuotes}: {@link PaidFit}. */
class PaidFitTest {
  static final int[] HOUR = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3};
  static final int[] CHANNEL = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
  static final int[] CUSTOMER = {0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7};
  static final int[] COHORT = {0, 0, 1, 1, 2, 2, 0, 1, 0, 0, 1, 1, 2, 2, 0, 1, 0, 0, 1, 1, 2, 2, 0, 1};
  static final double[] NOISE = {0.013, -0.021, 0.004, 0.017, -0.009, 0.022, -0.015, 0.006, 0.011,
      -0.004, -0.018, 0.009, 0.014, -0.012, 0.003, -0.007, 0.019, -0.016, 0.008, -0.002, -0.011,
      0.015, 0.005, -0.013};
  static final Cohort[] COHORTS = {Cohort.NEW, Cohort.REPEAT, Cohort.LOYAL};

  static double price(int i) {
    return 20 + 1.0 * HOUR[i] + 0.5 * CHANNEL[i] + (COHORT[i] == 1 ? 0.3 : 0)
        + (COHORT[i] == 2 ? 0.9 : 0) + 10 * NOISE[i];
  }

  static double fee(int i) {
    return 2 + (COHORT[i] == 2 ? 4 : 0) + 5 * NOISE[NOISE.length - 1 - i];
  }

  static double coupon(int i) {
    // numpy.roll(noise, 5)[i] = noise[(i - 5) mod n]
    return 1 + (COHORT[i] == 0 ? 0.5 : 0) + 3 * NOISE[Math.floorMod(i - 5, NOISE.length)];
  }

  /** The 24-quote fixture of {@code src/test/python/paid_reference.py}, quantity 1. */
  static SkuQuotes fixture() {
    SkuQuotes q = new SkuQuotes("S1", "CNY", 2, 0, false, true, true);
    for (int i = 0; i < HOUR.length; i++) {
      q.add("c" + CUSTOMER[i], COHORTS[COHORT[i]].ordinal(), Math.log(price(i)), price(i), 0,
          Double.NaN, "M1", false, new String[] {"h" + HOUR[i], "ch" + CHANNEL[i]}, new int[0],
          fee(i), coupon(i));
    }
    q.canonicalise();
    return q;
  }

  /**
   * The money gaps and their clustered standard errors against an explicit dummy-variable OLS
   * with the CR1 sandwich written out in NumPy: {@code python3 src/test/python/paid_reference.py}
   * (numpy 2.4). The rounding floor at a price unit of 0.01 is far below these variances.
   */
  @Test
  void totalAndFeeGapsMatchDummyVariableOlsWithCr1Errors() {
    PaidFit.Result r = PaidFit.fit(fixture(), 0.01);
    // NumPy: total beta [0.8760879120879028, 5.460043956043945] se [0.08189202546841592, 0.08510553170796907]
    assertArrayEquals(new double[] {0.8760879120879028, 5.460043956043945},
        r.total().coefficients(), 1e-9);
    assertArrayEquals(new double[] {0.08189202546841592, 0.08510553170796907},
        r.total().standardErrors(), 1e-9);
    // NumPy: fee beta [0.06868131868131709, 4.049757326007326] se [0.03215790108515459, 0.03395203697005307]
    assertArrayEquals(new double[] {0.06868131868131709, 4.049757326007326},
        r.of(Outcome.FEE).coefficients(), 1e-9);
    assertArrayEquals(new double[] {0.03215790108515459, 0.03395203697005307},
        r.of(Outcome.FEE).standardErrors(), 1e-9);
    // NumPy: reference mean total 21.967666666666666
    assertEquals(21.967666666666666, r.referenceMean(), 1e-12);
  }

  /**
   * The parts add up: on an unbalanced three-way design with list prices, fees, coupons and
   * quantities above 1, each comparison's total gap is list price + discount + fee + coupon
   * parts to 1e-9, and equals a fit of the total on its own to 1e-9.
   */
  @Test
  void partsOfTheTotalAddUpToItsGap() {
    Random random = new Random(21);
    SkuQuotes q = new SkuQuotes("S2", "CNY", 3, 0, true, true, true);
    for (int i = 0; i < 400; i++) {
      int customer = random.nextInt(60);
      int cohort = customer % 3;
      int a = random.nextInt(10);
      int b = random.nextDouble() < 0.8 ? a % 4 : random.nextInt(4);
      int c = random.nextDouble() < 0.7 ? (a + b) % 5 : random.nextInt(5);
      int quantity = 1 + random.nextInt(3);
      double list = 30 + a + 2 * b + (cohort == 2 ? 1.5 : 0) + random.nextGaussian();
      double price = list * (1 - 0.1 * random.nextDouble()) - (cohort == 0 ? 0.8 : 0);
      double fee = random.nextDouble() < 0.5 ? 0 : 3 + (cohort == 2 ? 2 : 0) + random.nextDouble();
      double coupon = random.nextDouble() < 0.3 ? 5 * random.nextDouble() : 0;
      q.add("c" + customer, COHORTS[cohort].ordinal(), Math.log(price), price, 0, list, null,
          false, new String[] {"a" + a, "b" + b, "c" + c}, new int[0], fee / quantity,
          coupon / quantity);
    }
    q.canonicalise();
    PaidFit.Result r = PaidFit.fit(q, 0.01);
    assertEquals(java.util.EnumSet.of(PaidFit.Part.LIST, PaidFit.Part.DISCOUNT, PaidFit.Part.FEE,
        PaidFit.Part.COUPON), r.parts().keySet(), "a list price splits the price part in two");
    double[] alone = new double[q.n];
    for (int i = 0; i < q.n; i++) {
      alone[i] = q.price[i] + q.fee[i] - q.coupon[i];
    }
    FixedEffectsRegression.Fit totalAlone = CohortFit.fit(q, alone, 0.01);
    for (Comparison c : Comparison.values()) {
      Double[] split = r.split(c);
      assertNull(split[PaidFit.Part.PRICE.ordinal()]);
      double sum = split[PaidFit.Part.LIST.ordinal()] + split[PaidFit.Part.DISCOUNT.ordinal()]
          + split[PaidFit.Part.FEE.ordinal()] + split[PaidFit.Part.COUPON.ordinal()];
      int j = CohortFit.coefficient(c);
      assertEquals(r.total().coefficients()[j], sum, 1e-9, c.code());
      assertEquals(totalAlone.coefficients()[j], r.total().coefficients()[j], 1e-9, c.code());
    }
  }

  /**
   * The Meituan case: loyal customers pay the same price as new ones but a fee of 6 against 2.
   * The price comparison finds nothing material; the fee comparison finds a gap of 4 per unit,
   * 4 / 22 of the new customers' total, significant far beyond any FDR level.
   */
  @Test
  void feeOnlyPenaltyIsFoundOnTheFeeWhileThePriceShowsNone() {
    Random random = new Random(3);
    SkuQuotes q = new SkuQuotes("S3", "CNY", 1, 0, false, true, false);
    for (int customer = 0; customer < 40; customer++) {
      Cohort cohort = customer % 2 == 0 ? Cohort.NEW : Cohort.LOYAL;
      for (int k = 0; k < 4; k++) {
        double price = Math.round(20 * (1 + 0.02 * random.nextGaussian()) * 100) / 100.0;
        double fee = cohort == Cohort.LOYAL ? 6 : 2;
        q.add("c" + customer, cohort.ordinal(), Math.log(price), price, 0, Double.NaN, "M1",
            false, new String[] {"h" + k}, new int[0], fee, 0);
      }
    }
    q.canonicalise();
    SkuAnalysis analysis = SkuAnalysis.of(ConfigLoader.fromMap(Map.of(), "test"), List.of("h"));
    SkuAnalysis.Result result = analysis.analyse(q);
    Estimate price = result.estimates().stream()
        .filter(e -> e.contrast().equals(Comparison.LOYAL_VS_NEW.contrast())).findFirst()
        .orElseThrow();
    assertTrue(price.tested());
    assertTrue(Math.abs(100 * Math.expm1(price.estimateLog())) < 2, "no price gap: " + price);
    OutcomeEstimate fee = result.outcomes().stream()
        .filter(o -> o.outcome() == Outcome.FEE
            && o.estimate().contrast().equals(Comparison.LOYAL_VS_NEW.contrast()))
        .findFirst().orElseThrow();
    assertEquals(4.0, fee.estimate().estimateLog(), 1e-9, "a fee of 6 against 2, exactly");
    assertTrue(fee.estimate().pValue() < 1e-12, "a deterministic fee gap: " + fee);
    double feePct = 100 * fee.estimate().estimateLog() / fee.referenceMean();
    assertEquals(100 * 4 / 22.0, feePct, 1.0, "4 of the new customers' total of about 22");
    assertEquals(List.of(Outcome.TOTAL, Outcome.FEE), result.outcomes().stream()
        .map(OutcomeEstimate::outcome).distinct().toList(), "no coupon column: no coupon rows");
  }

  /** Without fee and coupon columns there are no money outcomes at all, a segment's neither. */
  @Test
  void quotesWithoutFeeOrCouponHaveNoMoneyOutcomes() {
    SkuQuotes q = new SkuQuotes("S4", "CNY", 2, 1, false);
    for (int i = 0; i < HOUR.length; i++) {
      q.add("c" + CUSTOMER[i], COHORTS[COHORT[i]].ordinal(), Math.log(price(i)), price(i), 0,
          Double.NaN, "M1", false, new String[] {"h" + HOUR[i], "ch" + CHANNEL[i]},
          new int[] {TIER_OF_CUSTOMER[CUSTOMER[i]]});
    }
    q.canonicalise();
    SkuAnalysis analysis = SkuAnalysis.of(lowMinimums(), List.of("h", "ch"), List.of(TIER));
    SkuAnalysis.Result result = analysis.analyse(q);
    assertEquals(List.of(), result.outcomes());
    assertEquals(2, result.segmentEstimates().size(), "the tier's price comparisons are there");
  }

  /** The membership tier of each customer of the 24-quote fixture (2 = none, the reference). */
  static final int[] TIER_OF_CUSTOMER = {2, 0, 1, 2, 0, 1, 2, 1};
  static final SegmentLevels TIER = new SegmentLevels("member_tier",
      List.of("diamond", "gold", "none"), 2, true, List.of(0L, 0L, 0L), 0);

  /** Two customers a level are enough to test the 24-quote fixture's tiers. */
  private static org.loyaltypenalty.config.AuditConfig lowMinimums() {
    return ConfigLoader.fromMap(Map.of("test.min_customers_per_cohort", "2"), "test");
  }

  /** The 24-quote fixture with each customer's membership tier. */
  static SkuQuotes tierFixture() {
    SkuQuotes q = new SkuQuotes("S1", "CNY", 2, 1, false, true, true);
    for (int i = 0; i < HOUR.length; i++) {
      q.add("c" + CUSTOMER[i], COHORTS[COHORT[i]].ordinal(), Math.log(price(i)), price(i), 0,
          Double.NaN, "M1", false, new String[] {"h" + HOUR[i], "ch" + CHANNEL[i]},
          new int[] {TIER_OF_CUSTOMER[CUSTOMER[i]]}, fee(i), coupon(i));
    }
    q.canonicalise();
    return q;
  }

  /**
   * A segment's money outcomes are fitted on the segment's design (its levels' indicators, the
   * same fixed effects and clustering) and put in % of its reference level's mean total: the
   * tiers' total, fee and coupon gaps and their clustered standard errors against an explicit
   * dummy-variable OLS with the CR1 sandwich written out in NumPy
   * ({@code python3 src/test/python/paid_reference.py}, numpy 2.4, the "segment" lines).
   */
  @Test
  void segmentMoneyGapsMatchDummyVariableOlsWithCr1Errors() {
    SkuAnalysis analysis = SkuAnalysis.of(lowMinimums(), List.of("h", "ch"), List.of(TIER));
    List<OutcomeEstimate> outcomes = analysis.analyse(tierFixture()).outcomes();
    assertEquals(List.of("cohort", "member_tier"), outcomes.stream()
        .map(o -> o.estimate().contrast().segment()).distinct().toList(),
        "the cohort's money rows first, then the segment's");
    // NumPy: segment total beta [2.1943441712926193, 1.9822268041237052]
    //        se [2.107068674084148, 1.4746755447771356]
    assertTier(outcomes, Outcome.TOTAL, new double[] {2.1943441712926193, 1.9822268041237052},
        new double[] {2.107068674084148, 1.4746755447771356});
    // NumPy: segment fee beta [1.9428806502775549, 1.3884536082474215]
    //        se [1.4704782591274914, 1.2186901499553897]
    assertTier(outcomes, Outcome.FEE, new double[] {1.9428806502775549, 1.3884536082474215},
        new double[] {1.4704782591274914, 1.2186901499553897});
    // NumPy: segment coupon beta [0.07928667724028521, 0.27480412371134055]
    //        se [0.26924294676831867, 0.1719160343182595]
    assertTier(outcomes, Outcome.COUPON, new double[] {0.07928667724028521, 0.27480412371134055},
        new double[] {0.26924294676831867, 0.1719160343182595});
    for (OutcomeEstimate o : tierRows(outcomes, Outcome.TOTAL)) {
      // NumPy: segment reference mean total 22.418555555555557
      assertEquals(22.418555555555557, o.referenceMean(), 1e-12, "of the tier none's quotes");
      Double[] split = o.split();
      double sum = split[PaidFit.Part.PRICE.ordinal()] + split[PaidFit.Part.FEE.ordinal()]
          + split[PaidFit.Part.COUPON.ordinal()];
      assertEquals(o.estimate().estimateLog(), sum, 1e-9, "the parts add up to the total gap");
    }
  }

  private static List<OutcomeEstimate> tierRows(List<OutcomeEstimate> outcomes, Outcome outcome) {
    return outcomes.stream().filter(o -> o.outcome() == outcome
        && o.estimate().contrast().segment().equals("member_tier")).toList();
  }

  private static void assertTier(List<OutcomeEstimate> outcomes, Outcome outcome, double[] beta,
      double[] se) {
    List<OutcomeEstimate> rows = tierRows(outcomes, outcome);
    assertEquals(List.of("diamond", "gold"), rows.stream()
        .map(o -> o.estimate().contrast().compared()).toList(), outcome.code());
    for (int k = 0; k < 2; k++) {
      Estimate e = rows.get(k).estimate();
      assertTrue(e.tested(), outcome.code() + ": " + e);
      assertEquals("none", e.contrast().reference());
      assertEquals(beta[k], e.estimateLog(), 1e-9, outcome.code() + " gap");
      assertEquals(se[k], e.stdErrorLog(), 1e-9, outcome.code() + " standard error");
    }
  }

  /**
   * The Meituan case by membership tier: diamond members pay the same price as the rest but a
   * fee of 6 against 2, whatever their loyalty cohort. The tier's price comparison finds
   * nothing material; its fee comparison finds a gap of 4 per unit exactly, and its total's
   * fee part is that gap.
   */
  @Test
  void memberTierFeeOnlyPenaltyIsFoundOnTheTiersFee() {
    SegmentLevels tier = new SegmentLevels("member_tier", List.of("diamond", "none"), 1, true,
        List.of(0L, 0L), 0);
    Random random = new Random(5);
    SkuQuotes q = new SkuQuotes("S5", "CNY", 1, 1, false, true, false);
    for (int customer = 0; customer < 60; customer++) {
      Cohort cohort = COHORTS[customer % 3];
      int level = customer % 2 == 0 ? 0 : 1;
      for (int k = 0; k < 4; k++) {
        double price = Math.round(20 * (1 + 0.02 * random.nextGaussian()) * 100) / 100.0;
        q.add("c" + customer, cohort.ordinal(), Math.log(price), price, 0, Double.NaN, "M1",
            false, new String[] {"h" + k}, new int[] {level}, level == 0 ? 6 : 2, 0);
      }
    }
    q.canonicalise();
    SkuAnalysis analysis = SkuAnalysis.of(ConfigLoader.fromMap(Map.of(), "test"), List.of("h"),
        List.of(tier));
    SkuAnalysis.Result result = analysis.analyse(q);
    Estimate price = result.segmentEstimates().get(0);
    assertEquals("diamond", price.contrast().compared());
    assertTrue(Math.abs(100 * Math.expm1(price.estimateLog())) < 2, "no price gap: " + price);
    OutcomeEstimate fee = tierRows(result.outcomes(), Outcome.FEE).get(0);
    assertEquals(4.0, fee.estimate().estimateLog(), 1e-9, "a fee of 6 against 2, exactly");
    assertTrue(fee.estimate().pValue() < 1e-12, "a deterministic fee gap: " + fee);
    OutcomeEstimate total = tierRows(result.outcomes(), Outcome.TOTAL).get(0);
    assertEquals(4.0, total.split()[PaidFit.Part.FEE.ordinal()], 1e-9, "the fee part");
    assertNull(total.split()[PaidFit.Part.COUPON.ordinal()], "no coupon column");
    assertEquals(22, total.referenceMean(), 0.5, "the tier none's total: about 20 + 2");
  }
}
