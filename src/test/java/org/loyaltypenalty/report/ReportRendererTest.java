package org.loyaltypenalty.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.junit.jupiter.api.Test;

/**
 * The renderer on a fixture: the report-data.json and manifest.json of a generated run
 * (150k quotes, 40 SKUs, seed 11; {@code jobs/generate-sample.sh --quotes 150000 --skus 40
 * --seed 11}, then {@code jobs/audit.sh}), with hostile ids and small counts planted here.
 */
class ReportRendererTest {
  static final String SCRIPT_SKU = "<script>alert('x')</script>";
  static final String FORMULA_MERCHANT = "=HYPERLINK(\"http://evil\",\"x\")";

  static Map<String, Object> fixture(String name) throws IOException {
    try (InputStream in = ReportRendererTest.class.getResourceAsStream(
        "/org/loyaltypenalty/report/fixture/" + name)) {
      return ReportRenderer.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> flagged(Map<String, Object> data) {
    return (List<Map<String, Object>>) data.get("flagged");
  }

  static ReportRenderer.Rendered render(Map<String, Object> data, String lang, int k)
      throws IOException {
    return new ReportRenderer(data, fixture("manifest.json"), lang, k).render();
  }

  @Test
  void hostileIdsAreEscapedInHtmlAndKeptAsDataInJson() throws IOException {
    Map<String, Object> data = fixture("report-data.json");
    flagged(data).get(0).put("sku_id", SCRIPT_SKU);
    flagged(data).get(1).put("merchant_id", FORMULA_MERCHANT);
    for (String lang : Messages.LANGUAGES) {
      ReportRenderer.Rendered r = render(data, lang, 10);
      assertFalse(r.html().contains("<script"), "no script element, from the data or ours");
      assertTrue(r.html().contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
      assertTrue(r.html().contains("=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;)"));
      JsonNode json = new ObjectMapper().readTree(r.json());
      assertEquals(SCRIPT_SKU, json.at("/flagged/0/sku_id").asText());
      assertTrue(PdfText.of(r.pdf()).replaceAll("\\s", "").contains("<script>alert('x')</script>"),
          "the PDF shows the id as text (possibly wrapped)");
    }
  }

  @Test
  void aComparisonWithFewerThanKCustomersInACohortIsSuppressedEverywhere() throws IOException {
    Map<String, Object> data = fixture("report-data.json");
    Map<String, Object> small = flagged(data).get(0);
    small.put("customers_compared", 9);
    String penalty = new Messages("en").signedPct(((Number) small.get("penalty_pct")).doubleValue());
    ReportRenderer.Rendered r = render(data, "en", 10);
    JsonNode row = new ObjectMapper().readTree(r.json()).at("/flagged/0");
    assertTrue(row.get("suppressed").asBoolean());
    assertTrue(row.get("penalty_pct").isNull() && row.get("customers_compared").isNull());
    assertFalse(r.html().contains(">" + penalty + "<"), "the suppressed estimate is not shown");
    assertTrue(r.html().contains("Suppressed: fewer than 10 distinct customers"));
    assertFalse(render(data, "en", 9).html().contains("suppressed\">suppressed"),
        "at k = 9 the same row is published");
  }

  @Test
  void aControlCharacterInAnIdDoesNotStopThePdf() throws IOException {
    Map<String, Object> data = fixture("report-data.json");
    flagged(data).get(0).put("sku_id", "SKU\u0001\u000B-7");
    ReportRenderer.Rendered r = render(data, "en", 10);
    assertTrue(r.html().contains("SKU\uFFFD\uFFFD-7"));
    assertTrue(PdfText.of(r.pdf()).length() > 1000);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aMerchantRollUpIsSuppressedWhenItsPooledSkusHaveFewerThanKCustomersOnASide()
      throws IOException {
    Map<String, Object> data = fixture("report-data.json");
    Map<String, Object> merchant = ((List<Map<String, Object>>) data.get("merchants")).get(0);
    merchant.put("customers_compared", 9);
    JsonNode row = new ObjectMapper().readTree(render(data, "en", 10).json()).at("/merchants/0");
    assertTrue(row.get("suppressed").asBoolean(), row.toString());
    assertTrue(row.get("penalty_pct").isNull());
    merchant.put("customers_compared", 10);
    assertFalse(new ObjectMapper().readTree(render(data, "en", 10).json())
        .at("/merchants/0/suppressed").asBoolean());
  }

  @Test
  void aLargeKWithholdsEveryCustomerLevelFigure() throws IOException {
    ReportRenderer.Rendered r = render(fixture("report-data.json"), "en", 1_000_000);
    assertFalse(r.html().contains("id='fig-forest'"));
    assertFalse(r.html().contains("id='fig-dist-"));
    assertFalse(r.html().contains("id='fig-tenure-"));
    JsonNode json = new ObjectMapper().readTree(r.json());
    assertTrue(json.at("/headline/customers_affected").isNull());
    assertEquals(0, json.at("/headline/overcharge").size());
    for (JsonNode f : json.get("flagged")) {
      assertTrue(f.get("penalty_pct").isNull());
    }
  }

  @Test
  void theOverchargeIsPenaltyTimesPaidWithADeltaMethodInterval() throws IOException {
    Map<String, Object> data = fixture("report-data.json");
    @SuppressWarnings("unchecked")
    Map<String, Object> figures = (Map<String, Object>) data.get("figures");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) figures.get("overcharge");
    double amount = 0;
    Map<String, Double> perSku = new java.util.HashMap<>();
    for (Map<String, Object> o : rows) {
      if (o.get("currency").equals("GBP")) {
        amount += ((Number) o.get("overcharge")).doubleValue();
        perSku.merge((String) o.get("sku_id"), ((Number) o.get("overcharge_se")).doubleValue(),
            Double::sum);
      }
    }
    double variance = perSku.values().stream().mapToDouble(se -> se * se).sum();
    JsonNode gbp = null;
    for (JsonNode o : new ObjectMapper().readTree(render(data, "en", 10).json())
        .at("/headline/overcharge")) {
      if (o.get("currency").asText().equals("GBP")) {
        gbp = o;
      }
    }
    assertEquals(amount, gbp.get("amount").asDouble(), 1e-6);
    // 1.959963984540054 = scipy.stats.norm.ppf(0.975)
    assertEquals(amount + 1.959963984540054 * Math.sqrt(variance), gbp.get("high").asDouble(), 1e-6);
  }

  @Test
  void everyPdfPageCarriesTheRunIdAndItsPageNumber() throws IOException {
    String runId = (String) fixture("report-data.json").get("run_id");
    for (String lang : Messages.LANGUAGES) {
      List<String> pages = PdfText.pages(render(fixture("report-data.json"), lang, 10).pdf());
      assertTrue(pages.size() > 5, lang + ": " + pages.size() + " pages");
      for (int p = 0; p < pages.size(); p++) {
        String text = pages.get(p);
        assertTrue(text.contains(runId), lang + " page " + (p + 1) + " has the run id");
        String number = lang.equals("en") ? "Page " + (p + 1) + " of " + pages.size()
            : "页码 " + (p + 1) + " / " + pages.size();
        assertTrue(text.contains(number), lang + " page " + (p + 1) + ": " + number);
      }
    }
  }

  @Test
  void theChinesePdfShowsChineseInAnEmbeddedFont() throws IOException {
    byte[] pdf = render(fixture("report-data.json"), "zh-CN", 10).pdf();
    String text = PdfText.of(pdf);
    for (String phrase : List.of("1. 摘要", "2. 审计发现", "5. 法规对照", "《中华人民共和国个人信息保护法》第二十四条",
        "安慰剂检验", "新客户", "忠实客户")) {
      assertTrue(text.contains(phrase), "the PDF text has " + phrase);
    }
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      for (PDPage page : doc.getPages()) {
        for (var name : page.getResources().getFontNames()) {
          PDFont font = page.getResources().getFont(name);
          assertTrue(font.isEmbedded(), font.getName() + " is embedded");
          assertTrue(font.getName().contains("NotoSansSC"), font.getName());
        }
      }
    }
  }

  @Test
  void reproducibilityShowsTheRuntimeWhenTheManifestRecordsIt() throws IOException {
    Map<String, Object> manifest = new java.util.LinkedHashMap<>(fixture("manifest.json"));
    assertFalse(new ReportRenderer(fixture("report-data.json"), manifest, "en", 10).render()
        .html().contains("Runtime"), "an older manifest without runtime: no row");
    manifest.put("runtime", Map.of("spark_version", "4.1.0", "delta_version", "4.1.0",
        "java_version", "17.0.2 (Oracle)", "master", "local[2]", "default_parallelism", "2",
        "shuffle_partitions", "8"));
    String en = new ReportRenderer(fixture("report-data.json"), manifest, "en", 10).render().html();
    assertTrue(en.contains("Spark 4.1.0, Delta 4.1.0, Java 17.0.2 (Oracle); master local[2], "
        + "parallelism 2, 8 shuffle partitions"), "the runtime row in English");
    String zh = new ReportRenderer(fixture("report-data.json"), manifest, "zh-CN", 10).render()
        .html();
    assertTrue(zh.contains("运行环境"), "the runtime row in Chinese");
  }

  @Test
  void theChineseHtmlHasNoEnglishHeadings() throws IOException {
    String html = render(fixture("report-data.json"), "zh-CN", 10).html();
    for (String english : List.of(">1. Summary<", ">Headline<", ">Per merchant<", "Placebo check",
        ">Reproducibility<", "Evidence annex", "loyal vs new", ">suppressed<", "starting Spark", "reading and validating")) {
      assertFalse(html.contains(english), english);
    }
    assertTrue(html.contains("lang=\"zh-CN\""));
  }

  @Test
  void theLegalMappingTiesEachKindOfFindingToItsStandards() throws IOException {
    JsonNode legal = new ObjectMapper().readTree(render(fixture("report-data.json"), "en", 10).json())
        .get("legal_mapping");
    assertEquals(4, legal.size());
    assertEquals("loyal", legal.get(0).get("kind").asText());
    assertTrue(legal.get(0).get("findings").asLong() > 0);
    assertEquals(List.of("pipl24", "algo21", "cprl9", "ppbr", "icobs6b"),
        new ObjectMapper().convertValue(legal.get(0).get("standards"), List.class));
    String html = render(fixture("report-data.json"), "en", 10).html();
    assertTrue(html.contains("PIPL Art. 24") && html.contains("ICOBS 6B")
        && html.contains("not a legal verdict"));
  }

  @Test
  void aRunWithNothingFlaggedStillRenders() throws IOException {
    Map<String, Object> data = fixture("report-data.json");
    flagged(data).clear();
    @SuppressWarnings("unchecked")
    Map<String, Object> figures = (Map<String, Object>) data.get("figures");
    for (String k : List.of("overcharge", "figure_skus", "distributions", "tenure",
        "where_it_holds", "list_vs_discount")) {
      figures.put(k, List.of());
    }
    ReportRenderer.Rendered r = render(data, "en", 10);
    assertTrue(r.html().contains("No SKU comparison was flagged."));
    assertTrue(r.pdf().length > 1000);
  }

  /**
   * A night's lists, read from the report data as the nightly job writes them: a segment's row
   * names its segment, a platform row says so, a list longer than shown says how many there are,
   * and tonight's estimate over fewer than k customers is suppressed while the previous one is not.
   */
  @Test
  void aNightsListsRenderTheirRowsTotalsAndSuppression() throws IOException {
    Map<String, Object> data = fixture("report-data.json");
    Map<String, Object> tier = new java.util.LinkedHashMap<>();
    tier.put("level", "sku");
    tier.put("segment", "tier");
    tier.put("comparison", "gold_vs_none");
    tier.put("merchant_id", "M7");
    tier.put("sku_id", "SKU-NIGHT");
    tier.put("currency", "GBP");
    tier.put("first_flagged", "2026-01-05");
    tier.put("last_flagged", "2026-01-07");
    tier.put("streak", 3);
    tier.put("nights_flagged", 3);
    tier.put("penalty_pct", 12.5);
    tier.put("penalty_pct_previous", 11.25);
    tier.put("customers_min", 4);
    tier.put("customers_min_previous", 40);
    Map<String, Object> platform = new java.util.LinkedHashMap<>(tier);
    platform.put("level", "merchant");
    platform.put("segment", "cohort");
    platform.put("comparison", "loyal_vs_new");
    platform.put("merchant_id", "");
    platform.put("customers_min", 50);
    platform.put("penalty_pct", 7.0);
    platform.put("penalty_pct_previous", null);
    Map<String, Object> nightly = new java.util.LinkedHashMap<>();
    nightly.put("persistence_runs", 3);
    nightly.put("date", "2026-01-07");
    nightly.put("newly_confirmed", List.of(tier));
    nightly.put("newly_confirmed_total", 1);
    nightly.put("new_tonight", List.of());
    nightly.put("new_tonight_total", 0);
    nightly.put("resolved_tonight", List.of());
    nightly.put("resolved_tonight_total", 0);
    nightly.put("confirmed", List.of(tier, platform));
    nightly.put("confirmed_total", 250);
    nightly.put("untested_tonight_total", 0);
    data.put("nightly", nightly);
    String html = render(data, "en", 10).html();
    assertTrue(html.contains("Nightly audit of 2026-01-07"), "the night's title");
    assertTrue(html.contains("(the first 2 of 250;"), "a list longer than shown says so");
    assertTrue(html.contains("SKU-NIGHT") && html.contains(">tier: gold_vs_none<"),
        "a segment's row names its segment and comparison");
    assertTrue(html.contains("+11.25%") && !html.contains("+12.50%"),
        "tonight's estimate over 4 customers is suppressed, the previous one over 40 is not");
    assertFalse(render(fixture("report-data.json"), "en", 10).html()
        .contains("Nightly audit of"), "a one-off audit has no night");
  }

  /**
   * A penalty of the previous run explained tonight by a disclosed offer has a list of its own in
   * both languages and in report.json (not among the resolved); a fee row names its outcome.
   */
  @Test
  void aPenaltyExplainedTonightByADisclosedOfferIsListedApartInBothLanguagesAndReportJson()
      throws IOException {
    Map<String, Object> data = fixture("report-data.json");
    Map<String, Object> fee = new java.util.LinkedHashMap<>();
    fee.put("level", "sku");
    fee.put("segment", "cohort");
    fee.put("comparison", "loyal_vs_new");
    fee.put("outcome", "fee");
    fee.put("merchant_id", "M7");
    fee.put("sku_id", "SKU-OFFER");
    fee.put("currency", "CNY");
    fee.put("experiment_id", "");
    fee.put("first_flagged", "2026-01-05");
    fee.put("last_flagged", "2026-01-06");
    fee.put("streak", 0);
    fee.put("nights_flagged", 2);
    fee.put("penalty_pct", 1.5);
    fee.put("penalty_pct_previous", 9.75);
    fee.put("customers_min", 40);
    fee.put("customers_min_previous", 4);
    Map<String, Object> nightly = new java.util.LinkedHashMap<>();
    nightly.put("persistence_runs", 3);
    nightly.put("date", "2026-01-07");
    nightly.put("resolved_tonight", List.of());
    nightly.put("resolved_tonight_total", 0);
    nightly.put("explained_tonight", List.of(fee));
    nightly.put("explained_tonight_total", 1);
    data.put("nightly", nightly);
    ReportRenderer.Rendered en = render(data, "en", 10);
    assertTrue(en.html().contains(
        "Flagged in the previous run, explained tonight by a disclosed offer (not resolved)"));
    assertTrue(en.html().contains(">fee per unit<"), "the row names its outcome");
    assertTrue(render(data, "zh-CN", 10).html().contains("上一次运行中被标记、今晚由公开优惠解释（并非已消除）"));
    JsonNode lists = new ObjectMapper().readTree(en.json()).at("/nightly/lists");
    JsonNode explained = null;
    for (JsonNode l : lists) {
      if (l.get("kind").asText().equals("explained_tonight")) {
        explained = l;
      }
    }
    assertTrue(explained != null, lists.toString());
    assertEquals(1, explained.get("total").asInt());
    JsonNode row = explained.at("/rows/0");
    assertEquals("fee", row.get("outcome").asText());
    assertEquals(1.5, row.get("penalty_pct").asDouble(), 1e-12);
    assertTrue(row.get("penalty_pct_previous").isNull(),
        "the previous estimate over 4 customers is not published: " + row);
    assertTrue(row.get("suppressed_previous").asBoolean());
  }

  /**
   * With {@code report.organisation}, {@code report.auditor} and {@code report.statement} in the
   * run's config, the sign-off block is on the PDF's first page in both languages, escaped in
   * the HTML, and carried in report.json.
   */
  @Test
  void theSignOffFromTheConfigIsOnThePdfsFirstPageInBothLanguagesAndInReportJson()
      throws IOException {
    Map<String, Object> manifest = new java.util.LinkedHashMap<>(fixture("manifest.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> config = new java.util.TreeMap<>((Map<String, Object>) manifest.get("config"));
    config.put("report.organisation", "Consumer Council <Pricing Unit>");
    config.put("report.auditor", "Li Wei");
    config.put("report.statement", "Prepared for the hearing of 2027-01-12.");
    manifest.put("config", config);
    for (String lang : List.of("en", "zh-CN")) {
      ReportRenderer.Rendered r = new ReportRenderer(fixture("report-data.json"), manifest, lang, 10)
          .render();
      String first = PdfText.pages(r.pdf()).get(0);
      for (String part : List.of("Consumer Council <Pricing Unit>", "Li Wei",
          "Prepared for the hearing of 2027-01-12.")) {
        assertTrue(first.contains(part), lang + ": the PDF's first page carries " + part);
      }
      assertTrue(first.contains(lang.equals("en") ? "Sign-off" : "签署")
          && first.contains(lang.equals("en") ? "Signature" : "签名"), lang + ": " + first);
      assertTrue(r.html().contains("Consumer Council &lt;Pricing Unit&gt;"), "escaped in the HTML");
      JsonNode signOff = new ObjectMapper().readTree(r.json()).get("sign_off");
      assertEquals("Consumer Council <Pricing Unit>", signOff.get("organisation").asText());
      assertEquals("Li Wei", signOff.get("auditor").asText());
      assertEquals("Prepared for the hearing of 2027-01-12.", signOff.get("statement").asText());
    }
    config.remove("report.auditor");
    config.remove("report.statement");
    JsonNode orgOnly = new ObjectMapper().readTree(new ReportRenderer(fixture("report-data.json"),
        manifest, "en", 10).render().json()).get("sign_off");
    assertTrue(orgOnly.get("auditor").isNull(), "a part not set is null");
  }

  @Test
  void withoutSignOffKeysTheReportHasNoSignOffBlock() throws IOException {
    ReportRenderer.Rendered r = render(fixture("report-data.json"), "en", 10);
    assertFalse(r.html().contains("id=\"signoff\""), "no block");
    assertFalse(PdfText.pages(r.pdf()).get(0).contains("Sign-off"), "no block in the PDF");
    assertFalse(new ObjectMapper().readTree(r.json()).has("sign_off"), "no sign_off in report.json");
  }

  /** Pairs data as the audit writes it: two comparisons, the second over 4 customers only. */
  static final String PAIRS_DATA = String.join("\n",
      "sku_id,currency,segment,comparison,sku_penalty_pct,q_value,context,pair,reference_quote_id,"
          + "reference_quoted_at,reference_price,compared_quote_id,compared_quoted_at,"
          + "compared_price,seconds_apart,price_gap_pct,customers_reference,customers_compared",
      "SKU-7,GBP,cohort,loyal_vs_new,12.5,0.001,time_bucket=2026-03-02 10:00; merchant_id=m1,1,"
          + "q-new-1,2026-03-02T10:20:00.000Z,10.0,q-loyal-1,2026-03-02T10:21:00.000Z,11.5,60.0,"
          + "15.0,40,30",
      "SKU-7,GBP,cohort,loyal_vs_new,12.5,0.001,time_bucket=2026-03-02 11:00; merchant_id=m1,2,"
          + "q-new-2,2026-03-02T11:00:00.000Z,10.0,q-loyal-2,2026-03-02T11:05:00.000Z,11.0,300.0,"
          + "10.0,40,30",
      "SKU-9,GBP,cohort,repeat_vs_new,8.0,0.01,time_bucket=2026-03-02 10:00; merchant_id=m2,1,"
          + "q-new-9,2026-03-02T10:00:00.000Z,20.0,q-rep-9,2026-03-02T10:00:30.000Z,21.6,30.0,"
          + "8.0,40,4",
      "");

  /**
   * The report publishes the pairs file less the comparisons k withholds, and shows the closest
   * pair of each published comparison, in both languages and in report.json.
   */
  @Test
  void theClosestPairOfEachPublishedComparisonIsShownAndAComparisonBelowKIsWithheld()
      throws IOException {
    for (String lang : List.of("en", "zh-CN")) {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pairs");
      ReportRenderer.write(new ObjectMapper().writeValueAsString(fixture("report-data.json")),
          new ObjectMapper().writeValueAsString(fixture("manifest.json")),
          java.util.Optional.empty(), java.util.Optional.of(PAIRS_DATA), lang, 10,
          org.loyaltypenalty.io.OutputWriter.withoutSpark(dir.toString()));
      String published = java.nio.file.Files.readString(dir.resolve("evidence-pairs.csv"));
      assertTrue(published.contains("q-loyal-1") && published.contains("q-loyal-2"), published);
      assertFalse(published.contains("q-rep-9"), "4 customers < k: withheld");
      assertFalse(published.contains("customers_compared"), "the counts are not published");
      String html = java.nio.file.Files.readString(dir.resolve("index.html"));
      assertTrue(html.contains("q-loyal-1") && html.contains("q-new-1"), "the closest pair shown");
      assertFalse(html.contains("q-loyal-2"), "one pair per comparison in the report");
      assertFalse(html.contains("q-rep-9"), "withheld");
      assertTrue(html.contains(lang.equals("en") ? "Matched pairs" : "匹配报价对"), lang);
      assertTrue(html.contains(lang.equals("en") ? "60.00 s" : "60.00 秒"), lang);
      JsonNode pairs = new ObjectMapper().readTree(
          java.nio.file.Files.readString(dir.resolve("report.json"))).get("matched_pairs");
      assertEquals(2, pairs.get("rows").asLong(), "rows of the published file");
      assertEquals(1, pairs.get("shown").size());
      assertEquals("q-loyal-1", pairs.get("shown").get(0).get("compared_quote_id").asText());
      assertEquals(15.0, pairs.get("shown").get(0).get("price_gap_pct").asDouble());
    }
  }
}
