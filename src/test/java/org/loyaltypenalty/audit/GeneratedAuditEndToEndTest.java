package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;
import org.loyaltypenalty.generate.SampleGenerator;
import org.loyaltypenalty.generate.SkuPlan;

/**
 * The acceptance run: a generated log of ~400k quotes over 28 days and 150 SKUs with planted
 * 2-10% penalties, a deterministic one, traps and malformed rows, audited through the command
 * line with the loyalty cohort and three segments (membership tier, device, age band; tier,
 * device and age penalties planted, one deterministic, a trap for each) in one false-discovery
 * family. Planted penalties must be flagged with estimates within 1 percentage point, no trap
 * flagged in its segment, at most one unplanted flag per segment, the adjusted view must
 * attribute the tier penalty to the tier, and the manifest must reconcile exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedAuditEndToEndTest {
  Path data;
  Path out;
  String stdout;
  int exitCode;
  /** The audit's command line, for the re-run. */
  String[] auditArgs;
  JsonNode manifest;
  Map<String, Row> skuFindings = new HashMap<>();
  List<Map<String, String>> truth = new ArrayList<>();
  /** The truth of the configured segments' comparisons. */
  List<Map<String, String>> segmentTruth = new ArrayList<>();

  @BeforeAll
  void generateAndAudit(@TempDir Path dir) throws Exception {
    data = dir.resolve("sample");
    out = dir.resolve("audit");
    SampleGenerator.generate(TestSpark.spark(), new SampleGenerator.Spec(400_000, 150, 28,
        Instant.parse("2026-01-05T00:00:00Z"), 7).withDefences(), data.toString(),
        SampleGenerator.Output.CSV_FILE);
    Path config = dir.resolve("segments.properties");
    Files.writeString(config, String.join("\n", "segments = member_tier, device_os, age",
        "segment.member_tier.reference = none", "segment.device_os.reference = android",
        "segment.age.reference = 30-44", "offers.disclosed = " + SkuPlan.DISCLOSED_OFFER, ""));
    StringWriter o = new StringWriter();
    auditArgs = new String[] {"audit", "--quotes", data.resolve("quotes.csv").toString(),
        "--purchases", data.resolve("purchases.csv").toString(),
        "--customers", data.resolve("customers.csv").toString(), "--config", config.toString(),
        "--out", out.toString(), "--quiet"};
    exitCode = LoyaltyPenaltyCli.execute(new PrintWriter(o), new PrintWriter(new StringWriter()),
        auditArgs);
    stdout = o.toString();
    manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    for (Row r : TestSpark.spark().read().format("delta").load(out.resolve("findings").toString())
        .filter("level = 'sku' and outcome = 'price'").collectAsList()) {
      skuFindings.put(r.getAs("sku_id") + "/" + r.getAs("currency") + "/" + r.getAs("segment")
          + "/" + r.getAs("comparison"), r);
    }
    List<String> lines = Files.readAllLines(data.resolve("truth.csv"));
    String[] header = lines.get(0).split(",");
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",");
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        m.put(header[i], v[i]);
      }
      (m.get("segment").equals("cohort") ? truth : segmentTruth).add(m);
    }
  }

  Row finding(Map<String, String> t) {
    Row r = skuFindings.get(t.get("sku_id") + "/" + t.get("currency") + "/" + t.get("segment")
        + "/" + t.get("comparison"));
    assertTrue(r != null, "a sku row for every (SKU, currency, comparison): " + t);
    return r;
  }

  @Test
  void auditSucceedsAndPrintsItsSummary() {
    assertEquals(0, exitCode, stdout);
    assertTrue(stdout.contains("report:"), stdout);
    assertTrue(stdout.contains("flagged:"), stdout);
  }

  @Test
  void plantedPenaltiesAreFlaggedWithin1PercentagePoint() {
    int planted = 0;
    for (Map<String, String> t : truth) {
      double truePct = Double.parseDouble(t.get("true_penalty_pct"));
      // the disclosed offer's gap is lawful: see everyDefenceIsReportedAsPlanted
      if (truePct > 0 && !t.get("role").equals("offer_disclosed")) {
        planted++;
        Row r = finding(t);
        assertEquals(true, r.getAs("flagged"), "planted penalty not flagged: " + t + " -> " + r);
        assertEquals(truePct, r.<Double>getAs("penalty_pct"), 1.0, "estimate far from truth: " + t);
        double low = r.getAs("ci_low_pct");
        double high = r.getAs("ci_high_pct");
        assertTrue(low <= r.<Double>getAs("penalty_pct") && r.<Double>getAs("penalty_pct") <= high);
      }
    }
    assertTrue(planted >= 12, "the sample plants head, tail and deterministic penalties: " + planted);
  }

  /**
   * The platform's defences and a fee penalty, planted by {@code generate --defences}: the gap of
   * a disclosed new-user offer is explained by it and not flagged, the same gap under an
   * undisclosed offer is flagged; the rigged price experiment is flagged as not randomised and the
   * honest one passes, neither leaving a price gap between cohorts once its arms are held fixed;
   * the fee penalty is flagged on the fee, not on the price; so is the membership tier's (diamond
   * members' fee against non-members').
   */
  @Test
  void everyDefenceIsReportedAsPlanted() {
    Map<String, Map<String, String>> byRole = new HashMap<>();
    for (Map<String, String> t : truth) {
      if (t.get("comparison").equals("loyal_vs_new")) {
        byRole.put(t.get("role"), t);
      }
    }
    for (Map<String, String> t : truth) {
      Row r = finding(t);
      switch (t.get("role")) {
        case "offer_disclosed" -> {
          assertEquals("explained_by_disclosed_offer", r.getAs("status"), r.toString());
          assertFalse(r.<Boolean>getAs("flagged"), r.toString());
          assertEquals(Double.parseDouble(t.get("true_penalty_pct")),
              r.<Double>getAs("penalty_pct"), 1.0, "the gap with the offer: " + r);
          assertEquals(0, r.<Double>getAs("penalty_pct_without_disclosed"), 1.0,
              "no gap without the offer's quotes: " + r);
        }
        case "offer_personalised" -> {
          assertEquals("penalty", r.getAs("status"), r.toString());
          assertNull(r.getAs("penalty_pct_without_disclosed"), r.toString());
        }
        case "experiment_honest", "experiment_rigged", "fee_penalty", "tier_fee_penalty" ->
            assertFalse(r.<Boolean>getAs("flagged"), "no price penalty: " + r);
        default -> { }
      }
    }
    var findings = TestSpark.spark().read().format("delta").load(out.resolve("findings").toString());
    Map<String, Row> experiments = new HashMap<>();
    for (Row r : findings.filter("level = 'experiment'").collectAsList()) {
      experiments.put(r.getAs("experiment_id") + "/" + r.getAs("segment"), r);
    }
    Row rigged = experiments.get("EXP-RIGGED/cohort");
    assertEquals(true, rigged.getAs("flagged"), rigged.toString());
    assertEquals("not_randomised", rigged.getAs("status"), rigged.toString());
    assertEquals(100 * SkuPlan.EXPERIMENT_PREMIUM, rigged.<Double>getAs("penalty_pct"), 1.0,
        "the arms' price gap: " + rigged);
    for (String segment : List.of("cohort", "member_tier", "device_os", "age")) {
      Row honest = experiments.get("EXP-HONEST/" + segment);
      assertEquals("randomisation_passed", honest.getAs("status"), honest.toString());
      assertFalse(honest.<Boolean>getAs("flagged"), honest.toString());
    }
    Map<String, String> fee = byRole.get("fee_penalty");
    Row feeRow = findings.filter(String.format("level = 'sku' and segment = 'cohort' and"
        + " comparison = 'loyal_vs_new' and outcome = 'fee' and sku_id = '%s'",
        fee.get("sku_id"))).first();
    assertEquals(true, feeRow.getAs("flagged"), "the fee penalty: " + feeRow);
    assertTrue(feeRow.<Double>getAs("estimate_money") > 0, feeRow.toString());
    String tierFeeSku = byRole.get("tier_fee_penalty").get("sku_id");
    String tierComparison = SkuPlan.FEE_TIER + "_vs_none";
    Row tierFee = findings.filter(String.format("level = 'sku' and segment = 'member_tier' and"
        + " comparison = '%s' and outcome = 'fee' and sku_id = '%s'", tierComparison,
        tierFeeSku)).first();
    assertEquals(true, tierFee.getAs("flagged"), "the tier's fee penalty: " + tierFee);
    assertTrue(tierFee.<Double>getAs("estimate_money") > 0, tierFee.toString());
    Row tierPrice = findings.filter(String.format("level = 'sku' and segment = 'member_tier' and"
        + " comparison = '%s' and outcome = 'price' and sku_id = '%s'", tierComparison,
        tierFeeSku)).first();
    assertFalse(tierPrice.<Boolean>getAs("flagged"), "no price penalty: " + tierPrice);
    assertTrue(manifest.at("/disclosed_offers/sku_comparisons_explained").asLong() >= 2,
        manifest.get("disclosed_offers").toString());
  }

  /**
   * On the tier SKU ({@code confounded_tier}) the cohorts differ in price because their tiers
   * do: a real marginal gap, neither a trap nor a null, so not counted here.
   */
  @Test
  void noTrapIsFlaggedAndAtMostOneNullSku() {
    List<String> nullsFlagged = new ArrayList<>();
    for (Map<String, String> t : truth) {
      if (Double.parseDouble(t.get("true_penalty_pct")) > 0 || t.get("role").startsWith("confounded")) {
        continue;
      }
      Row r = finding(t);
      if (t.get("role").startsWith("trap")) {
        assertFalse(r.<Boolean>getAs("flagged"), "trap flagged: " + t + " -> " + r);
      } else if (r.<Boolean>getAs("flagged")) {
        nullsFlagged.add(t.get("sku_id") + " " + t.get("comparison"));
      }
    }
    assertTrue(nullsFlagged.size() <= 1, "null SKUs flagged: " + nullsFlagged);
  }

  @Test
  void everyPlantedSegmentPenaltyIsFlaggedWithinOnePoint() {
    List<String> planted = new ArrayList<>();
    for (Map<String, String> t : segmentTruth) {
      double truePct = Double.parseDouble(t.get("true_penalty_pct"));
      if (truePct > 0) {
        Row r = finding(t);
        planted.add(t.get("segment") + " " + t.get("comparison"));
        assertEquals(true, r.getAs("flagged"), "planted penalty not flagged: " + t + " -> " + r);
        assertEquals(truePct, r.<Double>getAs("penalty_pct"), 1.0, "estimate far from truth: " + t);
      }
    }
    for (String segment : List.of("member_tier", "device_os", "age")) {
      assertTrue(planted.stream().anyMatch(p -> p.startsWith(segment + " ")),
          "a penalty planted in " + segment + ": " + planted);
    }
  }

  @Test
  void noTrapIsFlaggedInItsSegmentAndAtMostOneUnplantedFlagPerSegment() {
    Map<String, List<String>> unplanted = new HashMap<>();
    for (Map<String, String> t : segmentTruth) {
      if (Double.parseDouble(t.get("true_penalty_pct")) > 0
          || t.get("role").startsWith("confounded")) {
        continue;
      }
      Row r = finding(t);
      if (t.get("role").startsWith("trap")) {
        assertFalse(r.<Boolean>getAs("flagged"), "trap flagged: " + t + " -> " + r);
      } else if (r.<Boolean>getAs("flagged")) {
        unplanted.computeIfAbsent(t.get("segment"), k -> new ArrayList<>())
            .add(t.get("sku_id") + " " + t.get("comparison"));
      }
    }
    unplanted.forEach((segment, flags) ->
        assertTrue(flags.size() <= 1, segment + ": unplanted flags " + flags));
  }

  /**
   * Membership tier goes with loyalty (diamond members are mostly loyal), so on the tier SKU
   * loyal customers pay more too; held fixed for each other, the gap stays with the tier.
   */
  @Test
  void theAdjustedViewAttributesATierPenaltyToTheTierNotToLoyalty() throws Exception {
    Map<String, String> tierSku = truth.stream()
        .filter(t -> t.get("role").equals("confounded_tier")
            && t.get("comparison").equals("loyal_vs_new")).findFirst().orElseThrow();
    Row loyal = finding(tierSku);
    assertTrue(loyal.<Double>getAs("adjusted_ci_low_pct") <= 0
            && loyal.<Double>getAs("adjusted_ci_high_pct") >= 0,
        "holding the tier fixed, loyalty costs nothing: " + loyal);
    Map<String, String> diamond = segmentTruth.stream()
        .filter(t -> t.get("sku_id").equals(tierSku.get("sku_id"))
            && t.get("comparison").equals("diamond_vs_none")).findFirst().orElseThrow();
    Row tier = finding(diamond);
    assertEquals(Double.parseDouble(diamond.get("true_penalty_pct")),
        tier.<Double>getAs("adjusted_penalty_pct"), 1.0, tier.toString());
    assertTrue(tier.<Double>getAs("adjusted_ci_low_pct") > 0, tier.toString());
    if (loyal.<Boolean>getAs("flagged")) {
      JsonNode data = new ObjectMapper().readTree(out.resolve("report-data.json").toFile());
      for (JsonNode f : data.at("/segments/0/flagged")) {
        if (f.get("sku_id").asText().equals(tierSku.get("sku_id"))
            && f.get("comparison").asText().equals("loyal_vs_new")) {
          assertEquals("disappears", f.get("attribution").asText(), f.toString());
          // the attributes with a flagged penalty here that survives: the tier alone
          assertEquals(1, f.get("held_by").size(), f.toString());
          assertEquals("member_tier", f.at("/held_by/0").asText(), f.toString());
        }
      }
    }
  }

  @Test
  void theCustomersInputReconcilesAndEachSegmentSaysItsReference() throws Exception {
    JsonNode c = manifest.get("counts");
    assertEquals(c.get("customers_read").asLong(),
        c.get("customers_valid").asLong() + c.get("customers_quarantined").asLong());
    assertTrue(c.get("customers_quarantined").asLong() > 0, c.toString());
    JsonNode data = new ObjectMapper().readTree(out.resolve("report-data.json").toFile());
    List<String> segments = new ArrayList<>();
    data.get("segments").forEach(s -> segments.add(s.get("segment").asText() + "="
        + s.get("reference").asText()));
    assertEquals(List.of("cohort=new", "member_tier=none", "device_os=android", "age=30-44"),
        segments);
    String html = Files.readString(out.resolve("report/index.html"));
    assertTrue(html.contains("Attribute: membership tier") && html.contains("Attribute: age band"),
        "a section per attribute");
  }

  /**
   * Not flagged, told apart: tested null comparisons on popular (head) SKUs have a material
   * penalty ruled out, thinner tail ones stay inconclusive; each status agrees with its bound.
   */
  @Test
  void nullComparisonsWithPlentyOfDataAreRuledOutAndThinOnesInconclusive() {
    int headRuledOut = 0;
    int tailInconclusive = 0;
    int tested = 0;
    for (Map<String, String> t : truth) {
      if (!t.get("role").equals("null")) {
        continue;
      }
      Row r = finding(t);
      String status = r.getAs("status");
      if (status.equals("insufficient_data")) {
        assertNull(r.getAs("upper_bound_pct"));
        continue;
      }
      tested++;
      double bound = r.getAs("upper_bound_pct");
      assertTrue(r.<Double>getAs("mde_pct") > 0, r.toString());
      if (status.equals("no_material_penalty")) {
        assertTrue(bound < 1.0, r.toString());
        headRuledOut += t.get("tail").equals("false") ? 1 : 0;
      } else if (status.equals("inconclusive")) {
        assertTrue(bound >= 1.0, r.toString());
        tailInconclusive += t.get("tail").equals("true") ? 1 : 0;
      }
    }
    assertTrue(tested > 20, "tested null comparisons: " + tested);
    assertTrue(headRuledOut > 0, "head nulls ruled out");
    assertTrue(tailInconclusive > 0, "tail nulls inconclusive");
  }

  @Test
  void manifestCountsReconcileExactly() throws Exception {
    JsonNode c = manifest.get("counts");
    long read = c.get("quotes_read").asLong();
    long valid = c.get("quotes_valid").asLong();
    long quarantined = c.get("quotes_quarantined").asLong();
    assertEquals(read, valid + quarantined);
    long reasons = 0;
    for (Iterator<JsonNode> it = c.get("quarantine_reasons").elements(); it.hasNext(); ) {
      reasons += it.next().asLong();
    }
    assertEquals(quarantined, reasons, "reasons add up to the quarantined rows");
    try (Stream<String> lines = Files.lines(data.resolve("quotes.csv"))) {
      assertEquals(lines.count() - 1, read, "every line of the file is counted");
    }
    assertEquals(valid, c.get("quotes_analysed").asLong() + c.get("quotes_cohort_censored").asLong());
    for (String reason : new String[] {"missing_customer_id", "unparseable_price",
        "non_positive_price", "non_positive_quantity", "unparseable_quoted_at",
        "malformed_currency", "unparseable_quantity", "duplicate_quote_id"}) {
      assertTrue(c.get("quarantine_reasons").has(reason), "planted defect found: " + reason);
    }
    long quarantineRows = TestSpark.spark().read().format("delta")
        .load(out.resolve("quarantine").toString()).count();
    assertEquals(quarantined + c.get("purchases_quarantined").asLong()
        + c.get("customers_quarantined").asLong(), quarantineRows);
    assertEquals(c.get("purchases_read").asLong(),
        c.get("purchases_valid").asLong() + c.get("purchases_quarantined").asLong());
  }

  /**
   * One clock: the summary prints the manifest's duration, and the steps' timings lie within it
   * (Spark's start included) and add up to it.
   */
  @Test
  void theSummaryTheManifestAndTheStepsKeepOneClock() {
    double duration = manifest.get("duration_s").asDouble();
    assertTrue(stdout.contains(String.format("finished in %.1f s", duration)), stdout);
    double steps = 0;
    for (JsonNode s : manifest.get("timings_s")) {
      steps += s.asDouble();
    }
    assertTrue(manifest.get("timings_s").has("start_spark"), manifest.get("timings_s").toString());
    assertTrue(steps <= duration + 0.001 && duration - steps < 0.5,
        "steps " + steps + " s within the run's " + duration + " s");
  }

  @Test
  void placeboSplitOfNewCustomersFlagsNothing() throws Exception {
    JsonNode placebo = manifest.at("/results/placebo");
    assertTrue(placebo.get("tested").asLong() > 100, placebo.toString());
    assertTrue(placebo.get("flagged").asLong() <= 1, "random halves of one cohort: " + placebo);
    double share = placebo.get("share_p_below_0_05").asDouble();
    assertTrue(share < 0.12, "p < 0.05 in about 5% of placebo tests, not " + share);
    assertTrue(Files.readString(out.resolve("report/index.html")).contains("Placebo check"));
    JsonNode report = new ObjectMapper().readTree(out.resolve("report/report.json").toFile());
    assertEquals(placebo.get("flagged").asLong(), report.at("/placebo/flagged").asLong());
  }

  @Test
  void manifestRecordsInputsConfigCodeVersionRuntimeAndTimings() {
    assertTrue(manifest.get("run_id").asText().matches("\\d{8}T\\d{6}Z-[0-9a-f]{6}"));
    assertEquals("csv", manifest.at("/inputs/quotes/format").asText());
    assertTrue(manifest.at("/inputs/quotes/files/0/bytes").asLong() > 0);
    assertEquals("1h", manifest.at("/config/context.time_bucket").asText());
    assertEquals(64, manifest.get("config_sha256").asText().length());
    assertTrue(manifest.has("code_version"));
    assertEquals(TestSpark.spark().version(), manifest.at("/runtime/spark_version").asText());
    assertEquals("local[2]", manifest.at("/runtime/master").asText());
    assertEquals("2", manifest.at("/runtime/default_parallelism").asText());
    assertTrue(manifest.at("/runtime/delta_version").asText().matches("\\d+\\.\\d+\\.\\d+.*"),
        manifest.at("/runtime").toString());
    assertTrue(manifest.get("timings_s").size() >= 4);
    assertEquals(List.of("quarantine", "write_findings"),
        List.copyOf(iterable(manifest.get("beside_s").fieldNames())));
  }

  private static <T> List<T> iterable(Iterator<T> names) {
    List<T> out = new ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }

  @Test
  void reportFilesAndAnnexCarryNoCustomerId() throws Exception {
    String csv = Files.readString(out.resolve("findings.csv"));
    assertFalse(csv.matches("(?s).*C\\d{7}.*"), "a customer id appears in findings.csv");
    for (String file : List.of("report/index.html", "report/report.json",
        "report/evidence-annex.csv", "report/evidence-pairs.csv", "report-data.json")) {
      String text = Files.readString(out.resolve(file));
      assertFalse(text.matches("(?s).*C\\d{7}.*"), "a customer id appears in " + file);
    }
    String pdf = org.loyaltypenalty.report.PdfText.of(Files.readAllBytes(out.resolve("report/report.pdf")));
    assertFalse(pdf.matches("(?s).*C\\d{7}.*"), "a customer id appears in the PDF");
  }

  @Test
  void theReportHasEveryPartInBothLanguages() throws Exception {
    Path zh = out.resolve("report-zh");
    assertEquals(0, LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), "report", "--run", out.toString(), "--lang", "zh-CN",
        "--out", zh.toString()));
    for (Path dir : List.of(out.resolve("report"), zh)) {
      String html = Files.readString(dir.resolve("index.html"));
      for (String section : List.of("summary", "findings", "gap", "method", "legal", "quality",
          "repro", "annex")) {
        assertTrue(html.contains("<section id=\"" + section + "\">"), section + " in " + dir);
      }
      assertTrue(html.contains("id='fig-forest'"), "forest plot in " + dir);
      assertTrue(html.contains("id='fig-dist-1'") && html.contains("id='fig-tenure-1'"),
          "price distributions and price walking in " + dir);
      assertTrue(html.contains("id='fig-gap'"), "list price versus discount in " + dir);
      assertFalse(html.contains("src=\"http") || html.contains("href=\"http"),
          "self-contained: nothing loaded from elsewhere");
      JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
      assertEquals(manifest.get("run_id").asText(), json.get("run_id").asText());
      assertTrue(json.at("/headline/sku_comparisons_flagged").asLong() > 0);
    }
    String zhHtml = Files.readString(zh.resolve("index.html"));
    assertTrue(zhHtml.contains("lang=\"zh-CN\"") && zhHtml.contains("摘要") && zhHtml.contains("法规对照"));
    String zhPdf = org.loyaltypenalty.report.PdfText.of(Files.readAllBytes(zh.resolve("report.pdf")));
    assertTrue(zhPdf.contains("摘要") && zhPdf.contains("个人信息保护法"), "Chinese text in the PDF");
    org.loyaltypenalty.report.Messages zhWords = new org.loyaltypenalty.report.Messages("zh-CN");
    manifest.get("timings_s").fieldNames().forEachRemaining(step -> assertTrue(
        zhWords.has("repro.step." + step)
            && zhHtml.contains(">" + zhWords.text("repro.step." + step) + "<"),
        "every step the audit records is translated: " + step));
    manifest.get("beside_s").fieldNames().forEachRemaining(step -> assertTrue(
        zhWords.has("repro.step." + step) && zhHtml.contains(">" + zhWords.text(
            "repro.step.beside", "step", zhWords.text("repro.step." + step)) + "<"),
        "every step beside the main line is translated: " + step));
  }

  @Test
  void theEvidenceAnnexListsQuoteIdsOfFlaggedSkusInMatchedCells() throws Exception {
    List<String> lines = Files.readAllLines(out.resolve("report/evidence-annex.csv"));
    assertTrue(lines.get(0).startsWith("sku_id,currency,comparison,"), lines.get(0));
    assertTrue(lines.size() > 20, "example quotes for the flagged SKUs");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("SKU-0001,")), "the head SKU's examples");
    assertTrue(lines.stream().skip(1).allMatch(l -> l.matches(".*,(new|repeat|loyal),Q[0-9-]+,.*")),
        "each line is one quote of one cohort, by quote id");
    assertEquals(manifest.at("/outputs/evidence_annex").asText().isEmpty(), false);
  }

  @Test
  void cellEvidenceAndMerchantRollupsAreWritten() {
    var findings = TestSpark.spark().read().format("delta").load(out.resolve("findings").toString());
    assertEquals(10L, findings.filter("level = 'merchant' and segment = 'cohort'").count(),
        "5 merchants x 2 comparisons");
    assertTrue(findings.filter("level = 'merchant' and segment = 'member_tier'").count() > 0);
    assertTrue(findings.filter("level = 'cell' and segment = 'device_os'").count() > 0,
        "exact cells are evidence for the segments too");
    assertTrue(findings.filter("level = 'cell' and sku_id = 'SKU-0001'").count() > 0);
    assertEquals(0L, findings.filter("level = 'cell' and flagged").count(), "cells are evidence, not tests");
    assertEquals(0L, findings.filter("level = 'sku' and p_value is null and status <> 'insufficient_data'").count());
  }

  @Test
  void rerunningWithTheWorkSplitOtherwiseGivesTheSameOutputsBitForBit() throws Exception {
    RunSnapshot before = RunSnapshot.of(out);
    assertTrue(before.findings().size() > 1000, "the run's findings: " + before.findings().size());
    // the same run into the same directory, its shuffles split into 3 partitions instead of 2:
    // every row lands elsewhere, and the files must not show it
    String partitions = TestSpark.spark().conf().get("spark.sql.shuffle.partitions");
    TestSpark.spark().conf().set("spark.sql.shuffle.partitions", "3");
    int code;
    try {
      code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()),
          new PrintWriter(new StringWriter()), auditArgs);
    } finally {
      TestSpark.spark().conf().set("spark.sql.shuffle.partitions", partitions);
    }
    assertEquals(0, code);
    before.assertSameAs(RunSnapshot.of(out));
  }
}
