package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.Reports;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.io.DirectorySink;
import org.loyaltypenalty.io.InputFormat;
import org.loyaltypenalty.io.RunLayout;

/**
 * An audit of one day (as a nightly run makes it) over quotes of several days: the quotes are
 * checked in the pass that places them in cohorts, and a copy of a quote kept on an earlier day
 * is still a duplicate today, on every way the purchase history can come.
 */
class ScopedAuditTest {
  static final Instant FROM = Instant.parse("2026-01-05T00:00:00Z");
  static final Instant UNTIL = Instant.parse("2026-01-06T00:00:00Z");

  static JsonNode audit(Path dir, List<String> purchases) throws Exception {
    Files.write(dir.resolve("quotes.csv"), List.of(
        "quote_id,customer_id,sku_id,quoted_at,price,currency",
        "q1,c1,s1,2026-01-04T23:00:00Z,10.00,GBP", // yesterday: the kept copy of q1
        "q1,c2,s1,2026-01-05T10:00:00Z,10.00,GBP", // today: a duplicate
        "q2,c1,s1,2026-01-05T11:00:00Z,10.00,GBP",
        "q3,c2,s1,2026-01-05T12:00:00Z,ten,GBP",
        "q4,,s1,2026-01-05T13:00:00Z,10.00,GBP",
        "q5,c3,s1,2026-01-06T10:00:00Z,10.00,GBP")); // tomorrow
    Optional<String> purchasesPath = Optional.empty();
    if (purchases != null) {
      Files.write(dir.resolve("purchases.csv"), purchases);
      purchasesPath = Optional.of(dir.resolve("purchases.csv").toString());
    }
    Path out = dir.resolve("out");
    TestSpark.spark().catalog().clearCache();
    new LoyaltyAudit(TestSpark.spark(), AuditConfig.defaults(), Progress.silent(),
        Reports.publisher(AuditConfig.defaults())).run(
        AuditRequest.of(dir.resolve("quotes.csv").toString(), purchasesPath, InputFormat.CSV),
        new DirectorySink(TestSpark.spark(), out.toString()), AuditScope.between(FROM, UNTIL));
    assertNoCacheLeft("a finished run");
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    Map<String, Long> quarantined = new TreeMap<>();
    for (Row r : TestSpark.spark().read().format("delta")
        .load(out.resolve(RunLayout.QUARANTINE).toString())
        .filter("source = 'quotes'").groupBy("reason").count().collectAsList()) {
      quarantined.put(r.getString(0), r.getLong(1));
    }
    assertEquals(Map.of("duplicate_quote_id", 1L, "unparseable_price", 1L,
        "missing_customer_id", 1L), quarantined, "the quarantine holds today's bad rows");
    return manifest;
  }

  /** The session's cache is empty: what the run cached, it released. */
  static void assertNoCacheLeft(String run) {
    assertTrue(((org.apache.spark.sql.classic.SparkSession) TestSpark.spark()).sharedState()
        .cacheManager().isEmpty(), run + " leaves no dataset cached in the session");
  }

  static void assertTodaysCounts(JsonNode manifest) {
    JsonNode counts = manifest.get("counts");
    assertEquals(4, counts.get("quotes_read").asLong(), "today's rows only");
    assertEquals(1, counts.get("quotes_valid").asLong());
    assertEquals(3, counts.get("quotes_quarantined").asLong());
    assertEquals(1, counts.at("/quarantine_reasons/duplicate_quote_id").asLong());
    assertEquals(1, counts.get("quotes_analysed").asLong()
        + counts.get("quotes_cohort_censored").asLong());
  }

  /**
   * The manifest marks a complete run: a re-run into the same place that dies after its first
   * write leaves no manifest behind (the old one is removed before that write), so a reader
   * cannot take the half-replaced outputs for a finished run; nor any cache in the session.
   */
  @Test
  void aRerunThatDiesBeforeItsManifestLeavesNoStaleManifestNorCache(@TempDir Path dir) throws Exception {
    audit(dir, null);
    Path out = dir.resolve("out");
    assertTrue(Files.exists(out.resolve("manifest.json")));
    DirectorySink real = new DirectorySink(TestSpark.spark(), out.toString());
    org.loyaltypenalty.io.AuditSink dying = new org.loyaltypenalty.io.AuditSink() {
      @Override
      public void writeFindings(org.apache.spark.sql.Dataset<Row> findings) {
        throw new IllegalStateException("killed");
      }

      @Override
      public void writeQuarantine(org.apache.spark.sql.Dataset<Row> quarantine) {
        real.writeQuarantine(quarantine);
      }

      @Override
      public org.loyaltypenalty.io.OutputWriter runFiles() {
        return real.runFiles();
      }
    };
    assertThrows(IllegalStateException.class, () -> new LoyaltyAudit(TestSpark.spark(),
        AuditConfig.defaults(), Progress.silent(), Reports.publisher(AuditConfig.defaults())).run(
            AuditRequest.of(dir.resolve("quotes.csv").toString(), Optional.empty(),
                InputFormat.CSV), dying, AuditScope.between(FROM, UNTIL)));
    assertFalse(Files.exists(out.resolve("manifest.json")));
    assertNoCacheLeft("a run that died writing its findings");
  }

  /**
   * The quarantine is written beside the per-SKU pass: when its write fails, the run fails with
   * that failure once the pass has stopped, writes no findings and no manifest, and leaves no
   * cache in the session.
   */
  @Test
  void aQuarantineWriteThatDiesBesideThePerSkuPassFailsTheRunAndLeavesNoCache(@TempDir Path dir)
      throws Exception {
    audit(dir, null);
    Path out = dir.resolve("out");
    DirectorySink real = new DirectorySink(TestSpark.spark(), out.toString());
    boolean[] findingsWritten = {false};
    org.loyaltypenalty.io.AuditSink dying = new org.loyaltypenalty.io.AuditSink() {
      @Override
      public void writeFindings(org.apache.spark.sql.Dataset<Row> findings) {
        findingsWritten[0] = true;
        real.writeFindings(findings);
      }

      @Override
      public void writeQuarantine(org.apache.spark.sql.Dataset<Row> quarantine) {
        throw new IllegalStateException("quarantine killed");
      }

      @Override
      public org.loyaltypenalty.io.OutputWriter runFiles() {
        return real.runFiles();
      }
    };
    IllegalStateException failure = assertThrows(IllegalStateException.class,
        () -> new LoyaltyAudit(TestSpark.spark(), AuditConfig.defaults(), Progress.silent(),
            Reports.publisher(AuditConfig.defaults())).run(
            AuditRequest.of(dir.resolve("quotes.csv").toString(), Optional.empty(),
                InputFormat.CSV), dying, AuditScope.between(FROM, UNTIL)));
    assertEquals("quarantine killed", failure.getMessage());
    assertFalse(findingsWritten[0], "no findings are written after the quarantine failed");
    assertFalse(Files.exists(out.resolve("manifest.json")));
    assertNoCacheLeft("a run whose quarantine write died");
  }

  @Test
  void withPurchasesTheDuplicateOfAnEarlierDaysQuoteIsQuarantinedToday(@TempDir Path dir)
      throws Exception {
    JsonNode manifest = audit(dir, List.of("customer_id,purchased_at",
        "c1,2025-06-01T10:00:00Z", "c2,2025-07-01T10:00:00Z"));
    assertTodaysCounts(manifest);
    assertEquals("2025-06-01T10:00:00Z", manifest.at("/period/history_start").asText());
  }

  @Test
  void withNoValidPurchaseTheHistoryStartsAtTheFirstKeptQuoteNotAtADuplicate(@TempDir Path dir)
      throws Exception {
    JsonNode manifest = audit(dir, List.of("customer_id,purchased_at", "c1,"));
    assertTodaysCounts(manifest);
    assertEquals(1, manifest.at("/counts/purchases_quarantined").asLong());
    assertEquals("2026-01-05T11:00:00Z", manifest.at("/period/history_start").asText(),
        "q1's copy at 10:00 is a duplicate of yesterday's quote");
  }

  @Test
  void withoutAPurchasesInputTheQuotesAreTheHistoryAndAreCheckedFirst(@TempDir Path dir)
      throws Exception {
    JsonNode manifest = audit(dir, null);
    assertTodaysCounts(manifest);
    assertEquals("2026-01-05T11:00:00Z", manifest.at("/period/history_start").asText(),
        "the only valid quote today is the only purchase");
  }
}
