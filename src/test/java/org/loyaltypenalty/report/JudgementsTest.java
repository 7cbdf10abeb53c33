package org.loyaltypenalty.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.report.Judgements.Overcharge;
import org.loyaltypenalty.report.Judgements.Strength;

class JudgementsTest {
  @Test
  void aFlaggedFindingIsStrongOnlyWithASmallQAndThreeCells() {
    assertEquals(Strength.STRONG, Judgements.strength("penalty", 0.01, 3));
    assertEquals(Strength.MODERATE, Judgements.strength("penalty", 0.0100001, 3));
    assertEquals(Strength.MODERATE, Judgements.strength("penalty", 1e-9, 2));
    assertEquals(Strength.MODERATE, Judgements.strength("penalty", 1e-9, null));
    assertEquals(Strength.WEAK, Judgements.strength("not_material", 1e-9, 10));
    assertEquals(Strength.NONE, Judgements.strength("not_significant", 0.5, 10));
    assertEquals(Strength.NONE, Judgements.strength("discount", 1e-9, 10));
    assertEquals(Strength.STRONG,
        Judgements.strongest(List.of(Strength.WEAK, Strength.STRONG, Strength.MODERATE)));
    assertEquals(Strength.NONE, Judgements.strongest(List.of()));
  }

  @Test
  void priceWalkingNeedsTheLongestTenureWhollyAboveTheFirstReturningBucket() {
    Charts.TenurePoint newCustomers = new Charts.TenurePoint(0, 0, -1, 1);
    Charts.TenurePoint first = new Charts.TenurePoint(1, 2, 1, 3);
    Charts.TenurePoint rising = new Charts.TenurePoint(10, 6, 4, 8);
    Charts.TenurePoint overlapping = new Charts.TenurePoint(10, 4, 2.9, 5);
    assertTrue(Judgements.priceWalking(List.of(newCustomers, first, rising)));
    assertFalse(Judgements.priceWalking(List.of(newCustomers, first, overlapping)));
    assertFalse(Judgements.priceWalking(List.of(newCustomers, rising)),
        "one returning bucket: a step from new to returning, not a walk");
  }

  /**
   * Two comparisons of one SKU share its new customers: their errors add (1 + 2 = 3); another
   * SKU's error adds in quadrature: se = sqrt(3^2 + 4^2) = 5. z = 1.959963984540054 is the 97.5%
   * normal quantile (SciPy: scipy.stats.norm.ppf(0.975)).
   */
  @Test
  void overchargeErrorsAddWithinASkuAndInQuadratureAcrossSkus() {
    double z = 1.959963984540054;
    List<Judgements.Total> totals = Judgements.overchargeByCurrency(List.of(
        new Overcharge("a", "EUR", 10, 1), new Overcharge("a", "EUR", 20, 2),
        new Overcharge("b", "EUR", 30, 4), new Overcharge("c", "GBP", 7, 0.5)), z);
    assertEquals(2, totals.size());
    Judgements.Total eur = totals.get(0);
    assertEquals("EUR", eur.currency());
    assertEquals(60, eur.amount(), 1e-12);
    assertEquals(60 - z * 5, eur.low(), 1e-12);
    assertEquals(60 + z * 5, eur.high(), 1e-12);
    assertEquals(3, eur.comparisons());
    assertEquals(7 + z * 0.5, totals.get(1).high(), 1e-12);
  }

  @Test
  void aDiscountDrivenGapHasAPositiveDiscountPartAtLeastAsLargeAsTheListPart() {
    assertTrue(Judgements.discountDriven(0.01, 0.02));
    assertTrue(Judgements.discountDriven(-0.02, 0.02));
    assertFalse(Judgements.discountDriven(0.03, 0.02));
    assertFalse(Judgements.discountDriven(0.0, -0.01));
  }

  @Test
  void everyKindCitesTheChineseRulesAndOnlyTenureKindsTheFcaBan() {
    for (Judgements.Kind k : Judgements.Kind.values()) {
      assertTrue(k.standards().containsAll(List.of("pipl24", "algo21", "cprl9", "ppbr")), k.code());
      assertEquals(k != Judgements.Kind.DISCOUNT, k.standards().contains("icobs6b"), k.code());
    }
  }
}
