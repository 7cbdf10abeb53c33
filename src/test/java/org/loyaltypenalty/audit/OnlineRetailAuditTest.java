package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;

/**
 * The real-data check: UCI Online Retail II (1,044,847 order lines, shared/data beside the
 * repository) audited as an orders-only export through jobs/online-retail-ii.properties. What is
 * known about the data (its README): a quarter of the lines are guests, who pay a separate retail
 * price list; prices fall with quantity; matched on product, day, country and quantity, 98% of
 * repeat-vs-first-time comparisons show the same price. A sound audit quarantines the guests,
 * does not read wholesale tiers as penalties and finds no systematic penalty.
 */
class OnlineRetailAuditTest {
  static final Path DATA = Path.of("..", "shared", "data", "online-retail-ii",
      "online_retail_ii_2009-12_2011-12.csv.gz");

  @Test
  void onlineRetailAuditQuarantinesGuestsAndFindsNoSystematicPenalty(@TempDir Path dir)
      throws Exception {
    assumeTrue(Files.exists(DATA), "shared/data/online-retail-ii is not beside the repository");
    TestSpark.spark();
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "audit", "--quotes", DATA.toString(), "--config", "jobs/online-retail-ii.properties",
        "--out", dir.toString(), "--quiet");
    assertEquals(0, code, err.toString());
    JsonNode counts = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile()).get("counts");
    assertEquals(1_044_847L, counts.get("quotes_read").asLong());
    assertEquals(counts.get("quotes_read").asLong(),
        counts.get("quotes_valid").asLong() + counts.get("quotes_quarantined").asLong());
    long guests = counts.at("/quarantine_reasons/missing_customer_id").asLong();
    assertTrue(guests > 200_000, "guest lines are quarantined, not called new customers: " + guests);
    assertTrue(counts.at("/quarantine_reasons/non_positive_quantity").asLong() > 0, "cancellations");
    assertEquals("every quote (orders-only export)", counts.get("purchases_source").asText());

    Dataset<Row> f = TestSpark.spark().read().format("delta").load(dir.resolve("findings").toString());
    long tested = f.filter("level = 'sku' and p_value is not null").count();
    long flagged = f.filter("level = 'sku' and flagged").count();
    assertTrue(tested > 500, "enough SKUs are testable within day x country x quantity: " + tested);
    assertTrue(flagged <= 0.01 * tested, "no systematic penalty: " + flagged + " of " + tested);
    for (Row m : f.filter("level = 'merchant'").collectAsList()) {
      assertTrue(Math.abs(m.<Double>getAs("penalty_pct")) < 0.5,
          "the typical SKU shows no penalty: " + m);
      assertEquals(false, m.getAs("flagged"));
    }
  }
}
