package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;

/**
 * An audit of a small handmade log with segments and a customers table: the customers' bad rows
 * are in the quarantine (source customers) and the manifest reconciles them with reasons; the
 * customers column no segment reads ({@code customer_email}) is never loaded, so no output holds
 * it; no output holds a birth year, not even the quarantine's copy of a bad row.
 */
class SegmentedAuditTest {
  private static final String EMAIL_DOMAIN = "mail.invalid";

  @Test
  void customersAreCheckedQuarantinedAndCountedAndUnusedColumnsAreNeverRead(@TempDir Path dir)
      throws Exception {
    List<String> quotes = new ArrayList<>();
    quotes.add("quote_id,customer_id,sku_id,quoted_at,price,currency,member_tier");
    List<String> purchases = new ArrayList<>();
    purchases.add("customer_id,purchased_at");
    for (int c = 0; c < 12; c++) {
      purchases.add(String.format("L%02d,2024-06-01T10:00:00Z", c));
      for (int p = 0; p < 6; p++) {
        purchases.add(String.format("L%02d,2025-%02d-15T10:00:00Z", c, 1 + p));
      }
    }
    int id = 0;
    for (int h = 0; h < 10; h++) {
      for (int k = 0; k < 2; k++) {
        String at = String.format("2026-01-05T%02d:%02d:00Z", 8 + h, 10 * k);
        int customer = (h * 2 + k) % 12;
        quotes.add(String.format("q%d,N%02d,sku1,%s,10.00,EUR,None", id++, customer, at));
        quotes.add(String.format("q%d,L%02d,sku1,%s,10.80,EUR, Gold", id++, customer, at));
      }
    }
    List<String> customers = new ArrayList<>();
    customers.add("customer_id,birth_year,tier,customer_email");
    for (int c = 0; c < 12; c++) {
      customers.add(String.format("N%02d,%d,basic,n%02d@%s", c, 1960 + 3 * c, c, EMAIL_DOMAIN));
      customers.add(String.format("L%02d,%d,plus,l%02d@%s", c, 1965 + 3 * c, c, EMAIL_DOMAIN));
    }
    customers.add("L00,1965,plus,other@" + EMAIL_DOMAIN); // the same values again: valid
    customers.add("N01,1990,basic,x@" + EMAIL_DOMAIN); // N01 listed with another birth year
    customers.add("X01,19x0,basic,y@" + EMAIL_DOMAIN);
    customers.add("X02,1850,basic,z@" + EMAIL_DOMAIN);
    customers.add("X03,2027,,w@" + EMAIL_DOMAIN); // after the last quote's year (2026)
    customers.add("X04,,," + EMAIL_DOMAIN); // nothing known: valid
    Files.write(dir.resolve("quotes.csv"), quotes);
    Files.write(dir.resolve("purchases.csv"), purchases);
    Files.write(dir.resolve("customers.csv"), customers);
    Files.writeString(dir.resolve("audit.properties"),
        "segments = member_tier, tier, age\nsegment.member_tier.reference = none\n");
    Path out = dir.resolve("out");
    TestSpark.spark();
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "audit", "--quotes", dir.resolve("quotes.csv").toString(), "--purchases",
        dir.resolve("purchases.csv").toString(), "--customers",
        dir.resolve("customers.csv").toString(), "--config",
        dir.resolve("audit.properties").toString(), "--out", out.toString(), "--quiet");
    assertEquals(0, code, err.toString());

    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    JsonNode counts = manifest.get("counts");
    assertEquals(30, counts.get("customers_read").asLong());
    assertEquals(25, counts.get("customers_valid").asLong(),
        "23 listed once, L00 twice with the same values, X04 with nothing known");
    assertEquals(5, counts.get("customers_quarantined").asLong());
    assertEquals(Map.of("conflicting_customer_id", 2L, "implausible_birth_year", 2L,
        "unparseable_birth_year", 1L), asMap(counts.get("customer_quarantine_reasons")));
    assertTrue(manifest.get("inputs").has("customers"), "the customers input is described");
    assertTrue(manifest.get("timings_s").has("read_customers"));

    // coverage by outcome per attribute: every compared quote once, with what it paid (no
    // purchased column: every quote; no quantity: 1): 20 loyal (and gold) quotes at 10.80
    JsonNode segments = new ObjectMapper().readTree(out.resolve("report-data.json").toFile())
        .get("segments");
    Map<String, double[]> coverage = new TreeMap<>();
    for (JsonNode s : segments) {
      double[] total = new double[2];
      for (JsonNode c : s.get("coverage")) {
        assertTrue(List.of("flagged", "ruled_out", "inconclusive", "untested")
            .contains(c.get("outcome").asText()), c.toString());
        assertEquals("EUR", c.get("currency").asText());
        total[0] += c.get("quotes").asLong();
        total[1] += c.get("paid").asDouble();
      }
      coverage.put(s.get("segment").asText(), total);
    }
    assertEquals(20, coverage.get("cohort")[0], "the loyal customers' quotes");
    assertEquals(216.0, coverage.get("cohort")[1], 1e-9);
    assertEquals(20, coverage.get("member_tier")[0], "the gold quotes (reference none)");
    assertEquals(216.0, coverage.get("member_tier")[1], 1e-9);

    Map<String, Long> quarantined = new TreeMap<>();
    for (Row r : TestSpark.spark().read().format("delta").load(out.resolve("quarantine").toString())
        .filter("source = 'customers'").groupBy("reason").count().collectAsList()) {
      quarantined.put(r.getString(0), r.getLong(1));
    }
    assertEquals(asMap(counts.get("customer_quarantine_reasons")), quarantined);
    for (Row r : TestSpark.spark().read().format("delta").load(out.resolve("quarantine").toString())
        .collectAsList()) {
      assertFalse(r.<String>getAs("raw").contains(EMAIL_DOMAIN), "never loaded: " + r);
    }
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString()
          .matches(".*\\.(csv|json|html)$")).toList()) {
        String text = Files.readString(f);
        assertFalse(text.contains(EMAIL_DOMAIN), "customer_email is in " + f);
        assertFalse(text.contains("customer_email"), "customer_email is in " + f);
        // a JSON key or a CSV column named birth_year (the reason codes only end with it), in
        // the quarantine too: the reason says what was wrong with a birth year
        // (the processing record names the column read, with no value)
        assertFalse(text.matches("(?s).*\"birth_year\"\"?\\s*:.*")
            || text.startsWith("birth_year,") || text.contains(",birth_year"),
            "birth years are in " + f);
        assertFalse(text.contains("19x0"), "a raw birth year in " + f);
        if (f.getFileName().toString().equals("quarantine.csv")) {
          assertFalse(text.contains("1850") || text.contains("2027"), "a raw birth year in " + f);
        }
      }
    }
  }

  private static Map<String, Long> asMap(JsonNode node) {
    Map<String, Long> out = new TreeMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    return out;
  }
}
