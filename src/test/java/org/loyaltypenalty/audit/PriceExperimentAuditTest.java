package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;

/**
 * An audit of a small handmade log with two price experiments, each on its own SKU, arm B 10%
 * dearer than arm A by design, among 60 new and 60 loyal customers:
 *
 * <ul>
 *   <li>{@code exp_honest}: 25 of the new and 35 of the loyal customers in arm B, a split that
 *       chance gives (chi-square p = 0.068), but one that, were the arms not held fixed, would
 *       show loyal customers paying about 1.7% more for the SKU;</li>
 *   <li>{@code exp_rigged}: 54 of the loyal and 6 of the new customers in the dearer arm B.</li>
 * </ul>
 *
 * <p>Reference values, SciPy 1.17.1, {@code scipy.stats.chi2_contingency(t, correction=False)}
 * with rows the arms (A, B) and columns the levels (new, loyal):
 * {@code [[35, 25], [25, 35]]}: statistic 3.3333333333333335, p 0.06788915486182893;
 * {@code [[54, 6], [6, 54]]}: statistic 76.8, p 1.8917759914213815e-18.
 */
class PriceExperimentAuditTest {
  private static final int CUSTOMERS = 60;
  private static final int QUOTES_EACH = 4;
  private static final double[] JITTER = {0.995, 1.0, 1.005, 1.0};

  @Test
  void riggedExperimentIsFlaggedAndHonestOneHoldsItsArmsFixedAndPasses(@TempDir Path dir)
      throws Exception {
    List<String> quotes = new ArrayList<>();
    quotes.add("quote_id,customer_id,sku_id,quoted_at,price,currency,member_tier,"
        + "experiment_id,experiment_arm");
    List<String> purchases = new ArrayList<>();
    purchases.add("customer_id,purchased_at");
    int id = 0;
    for (int i = 0; i < CUSTOMERS; i++) {
      purchases.add(String.format("L%02d,2024-06-01T10:00:00Z", i));
      for (int p = 0; p < 6; p++) {
        purchases.add(String.format("L%02d,2025-%02d-15T10:00:00Z", i, 1 + p));
      }
      for (boolean loyal : new boolean[] {false, true}) {
        String customer = String.format("%s%02d", loyal ? "L" : "N", i);
        String tier = loyal ? "gold" : "none";
        boolean honestB = i < (loyal ? 35 : 25);
        boolean riggedB = loyal ? i < 54 : i < 6;
        for (int j = 0; j < QUOTES_EACH; j++) {
          String at = String.format("2026-01-05T%02d:%02d:00Z", 8 + j, i % 60);
          double jitter = JITTER[(i + j) % JITTER.length];
          quotes.add(String.format(Locale.ROOT, "q%d,%s,sku_h,%s,%.2f,EUR,%s,exp_honest,%s",
              id++, customer, at, (honestB ? 11.0 : 10.0) * jitter, tier, honestB ? "B" : "A"));
          quotes.add(String.format(Locale.ROOT, "q%d,%s,sku_r,%s,%.2f,EUR,%s,exp_rigged,%s",
              id++, customer, at, (riggedB ? 11.0 : 10.0) * jitter, tier, riggedB ? "B" : "A"));
          // outside any experiment: one level of the experiment dimension for all
          quotes.add(String.format(Locale.ROOT, "q%d,%s,sku_c,%s,%.2f,EUR,%s,,", id++, customer,
              at, 20.0 * jitter, tier));
        }
      }
    }
    quotes.add("bad1,N00,sku_c,2026-01-05T09:00:00Z,20.00,EUR,none,,A");
    quotes.add("bad2,N00,sku_c,2026-01-05T09:00:00Z,20.00,EUR,none,exp_honest,");
    Files.write(dir.resolve("quotes.csv"), quotes);
    Files.write(dir.resolve("purchases.csv"), purchases);
    Files.writeString(dir.resolve("audit.properties"),
        "segments = member_tier\nsegment.member_tier.reference = none\n");
    Path out = CliAudit.run(dir);

    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(Map.of("experiment_arm_without_id", 1L, "experiment_id_without_arm", 1L),
        asMap(manifest.get("counts").get("quarantine_reasons")));

    Dataset<Row> findings = TestSpark.spark().read().format("delta")
        .load(out.resolve("findings").toString());
    Map<String, Row> experiments = new HashMap<>();
    for (Row r : findings.filter("level = 'experiment'").collectAsList()) {
      experiments.put(r.<String>getAs("experiment_id") + "/" + r.<String>getAs("segment"), r);
    }
    assertEquals(List.of("exp_honest/cohort", "exp_honest/member_tier", "exp_rigged/cohort",
        "exp_rigged/member_tier"), new ArrayList<>(new TreeMap<>(experiments).keySet()));

    Row rigged = experiments.get("exp_rigged/cohort");
    assertEquals("not_randomised", rigged.getAs("status"));
    assertTrue(rigged.<Boolean>getAs("flagged"), "loyal customers put in the dearer arm");
    assertEquals(76.8, rigged.<Double>getAs("chi_square"), 1e-9);
    assertEquals(1.8917759914213815e-18, rigged.<Double>getAs("p_value"), 1e-27);
    assertEquals(1.0, rigged.<Double>getAs("degrees_of_freedom"));
    assertEquals("B", rigged.getAs("compared"), "the dearer arm");
    assertEquals("A", rigged.getAs("reference"), "the cheaper arm");
    assertEquals(10.0, rigged.<Double>getAs("penalty_pct"), 0.3, "arm B is 10% dearer");
    assertEquals(60L, rigged.<Long>getAs("customers_compared"));
    JsonNode arms = new ObjectMapper().readTree(rigged.<String>getAs("arms"));
    assertEquals("A", arms.get(0).get("arm").asText());
    assertEquals(0.9, arms.get(0).get("shares").get("new").asDouble(), 1e-12);
    assertEquals(0.9, arms.get(1).get("shares").get("loyal").asDouble(), 1e-12);
    assertEquals("not_randomised", experiments.get("exp_rigged/member_tier").getAs("status"));

    Row honest = experiments.get("exp_honest/cohort");
    assertEquals("randomisation_passed", honest.getAs("status"));
    assertFalse(honest.<Boolean>getAs("flagged"));
    assertEquals(3.3333333333333335, honest.<Double>getAs("chi_square"), 1e-12);
    assertEquals(0.06788915486182893, honest.<Double>getAs("p_value"), 1e-14);
    assertNotNull(honest.getAs("q_value"), "in the run's false discovery rate family");
    assertTrue(honest.<Double>getAs("q_value") >= honest.<Double>getAs("p_value"));

    // the arms are held fixed: the honest experiment's SKU shows no loyalty penalty
    List<Row> honestSku = findings.filter("level = 'sku' and sku_id = 'sku_h'"
        + " and comparison in ('loyal_vs_new', 'gold_vs_none')").collectAsList();
    assertEquals(2, honestSku.size(), "loyal_vs_new and gold_vs_none");
    for (Row r : honestSku) {
      assertFalse(r.<Boolean>getAs("flagged"), r.toString());
      assertTrue(r.<String>getAs("context").contains("experiment"), r.<String>getAs("context"));
      assertTrue(Math.abs(r.<Double>getAs("penalty_pct")) < 0.5, r.toString());
      assertNull(r.getAs("experiment_id"));
    }
    assertEquals(0, findings.filter("flagged and level <> 'experiment'").count(),
        "no loyalty or tier penalty is flagged: within each arm everyone pays the same");

    // the report, in both languages, and report.json carry every experiment
    JsonNode report = new ObjectMapper().readTree(
        out.resolve("report").resolve("report.json").toFile());
    assertEquals(4, report.get("experiments").size());
    assertEquals("exp_honest", report.get("experiments").get(0).get("experiment_id").asText());
    assertTrue(report.get("experiments").get(2).get("flagged").asBoolean());
    String html = Files.readString(out.resolve("report").resolve("index.html"));
    assertTrue(html.contains("Experiment exp_rigged, by loyalty cohort"), "en section");
    assertTrue(html.contains("Not randomised: the arm follows the level"), "en outcome");
    assertTrue(html.contains("Randomisation passes"), "en outcome of the honest experiment");
    Path zh = CliAudit.reportInChinese(out);
    String zhHtml = Files.readString(zh.resolve("index.html"));
    assertTrue(zhHtml.contains("实验 exp_rigged"), "zh section");
    assertTrue(zhHtml.contains("未随机分配"), "zh outcome");
  }

  private static Map<String, Long> asMap(JsonNode node) {
    Map<String, Long> out = new TreeMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    return out;
  }
}
