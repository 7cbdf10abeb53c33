package org.loyaltypenalty.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.text.DisplayText;

/**
 * The report says what it shows (the fixture of {@link ReportRendererTest}): each test pins a
 * place where the report used to show one thing and say another.
 */
class ReportReadsTest {
  private static Map<String, Object> data() throws IOException {
    return ReportRendererTest.fixture("report-data.json");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> figures(Map<String, Object> data) {
    return (Map<String, Object>) data.get("figures");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(Map<String, Object> data, String key) {
    return (List<Map<String, Object>>) data.get(key);
  }

  private static String section(String html, String id, String next) {
    return html.substring(html.indexOf("<section id=\"" + id + "\""),
        html.indexOf("<section id=\"" + next + "\""));
  }

  /** The section titles carry their numbers ("1. Summary"): a numbered list would add more. */
  @Test
  void theContentsDoNotNumberTheNumberedSectionsAgain() throws IOException {
    for (String lang : Messages.LANGUAGES) {
      String html = ReportRendererTest.render(data(), lang, 10).html();
      String nav = html.substring(html.indexOf("<nav>"), html.indexOf("</nav>"));
      assertTrue(nav.contains(">" + new Messages(lang).text("section.summary") + "<"), nav);
      assertTrue(new Messages(lang).text("section.summary").startsWith("1."));
      assertFalse(nav.contains("<ol"), "no list numbers before the titles' own: " + nav);
      assertTrue(html.contains("nav ul.toc {") && html.contains("list-style: none"),
          "nor bullets");
    }
  }

  @Test
  void anEmptyConfigurationValueSaysNone() throws IOException {
    for (String lang : Messages.LANGUAGES) {
      String html = ReportRendererTest.render(data(), lang, 10).html();
      String none = new Messages(lang).text("value.unset");
      assertTrue(html.contains("<code>cohort.history_start</code></td><td class=\"id\">" + none
          + "</td>"), lang);
    }
  }

  @Test
  void aDiscountRowShowsNoQFromThePenaltyTest() throws IOException {
    Map<String, Object> data = data();
    Map<String, Object> m3 = rows(data, "merchants").get(4);
    m3.put("status", "discount");
    m3.put("q_value", 0.9948);
    String html = ReportRendererTest.render(data, "en", 10).html();
    String findings = section(html, "findings", "gap");
    assertFalse(findings.contains(">0.9948<") || findings.contains(">0.995<"),
        "the penalty test's q is not shown beside a discount");
    assertTrue(findings.contains("a discount: the test is for a penalty"));
  }

  @Test
  void theEvidenceLabelsAreDefinedBesideTheTableThatUsesThem() throws IOException {
    for (String lang : Messages.LANGUAGES) {
      String html = ReportRendererTest.render(data(), lang, 10).html();
      String definition = new Messages(lang).text("legal.strength");
      assertTrue(section(html, "findings", "gap").contains(definition), lang);
    }
  }

  @Test
  void aTenureFigureSaysHowManyBucketsItWithheld() throws IOException {
    Map<String, Object> data = data();
    String sku = (String) rows(figures(data), "figure_skus").get(0).get("sku_id");
    int changed = 0;
    for (Map<String, Object> t : rows(figures(data), "tenure")) {
      if (sku.equals(t.get("sku_id")) && ((Number) t.get("prior_purchases")).intValue() == 10) {
        t.put("customers", 3);
        changed++;
      }
    }
    assertEquals(1, changed, "the fixture's first figure SKU has a 10+ bucket");
    String html = ReportRendererTest.render(data, "en", 10).html();
    assertTrue(html.contains("1 tenure bucket withheld: fewer than 10 distinct customers."),
        "a withheld bucket is said, not dropped silently");
  }

  @Test
  void aBoxOfACohortThatWasNotTestedSaysSo() throws IOException {
    Map<String, Object> data = data();
    String sku = (String) rows(figures(data), "figure_skus").get(0).get("sku_id");
    Map<String, Object> untested = new LinkedHashMap<>();
    untested.put("sku_id", sku);
    untested.put("currency", "GBP");
    untested.put("cohort", "repeat");
    figures(data).put("untested_cohorts", new ArrayList<>(List.of(untested)));
    String html = ReportRendererTest.render(data, "en", 10).html();
    assertTrue(html.contains("Not tested on this SKU (too little data): repeat"));
  }

  @Test
  void theSplitAndItsUnitSayWhatTheyAre() throws IOException {
    String html = ReportRendererTest.render(data(), "en", 10).html();
    assertFalse(html.contains("Within matched contexts"), "the split is of the fit, not of cells");
    assertFalse(html.contains("percentage points of log price"), "one name for the unit");
    assertTrue(html.contains("Quotes analysed (all cohorts)"),
        "compared means the compared cohort only");
  }

  @Test
  void theReportCitesTheAnnexBesideItAndReportJsonNamesTheSameFile() throws IOException {
    ReportRenderer.Rendered r = ReportRendererTest.render(data(), "en", 10);
    assertTrue(r.html().contains("evidence-annex.csv, beside this report"));
    assertEquals("evidence-annex.csv",
        new ObjectMapper().readTree(r.json()).at("/evidence_annex/file").asText());
  }

  @Test
  void eachFlaggedMerchantGetsWhatToAskNextNamingItsFlaggedSkus() throws IOException {
    String html = ReportRendererTest.render(data(), "en", 10).html();
    String findings = section(html, "findings", "gap");
    assertTrue(findings.contains("What to ask next"));
    assertTrue(findings.contains("M1 (loyal vs new): the pricing rules"), "flagged M1");
    assertTrue(findings.contains("SKU-0021 (GBP)"), "names M1's flagged SKU");
    assertFalse(findings.contains("M3 (loyal vs new): the pricing rules"), "M3 is not flagged");
  }

  /** The headline's affected quotes say what they count, and how it differs from the table. */
  @Test
  void theAffectedQuotesSayWhatTheyCount() throws IOException {
    String html = ReportRendererTest.render(data(), "en", 10).html();
    assertTrue(html.contains("Quotes of the compared cohorts on the flagged SKU comparisons: "),
        "not a bare 'quotes affected'");
    assertTrue(html.contains("the flagged table counts the quotes each fit kept"));
  }

  /**
   * The summary leads with coverage: each outcome's share of the compared cohorts' quotes and of
   * what they paid, per currency.
   */
  @Test
  void theSummaryLeadsWithCoverageByOutcome() throws IOException {
    Map<String, Object> data = data();
    List<Map<String, Object>> coverage = new ArrayList<>();
    Object[][] rows = {{"flagged", 300L, 3000.0}, {"ruled_out", 500L, 5000.0},
        {"inconclusive", 150L, 1500.0}, {"untested", 50L, 500.0}};
    for (Object[] r : rows) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("outcome", r[0]);
      c.put("currency", "GBP");
      c.put("quotes", r[1]);
      c.put("paid", r[2]);
      coverage.add(c);
    }
    figures(data).put("coverage_by_outcome", coverage);
    String html = ReportRendererTest.render(data, "en", 10).html();
    String summary = section(html, "summary", "findings");
    assertTrue(summary.indexOf("Coverage: what this audit can say")
        < summary.indexOf("What was audited"), "coverage comes first");
    assertTrue(summary.contains("<th>Material penalty ruled out</th><td class=\"num\">500 (50.0%)"),
        summary);
    assertTrue(summary.contains("£3,000 (30.0%)"),
        summary);
    assertTrue(ReportRendererTest.render(data, "zh-CN", 10).html().contains("已排除实质性溢价"));
  }

  /**
   * A run written before the reasons and the purchase source were codes renders again: its
   * English reasons and source are shown as recorded, and its own annex's rows are counted.
   */
  @Test
  void aRunWrittenBeforeTheCodesStillRendersAgain() throws IOException {
    Map<String, Object> data = data();
    data.remove("purchases_source");
    Map<String, Object> old = new LinkedHashMap<>();
    old.put("why", "fewer than 20 quotes per cohort in matched contexts");
    old.put("n", 7);
    data.put("untested", new ArrayList<>(List.of(old)));
    figures(data).put("annex_rows", 14);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("report");
    ReportRenderer.write(new ObjectMapper().writeValueAsString(data),
        new ObjectMapper().writeValueAsString(ReportRendererTest.fixture("manifest.json")),
        java.util.Optional.empty(), java.util.Optional.empty(), "en", 10,
        org.loyaltypenalty.io.OutputWriter.withoutSpark(dir.toString()));
    String html = java.nio.file.Files.readString(dir.resolve("index.html"));
    assertTrue(html.contains("fewer than 20 quotes per cohort in matched contexts"));
    assertTrue(html.contains("purchases input"), "the manifest's words for the source");
    assertTrue(html.contains("(14 quotes)"), "the annex the run published itself");
  }

  /** A run's quality warnings lead the headline, in both languages. */
  @Test
  @SuppressWarnings("unchecked")
  void aRunThatTestedLittleSaysSoBeforeItsFindings() throws IOException {
    Map<String, Object> data = data();
    Map<String, Object> quality = new LinkedHashMap<>();
    quality.put("warnings", List.of("little_tested", "quote_quarantine_above_limit"));
    quality.put("quote_quarantine_share", 0.25);
    quality.put("purchase_quarantine_share", 0.0);
    quality.put("max_quarantine_share", 0.05);
    ((Map<String, Object>) data.get("results")).put("quality", quality);
    String html = ReportRendererTest.render(data, "en", 10).html();
    String headline = html.substring(html.indexOf("<div class=\"headline\">"));
    assertTrue(headline.indexOf("Little was tested") < headline.indexOf("SKUs show"), headline);
    assertTrue(headline.contains("25.0% of the quotes were quarantined"), headline);
    assertTrue(ReportRendererTest.render(data, "zh-CN", 10).html().contains("检验有限"));
  }

  /**
   * No page of the PDF ends with a table's header row: a header at the foot of a page with its
   * rows on the next is read as an empty table.
   */
  @Test
  void noPdfPageEndsWithATableHeader() throws IOException {
    for (String lang : Messages.LANGUAGES) {
      ReportRenderer.Rendered r = ReportRendererTest.render(data(), lang, 10);
      java.util.Set<String> headers = new java.util.HashSet<>();
      java.util.regex.Matcher thead = java.util.regex.Pattern
          .compile("<thead><tr>(.*?)</tr></thead>", java.util.regex.Pattern.DOTALL)
          .matcher(r.html());
      while (thead.find()) {
        headers.add(thead.group(1).replaceAll("<[^>]+>", "").replaceAll("&[a-z#0-9]+;", "")
            .replaceAll("\\s", ""));
      }
      assertTrue(headers.size() > 5, headers.toString());
      List<String> pages = PdfText.pages(r.pdf());
      for (int p = 0; p < pages.size() - 1; p++) {
        List<String> lines = new ArrayList<>(List.of(pages.get(p).split("\n")));
        lines.removeIf(l -> l.isBlank() || l.contains(new Messages(lang).text("report.footer.page")));
        // the page's text up to the footer, without spaces (a header row wraps over lines)
        String page = String.join("", lines).replaceAll("\\s", "");
        for (String h : headers) {
          assertFalse(page.endsWith(h), lang + " page " + (p + 1) + " ends with the header " + h);
        }
      }
    }
  }

  /**
   * A 100,000-character SKU id is shortened for display and a right-to-left override is shown
   * as its code point, in the HTML and the PDF; report.json keeps both values whole.
   */
  @Test
  void longIdsAreShortenedAndBidiControlsShownInTheReport() throws IOException {
    Map<String, Object> data = data();
    String longSku = "S".repeat(100_000);
    String trick = "M5\u202Egnp.exe";
    rows(data, "flagged").get(0).put("sku_id", longSku);
    rows(data, "flagged").get(1).put("merchant_id", trick);
    ReportRenderer.Rendered r = ReportRendererTest.render(data, "en", 10);
    assertFalse(r.html().contains("S".repeat(DisplayText.MAX_RUN + 1)), "shortened");
    assertFalse(r.html().contains("\u202E"), "no override in the HTML");
    assertTrue(r.html().contains("M5[U+202E]gnp.exe"));
    assertTrue(PdfText.pages(r.pdf()).size() < 30, "pages: " + PdfText.pages(r.pdf()).size());
    com.fasterxml.jackson.databind.JsonNode json = new ObjectMapper().readTree(r.json());
    assertEquals(longSku, json.at("/flagged/0/sku_id").asText(), "the data keep the whole id");
    assertEquals(trick, json.at("/flagged/1/merchant_id").asText());
  }
}
