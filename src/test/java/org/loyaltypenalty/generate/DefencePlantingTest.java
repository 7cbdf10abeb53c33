package org.loyaltypenalty.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@code generate --defences} plants, measured on 3,000 customers simulated in plain Java
 * (30 SKUs, seed 5), each simulated twice: with and without the defences.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefencePlantingTest {
  static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  static final int BASE = CustomerSimulator.QUOTE_COLUMNS.length;
  static final int OFFER = BASE;
  static final int EXPERIMENT = BASE + 1;
  static final int ARM = BASE + 2;
  static final int FEE = BASE + 3;
  static final int COUPON = BASE + 4;
  /** Where {@link #simulate} puts the customer's loyalty segment. */
  static final int SEGMENT = BASE + 5;
  final List<SkuPlan> plain = SkuPlan.plan(30);
  final List<SkuPlan> plans = SkuPlan.plan(30, 0, true);
  final CustomerSimulator without = new CustomerSimulator(plain, START, 28, 20, 5);
  final CustomerSimulator with = new CustomerSimulator(plans, START, 28, 20, 5, true);
  /** Each well-formed quote with defences, and the customer's loyalty segment last. */
  final List<String[]> quotes = new ArrayList<>();
  final List<String[]> pairsWith = new ArrayList<>();
  final List<String[]> pairsWithout = new ArrayList<>();

  @BeforeAll
  void simulate() {
    for (long i = 0; i < 3000; i++) {
      int segment = with.profile(i).segment();
      List<CustomerSimulator.Output> a = with.simulate(i);
      List<CustomerSimulator.Output> b = without.simulate(i);
      assertEquals(b.size(), a.size(), "the same rows with and without the defences");
      for (int k = 0; k < a.size(); k++) {
        pairsWith.add(a.get(k).values());
        pairsWithout.add(b.get(k).values());
        String[] v = a.get(k).values();
        if (!a.get(k).purchase() && v[5].matches("\\d+\\.\\d\\d") && !v[1].isEmpty()) {
          String[] q = Arrays.copyOf(v, v.length + 1);
          q[v.length] = Integer.toString(segment);
          quotes.add(q);
        }
      }
    }
  }

  private static SkuPlan role(List<SkuPlan> plans, SkuPlan.Role role) {
    return plans.stream().filter(p -> p.role() == role).findFirst().orElseThrow();
  }

  private List<String[]> of(SkuPlan.Role role) {
    String sku = role(plans, role).skuId();
    return quotes.stream().filter(q -> q[2].equals(sku)).toList();
  }

  private static double share(List<String[]> rows, Predicate<String[]> of, Predicate<String[]> p) {
    List<String[]> in = rows.stream().filter(of).toList();
    return (double) in.stream().filter(p).count() / in.size();
  }

  private static double meanLog(List<String[]> rows, int column, Predicate<String[]> p) {
    return rows.stream().filter(p).mapToDouble(q -> Math.log(Double.parseDouble(q[column])))
        .average().orElseThrow();
  }

  @Test
  void sixHeadSkusWithoutARoleTakeTheDefenceRolesAndNoOtherPlanChanges() {
    assertEquals(SkuPlan.DEFENCES, plans.stream().map(SkuPlan::role)
        .filter(SkuPlan.DEFENCES::contains).toList());
    for (int i = 0; i < plans.size(); i++) {
      if (!SkuPlan.DEFENCES.contains(plans.get(i).role())) {
        assertEquals(plain.get(i), plans.get(i));
      } else {
        assertEquals(SkuPlan.Role.NULL, plain.get(i).role());
        assertTrue(plans.get(i).index() <= 21, "a head SKU: " + plans.get(i));
      }
    }
  }

  @Test
  void everyOtherColumnAndEveryOtherSkuIsTheSameAsWithout() {
    List<String> defenceSkus = plans.stream().filter(p -> SkuPlan.DEFENCES.contains(p.role()))
        .map(SkuPlan::skuId).toList();
    for (int k = 0; k < pairsWith.size(); k++) {
      String[] a = pairsWith.get(k);
      String[] b = pairsWithout.get(k);
      if (a.length == b.length) {
        assertArrayEquals(b, a, "a purchase row");
        continue;
      }
      assertEquals(BASE + CustomerSimulator.DEFENCE_COLUMNS.length, a.length);
      String[] base = Arrays.copyOf(a, BASE);
      if (defenceSkus.contains(a[2])) {
        // only the price and the list price may move
        base[5] = b[5];
        base[11] = b[11];
      } else {
        assertArrayEquals(new String[] {"", "", "", "", ""}, Arrays.copyOfRange(a, BASE, a.length));
      }
      assertArrayEquals(b, base);
      assertEquals("", a[COUPON]);
    }
  }

  @Test
  void theOffersGoToAboutSixInTenNewCustomersQuotesAtTenPercentOff() {
    for (SkuPlan.Role role : List.of(SkuPlan.Role.OFFER_DISCLOSED, SkuPlan.Role.OFFER_PERSONALISED)) {
      List<String[]> rows = of(role);
      String id = role == SkuPlan.Role.OFFER_DISCLOSED
          ? SkuPlan.DISCLOSED_OFFER : SkuPlan.PERSONALISED_OFFER;
      assertTrue(rows.stream().allMatch(q -> q[OFFER].isEmpty()
          || q[OFFER].equals(id) && q[15].equals("new")), role.code());
      assertEquals(SkuPlan.OFFER_SHARE, share(rows, q -> q[15].equals("new"),
          q -> !q[OFFER].isEmpty()), 0.05, role.code());
      double markupOffer = meanLog(rows, 5, q -> !q[OFFER].isEmpty())
          - meanLog(rows, 11, q -> !q[OFFER].isEmpty());
      double markupNone = meanLog(rows, 5, q -> q[OFFER].isEmpty() && q[15].equals("new"))
          - meanLog(rows, 11, q -> q[OFFER].isEmpty() && q[15].equals("new"));
      assertEquals(Math.log1p(-SkuPlan.OFFER_DISCOUNT), markupOffer - markupNone, 0.01);
    }
  }

  @Test
  void theHonestExperimentsArmsAreIndependentOfLoyaltyAndTheRiggedOnesAreNot() {
    List<String[]> honest = of(SkuPlan.Role.EXPERIMENT_HONEST);
    assertTrue(honest.stream().allMatch(q -> q[EXPERIMENT].equals("EXP-HONEST")));
    assertEquals(0.5, share(honest, q -> q[SEGMENT].equals("2"), q -> q[ARM].equals("B")), 0.08);
    assertEquals(0.5, share(honest, q -> !q[SEGMENT].equals("2"), q -> q[ARM].equals("B")), 0.08);
    List<String[]> rigged = of(SkuPlan.Role.EXPERIMENT_RIGGED);
    assertTrue(rigged.stream().allMatch(q -> q[EXPERIMENT].equals("EXP-RIGGED")));
    assertEquals(SkuPlan.RIGGED_SHARE,
        share(rigged, q -> q[SEGMENT].equals("2"), q -> q[ARM].equals("B")), 0.08);
    assertEquals(1 - SkuPlan.RIGGED_SHARE,
        share(rigged, q -> !q[SEGMENT].equals("2"), q -> q[ARM].equals("B")), 0.08);
    for (List<String[]> rows : List.of(honest, rigged)) {
      assertEquals(Math.log1p(SkuPlan.EXPERIMENT_PREMIUM),
          meanLog(rows, 11, q -> q[ARM].equals("B")) - meanLog(rows, 11, q -> q[ARM].equals("A")),
          1e-3, "the list price of arm B is the premium dearer");
    }
  }

  @Test
  void loyalCustomersPayTheHigherFeeAtTheSamePrice() {
    List<String[]> rows = of(SkuPlan.Role.FEE_PENALTY);
    for (String[] q : rows) {
      assertEquals(CustomerSimulator.cents(q[15].equals("loyal") ? SkuPlan.FEE_LOYAL : SkuPlan.FEE),
          q[FEE]);
    }
    double loyal = meanLog(rows, 5, q -> q[15].equals("loyal"))
        - meanLog(rows, 11, q -> q[15].equals("loyal"));
    double fresh = meanLog(rows, 5, q -> q[15].equals("new"))
        - meanLog(rows, 11, q -> q[15].equals("new"));
    assertEquals(0, loyal - fresh, 0.01, "no price penalty");
  }

  /**
   * The membership tier's fee penalty: members of {@link SkuPlan#FEE_TIER} (as the log records
   * the tier) pay {@link SkuPlan#FEE_MEMBER} with each quote and every other tier
   * {@link SkuPlan#FEE}; its price and list price are exactly those of the log without the
   * defences, so the tiers pay the same price.
   */
  @Test
  void diamondMembersPayTheHigherFeeAtTheSamePrice() {
    List<String[]> rows = of(SkuPlan.Role.TIER_FEE_PENALTY);
    long members = 0;
    for (String[] q : rows) {
      if (q[14].isEmpty()) {
        assertTrue(List.of(CustomerSimulator.cents(SkuPlan.FEE),
            CustomerSimulator.cents(SkuPlan.FEE_MEMBER)).contains(q[FEE]), "a tier lost: " + q[FEE]);
        continue;
      }
      boolean member = q[14].equals(SkuPlan.FEE_TIER);
      members += member ? 1 : 0;
      assertEquals(CustomerSimulator.cents(member ? SkuPlan.FEE_MEMBER : SkuPlan.FEE), q[FEE],
          q[14]);
    }
    assertTrue(members >= 30, "enough diamond members' quotes to see it: " + members);
    String sku = role(plans, SkuPlan.Role.TIER_FEE_PENALTY).skuId();
    long compared = 0;
    for (int k = 0; k < pairsWith.size(); k++) {
      String[] a = pairsWith.get(k);
      if (a.length > BASE && a[2].equals(sku)) {
        assertArrayEquals(pairsWithout.get(k), Arrays.copyOf(a, BASE), "the same quote");
        compared++;
      }
    }
    assertTrue(compared >= rows.size(), "every quote of the SKU compared with its twin");
  }

  @Test
  void truthGivesTheOffersGapAndTheTiersOfTheOfferSkusAsConfounded() {
    SkuPlan offer = role(plans, SkuPlan.Role.OFFER_PERSONALISED);
    assertEquals(6.53, offer.truePenaltyPct(Segment.COHORT, "loyal"), 0.01);
    assertEquals("offer_personalised", offer.truthRole(Segment.COHORT, "loyal"));
    assertEquals("confounded_cohort", offer.truthRole(Segment.MEMBER_TIER, "gold"));
    assertEquals("null", offer.truthRole(Segment.AGE, "70+"));
    assertEquals(0, role(plans, SkuPlan.Role.FEE_PENALTY).truePenaltyPct(Segment.COHORT, "loyal"));
    SkuPlan tierFee = role(plans, SkuPlan.Role.TIER_FEE_PENALTY);
    assertEquals(0, tierFee.truePenaltyPct(Segment.MEMBER_TIER, SkuPlan.FEE_TIER), "no price gap");
    assertEquals("tier_fee_penalty", tierFee.truthRole(Segment.MEMBER_TIER, SkuPlan.FEE_TIER));
    assertEquals("null", tierFee.truthRole(Segment.DEVICE_OS, "ios"));
  }
}
