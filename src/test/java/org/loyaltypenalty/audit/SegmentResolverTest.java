package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.UserException;
import org.loyaltypenalty.segment.Attribution;
import org.loyaltypenalty.segment.Contrast;
import org.loyaltypenalty.segment.SegmentLevels;
import org.loyaltypenalty.segment.SegmentSpec;

/** How a segment's reference is chosen, and what the adjusted view says of a flag. */
class SegmentResolverTest {
  private static TreeMap<String, Long> customers() {
    TreeMap<String, Long> c = new TreeMap<>();
    c.put("diamond", 40L);
    c.put("gold", 300L);
    c.put("none", 2_000L);
    return c;
  }

  @Test
  void withoutAConfiguredReferenceTheLevelWithTheMostCustomersIsTheReference() {
    SegmentLevels s = SegmentResolver.resolve(
        new SegmentSpec("member_tier", Optional.empty(), List.of()), customers(), 7);
    assertEquals("none", s.referenceLevel());
    assertFalse(s.referenceConfigured());
    assertEquals(7, s.unknownQuotes());
    assertEquals(List.of(new Contrast("member_tier", "diamond", "none"),
        new Contrast("member_tier", "gold", "none")), s.contrasts());
  }

  @Test
  void aConfiguredReferenceIsUsedEvenWhenAnotherLevelHasMoreCustomers() {
    SegmentLevels s = SegmentResolver.resolve(
        new SegmentSpec("member_tier", Optional.of("gold"), List.of()), customers(), 0);
    assertEquals("gold", s.referenceLevel());
    assertTrue(s.referenceConfigured());
    assertEquals("diamond_vs_gold", s.contrasts().get(0).code());
  }

  @Test
  void aConfiguredReferenceThatNeverOccursStopsTheRunNamingTheLevelsSeen() {
    UserException e = assertThrows(UserException.class, () -> SegmentResolver.resolve(
        new SegmentSpec("member_tier", Optional.of("platinum"), List.of()), customers(), 0));
    assertTrue(e.getMessage().contains("'platinum'") && e.getMessage().contains("diamond, gold,"
        + " none") && e.getMessage().contains("segment.member_tier.reference"), e.getMessage());
  }

  @Test
  void tiedLevelsTakeTheFirstInSortOrderAsReference() {
    TreeMap<String, Long> c = new TreeMap<>();
    c.put("ios", 50L);
    c.put("android", 50L);
    assertEquals("android", SegmentResolver.resolve(
        new SegmentSpec("device_os", Optional.empty(), List.of()), c, 0).referenceLevel());
  }

  @Test
  void aFlagSurvivesAttenuatesOrDisappearsOnTheAdjustedInterval() {
    assertEquals(Attribution.SURVIVES, Attribution.of(4.0, 1.5, 1.0));
    assertEquals(Attribution.ATTENUATED, Attribution.of(0.8, 0.2, 1.0));
    assertEquals(Attribution.DISAPPEARS, Attribution.of(0.3, -1.2, 1.0));
    assertEquals(Attribution.NOT_ESTIMABLE, Attribution.of(null, null, 1.0));
  }
}
