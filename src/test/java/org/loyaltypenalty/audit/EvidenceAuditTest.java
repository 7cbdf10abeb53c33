package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;
import org.loyaltypenalty.report.PdfText;

/**
 * What a party is handed, on the bundled sample (7,859 quotes, with the segment age), audited
 * through the command line with a sign-off: every input file's SHA-256 in the manifest equals
 * what {@code sha256sum} prints; the matched pairs are of flagged comparisons, each pair's quotes
 * share SKU, currency, context and hour, and neither they nor any report file holds a customer
 * id; the sign-off is on the PDF's first page. The run leaves nothing cached in the session.
 */
class EvidenceAuditTest {
  private static final Path SAMPLE = Path.of("data-samples");

  @Test
  void theManifestHashesTheInputsThePairsMatchAndTheSignOffIsOnTheFirstPage(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("audit.properties");
    Files.writeString(config, "segments = age\nreport.organisation = 北京市消费者协会\n"
        + "report.auditor = Wang Fang\n", StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    TestSpark.spark().catalog().clearCache();
    StringWriter err = new StringWriter();
    int exit = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "audit", "--quotes", SAMPLE.resolve("quotes.csv").toString(),
        "--purchases", SAMPLE.resolve("purchases.csv").toString(),
        "--customers", SAMPLE.resolve("customers.csv").toString(),
        "--config", config.toString(), "--out", out.toString(), "--quiet");
    assertEquals(0, exit, err.toString());
    ScopedAuditTest.assertNoCacheLeft("the sample's audit, with a segment and its customers");

    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    for (String input : List.of("quotes", "purchases", "customers")) {
      JsonNode files = manifest.at("/inputs/" + input + "/files");
      assertEquals(1, files.size(), input);
      String path = new org.apache.hadoop.fs.Path(files.get(0).get("path").asText()).toUri()
          .getPath();
      assertEquals(sha256sum(path), files.get(0).get("sha256").asText(), input + ": " + path);
    }

    // the sample's quotes by id: the pairs are checked against the rows as read
    Map<String, String[]> quotes = new HashMap<>();
    Set<String> customers = new HashSet<>();
    List<String> lines = Files.readAllLines(SAMPLE.resolve("quotes.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",", -1);
      quotes.put(v[0], v);
      customers.add(v[1]);
    }
    List<String> pairs = Files.readAllLines(out.resolve("report/evidence-pairs.csv"));
    assertEquals("sku_id,currency,segment,comparison,sku_penalty_pct,q_value,context,pair,"
        + "reference_quote_id,reference_quoted_at,reference_price,compared_quote_id,"
        + "compared_quoted_at,compared_price,seconds_apart,price_gap_pct", pairs.get(0));
    Set<String> flagged = new HashSet<>();
    for (org.apache.spark.sql.Row r : TestSpark.spark().read().format("delta")
        .load(out.resolve("findings").toString()).filter("level = 'sku' AND flagged")
        .collectAsList()) {
      flagged.add(r.getAs("sku_id") + "," + r.getAs("currency") + "," + r.getAs("segment") + ","
          + r.getAs("comparison"));
    }
    assertTrue(pairs.size() > 1, "the flagged comparisons' pairs");
    for (String line : pairs.subList(1, pairs.size())) {
      String[] p = line.split(",", -1);
      assertTrue(flagged.contains(String.join(",", p[0], p[1], p[2], p[3])),
          "a flagged comparison's pair: " + line + "; flagged: " + flagged);
      String[] reference = quotes.get(p[8]);
      String[] compared = quotes.get(p[11]);
      // sku, merchant, currency, channel, device, region, quantity
      for (int c : new int[] {2, 3, 6, 7, 8, 9, 10}) {
        assertEquals(reference[c], compared[c], "the same cell: " + line);
      }
      assertEquals(reference[4].substring(0, 13), compared[4].substring(0, 13),
          "the same hour: " + line);
      assertEquals(Double.parseDouble(reference[5]), Double.parseDouble(p[10]), line);
      assertEquals(Double.parseDouble(compared[5]), Double.parseDouble(p[13]), line);
    }
    for (String file : List.of("report/evidence-pairs.csv", "evidence-pairs-data.csv",
        "report/index.html", "report/report.json")) {
      String text = Files.readString(out.resolve(file));
      for (String id : customers) {
        assertFalse(text.contains(id), "customer id " + id + " in " + file);
      }
    }
    String html = Files.readString(out.resolve("report/index.html"));
    assertTrue(html.contains("Matched pairs"), "the report shows the strongest pairs");
    String first = PdfText.pages(Files.readAllBytes(out.resolve("report/report.pdf"))).get(0);
    assertTrue(first.contains("北京市消费者协会") && first.contains("Wang Fang"), first);
  }

  private static String sha256sum(String file) throws Exception {
    Process p = new ProcessBuilder("sha256sum", file).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.substring(0, out.indexOf(' '));
  }
}
