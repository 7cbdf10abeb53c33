package org.loyaltypenalty.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The age band labels of {@code segment.age.bands}: lower edge inclusive, {@code <first},
 * {@code last+}.
 */
class AgeBandsTest {
  private static final AgeBands DEFAULT = new AgeBands(List.of(18, 30, 45, 60, 70));

  @Test
  void defaultEdgesGiveTheIssuesLabels() {
    assertEquals(List.of("<18", "18-29", "30-44", "45-59", "60-69", "70+"), DEFAULT.labels());
  }

  @Test
  void theLowerEdgeIsInItsBandAndTheUpperIsNot() {
    assertEquals(Optional.of("<18"), DEFAULT.label(0));
    assertEquals(Optional.of("<18"), DEFAULT.label(17));
    assertEquals(Optional.of("18-29"), DEFAULT.label(18));
    assertEquals(Optional.of("18-29"), DEFAULT.label(29));
    assertEquals(Optional.of("30-44"), DEFAULT.label(30));
    assertEquals(Optional.of("60-69"), DEFAULT.label(69));
    assertEquals(Optional.of("70+"), DEFAULT.label(70));
    assertEquals(Optional.of("70+"), DEFAULT.label(120));
  }

  @Test
  void aNegativeAgeHasNoBand() {
    assertEquals(Optional.empty(), DEFAULT.label(-1));
  }

  @Test
  void oneEdgeGivesTwoBandsAndAdjacentEdgesABandOfOneYear() {
    assertEquals(List.of("<65", "65+"), new AgeBands(List.of(65)).labels());
    assertEquals(List.of("<18", "18-18", "19+"), new AgeBands(List.of(18, 19)).labels());
  }

  @Test
  void edgesThatAreNotStrictlyIncreasingAndPositiveAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new AgeBands(List.of(30, 18)));
    assertThrows(IllegalArgumentException.class, () -> new AgeBands(List.of(18, 18)));
    assertThrows(IllegalArgumentException.class, () -> new AgeBands(List.of(0, 18)));
    assertThrows(IllegalArgumentException.class, () -> new AgeBands(List.of()));
  }
}
