package org.loyaltypenalty.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.cohort.PurchasesSource;

/**
 * The run's records read back from the JSON they are written as (the report reads the report
 * data so) write the same JSON again, byte for byte.
 */
class RunRecordsJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static <T> void assertReadsBackTheSame(T written, Class<T> type) throws Exception {
    String json = JSON.writeValueAsString(written);
    assertEquals(json, JSON.writeValueAsString(JSON.readValue(json, type)));
  }

  private static RunCounts counts(PurchasesSource source, Optional<InputCounts> customers) {
    Map<String, Long> byCohort = new LinkedHashMap<>();
    byCohort.put("new", 40L);
    byCohort.put("repeat", 25L);
    byCohort.put("loyal", 30L);
    Map<String, Object> csv = new LinkedHashMap<>();
    csv.put("rows_written", 3L);
    csv.put("rows", 3L);
    csv.put("cap", 1000000L);
    return new RunCounts(source,
        InputCounts.of(Map.of(InputCounts.VALID, 200L, "unparseable_purchased_at", 2L)), 190,
        InputCounts.of(Map.of(InputCounts.VALID, 100L, "non_positive_price", 3L)), 5, byCohort,
        csv, 37, 12, 4, customers);
  }

  @Test
  void countsWithACustomersInputReadBackAsWritten() throws Exception {
    RunCounts counts = counts(PurchasesSource.PURCHASES_INPUT, Optional.of(
        InputCounts.of(Map.of(InputCounts.VALID, 50L, "unparseable_birth_year", 1L))));
    assertReadsBackTheSame(counts, RunCounts.class);
    RunCounts read = JSON.readValue(JSON.writeValueAsString(counts), RunCounts.class);
    assertEquals(PurchasesSource.PURCHASES_INPUT, read.purchasesSource());
    assertEquals(counts.customers(), read.customers());
    assertEquals(95, read.quotesAnalysed());
  }

  @Test
  void countsWithoutPurchasesOrCustomersInputsReadBackAsWritten() throws Exception {
    RunCounts counts = counts(PurchasesSource.PURCHASED_QUOTES, Optional.empty());
    assertReadsBackTheSame(counts, RunCounts.class);
    RunCounts read = JSON.readValue(JSON.writeValueAsString(counts), RunCounts.class);
    assertEquals(Optional.empty(), read.customers());
    assertEquals(PurchasesSource.PURCHASED_QUOTES, read.purchasesSource());
  }

  @Test
  void resultsWithTheirQualityAndFilterReadBackAsWritten() throws Exception {
    RunResults results = new RunResults(84, 80, 14, 9, 2,
        new RunResults.FamilyFilter(5, 90, 85, 4),
        new RunResults.Placebo(20240315L, 42, 41, 1, 0.073),
        RunQuality.of(100, 30, 10, 0, 84, 5, 0.05));
    assertReadsBackTheSame(results, RunResults.class);
    RunResults read = JSON.readValue(JSON.writeValueAsString(results), RunResults.class);
    assertEquals(List.of(RunWarning.LITTLE_TESTED, RunWarning.QUOTE_QUARANTINE_ABOVE_LIMIT),
        read.quality().warnings());
  }

  /**
   * The whole report data of a run (the renderer's fixture, written by an audit of a generated
   * log before the report data recorded testability, segments and processing) reads into its
   * record, and the record reads back as written, byte for byte.
   */
  @Test
  void aRunsWholeReportDataReadsBackAsWritten() throws Exception {
    String fixture;
    try (var in = RunRecordsJsonTest.class.getResourceAsStream(
        "/org/loyaltypenalty/report/fixture/report-data.json")) {
      fixture = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    RunReportData data = JSON.readValue(fixture, RunReportData.class);
    String written = org.loyaltypenalty.report.ReportData.toJson(data);
    var before = JSON.readTree(fixture);
    assertEquals(before.get("flagged").size(), data.flagged().size());
    assertEquals(before.at("/flagged/0/sku_id").asText(), data.flagged().get(0).skuId());
    assertEquals(before.at("/flagged/0/penalty_pct").asDouble(),
        data.flagged().get(0).penaltyPct());
    assertEquals(before.at("/counts/quotes_read").asLong(), data.counts().quotesRead());
    assertEquals(written, org.loyaltypenalty.report.ReportData.toJson(
        JSON.readValue(written, RunReportData.class)));
    assertFalse(data.flagged().isEmpty());
    assertEquals(PurchasesSource.PURCHASES_INPUT, data.purchasesSource());
  }

  @Test
  void aPeriodReadsBackAsWritten() throws Exception {
    assertReadsBackTheSame(new RunPeriod("2024-12-01T00:27:18Z", "2026-01-05T07:00:18Z",
        "2026-02-01T23:59:47Z", List.of("time_bucket", "merchant_id")), RunPeriod.class);
  }

  @Test
  void figuresReadBackAsWrittenWithoutAnAnnexRowCount() throws Exception {
    RunFigures figures = new RunFigures(RunFigures.PURCHASED,
        List.of(new RunFigures.Overcharge("SKU-1", "GBP", "loyal_vs_new", 1200.5, 14L, 57.25,
            4.5, 40L, 55L)),
        new RunFigures.Affected(300L, 55L),
        List.of(new RunFigures.OutcomeCoverage("flagged", "GBP", 300L, 1200.5)),
        new RunFigures.Coverage(900L, 1000L),
        List.of(new RunFigures.FigureSku("SKU-1", "GBP", "loyal_vs_new")),
        List.of(new RunFigures.SkuCohort("SKU-1", "GBP", "repeat")),
        List.of(new RunFigures.Distribution("SKU-1", "GBP", "loyal", 1.0, 2.0, 3.0, 4.0, 5.0,
            3.1, 120L, 55L)),
        List.of(new RunFigures.Tenure("SKU-1", "GBP", 3, 0.04, null, 20L, 9L)),
        List.of(new RunFigures.Holds("SKU-1", "GBP", "new", "channel", "app", -0.001, 60L, 30L)),
        List.of(new RunFigures.ListVsDiscount("SKU-1", "GBP", "loyal_vs_new", 1e-34, 0.047, 40L,
            55L)),
        null);
    assertReadsBackTheSame(figures, RunFigures.class);
    String json = JSON.writeValueAsString(figures);
    assertFalse(json.contains("annex_rows"), json);
    assertTrue(json.startsWith("{\"paid_basis\":\"purchased\",\"overcharge\":[{\"sku_id\""),
        json);
  }

  @Test
  void figuresOfARunThatPublishedItsOwnAnnexKeepItsRowCount() throws Exception {
    RunFigures read = JSON.readValue("{\"annex_rows\": 479}", RunFigures.class);
    assertEquals(479L, read.annexRows());
    assertEquals(RunFigures.ALL_QUOTES, read.paidBasis(), "no basis recorded: every quote");
    assertEquals(List.of(), read.listVsDiscount());
  }
}
