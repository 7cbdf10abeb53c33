package org.loyaltypenalty.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the report displays of hostile values: the renderer on its fixture. */
class DisplayTextTest {
  /**
   * One 100,000-character SKU id made an 8-page PDF 323 pages long: it is displayed shortened,
   * with its length, while report-data.json keeps it whole.
   */
  @Test
  void aVeryLongIdIsShortenedForDisplayAndKeptWholeInTheData() throws IOException {
    Map<String, Object> data = ReportRendererTest.fixture("report-data.json");
    ReportRenderer.Rendered before = ReportRendererTest.render(data, "en", 10);
    String longSku = "S" + "0123456789".repeat(10_000);
    ReportRendererTest.flagged(data).get(0).put("sku_id", longSku);
    ReportRenderer.Rendered r = ReportRendererTest.render(data, "en", 10);
    assertFalse(r.html().contains("0123456789".repeat(20)), "no long run in the HTML");
    assertTrue(r.html().contains("S012345678901234567890123456789012345678901234567890123456789012"
        + "\u20264567890123456789 (100001 characters)"), "head, tail and length shown");
    assertTrue(r.html().length() < before.html().length() + 5_000,
        "HTML " + r.html().length() + " characters against " + before.html().length());
    int pages = PdfText.pages(before.pdf()).size();
    assertTrue(PdfText.pages(r.pdf()).size() <= pages + 1,
        PdfText.pages(r.pdf()).size() + " pages against " + pages);
    assertEquals(longSku, new ObjectMapper().readTree(r.json()).at("/flagged/0/sku_id").asText());
  }

  /** U+202E and the other bidirectional controls cannot reorder what the report shows. */
  @Test
  void bidirectionalControlsAreShownAsCodePoints() throws IOException {
    Map<String, Object> data = ReportRendererTest.fixture("report-data.json");
    ReportRendererTest.flagged(data).get(0).put("sku_id", "M5\u202Egnp.exe");
    ReportRendererTest.flagged(data).get(1).put("merchant_id", "\u2067shop\u2069");
    ReportRenderer.Rendered r = ReportRendererTest.render(data, "en", 10);
    assertFalse(r.html().matches("(?s).*[\u202A-\u202E\u2066-\u2069].*"), "no control in the HTML");
    assertTrue(r.html().contains("M5[U+202E]gnp.exe"));
    assertTrue(r.html().contains("[U+2067]shop[U+2069]"));
  }

  @Test
  void chineseSentencesAndShortIdsAreShownAsTheyAre() {
    String sentence = "价格对客群指示变量进行回归".repeat(30);
    assertEquals(sentence, DisplayText.of(sentence));
    assertEquals("SKU-1 and SKU-2", DisplayText.of("SKU-1 and SKU-2"));
  }
}
