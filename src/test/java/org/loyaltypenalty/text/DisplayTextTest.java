package org.loyaltypenalty.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What is displayed of hostile values (chart labels): shortened, bidi controls visible. */
class DisplayTextTest {
  @Test
  void longIdsAreShortenedAndBidirectionalControlsShownAsCodePoints() {
    assertEquals("S012345678901234567890123456789012345678901234567890123456789012"
        + "\u20264567890123456789 (100001 characters)",
        DisplayText.of("S" + "0123456789".repeat(10_000)));
    assertEquals("M5[U+202E]gnp.exe", DisplayText.of("M5\u202Egnp.exe"));
    assertEquals("[U+2067]shop[U+2069]", DisplayText.of("\u2067shop\u2069"));
  }

  @Test
  void chineseSentencesAndShortIdsAreShownAsTheyAre() {
    String sentence = "价格对客群指示变量进行回归".repeat(30);
    assertEquals(sentence, DisplayText.of(sentence));
    assertEquals("SKU-1 and SKU-2", DisplayText.of("SKU-1 and SKU-2"));
  }
}
