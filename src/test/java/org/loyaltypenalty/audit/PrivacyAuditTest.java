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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;
import org.loyaltypenalty.privacy.PseudonymKey;
import org.loyaltypenalty.report.ReportRenderer;

/**
 * The audit practises the data minimisation it audits: with a key, no file under {@code --out}
 * or {@code --history} holds a raw customer id (every file is scanned, the Delta tables' data
 * files read row by row); no column outside the contract reaches any output; an export of phone
 * numbers is refused unless allowed; and the processing record is in the manifest and the report
 * in both languages.
 */
class PrivacyAuditTest {
  private static final String KEY = "a secret only the operator keeps, 2026";
  /** A column outside the contract, and its values. */
  private static final String EXTRA_COLUMN = "card_holder_name";
  private static final String EXTRA_VALUE = "Holder-Not-In-Contract";

  @Test
  void withAKeyNoOutputOrHistoryFileHoldsARawCustomerIdOrAColumnOutsideTheContract(
      @TempDir Path dir) throws Exception {
    Set<String> ids = writeLog(dir, i -> String.format("RAWID-%s%02d", i < 0 ? "N" : "L",
        Math.abs(i) - 1));
    Path keyFile = dir.resolve("key");
    Files.writeString(keyFile, KEY + "\n");
    Files.writeString(dir.resolve("audit.properties"), "segments = tier\nprivacy.key_file = "
        + keyFile.toString().replace("\\", "/") + "\nnightly.retain_days = 3\n");
    Path out = dir.resolve("out");
    Path history = dir.resolve("history");
    assertEquals(0, run("audit", dir, "--out", out.toString()));
    int nightly = run("nightly", dir, "--history", history.toString(), "--date", "2026-01-05");
    assertTrue(nightly == 0 || nightly == 3, "nightly exit " + nightly);

    PseudonymKey key = PseudonymKey.load(keyFile.toString());
    for (Path root : List.of(out, history)) {
      List<String> contents = contents(root);
      assertTrue(contents.size() > 10, root + " has its outputs");
      for (String text : contents) {
        for (String id : ids) {
          assertFalse(text.contains(id), "a raw customer id " + id + " under " + root);
        }
        assertFalse(text.contains(KEY), "the key under " + root);
        assertFalse(text.contains(EXTRA_COLUMN) || text.contains(EXTRA_VALUE),
            "a column outside the contract under " + root);
      }
    }
    // the quarantined quote's customer, by the same pseudonym in the audit and the night
    String pseudonym = key.pseudonym("RAWID-L03");
    for (String table : List.of(out.resolve("quarantine").toString(),
        history.resolve("quarantine_history").toString())) {
      List<Row> bad = TestSpark.spark().read().format("delta").load(table)
          .filter("reason = 'unparseable_price'").collectAsList();
      assertEquals(1, bad.size(), table);
      String raw = bad.get(0).getAs("raw");
      assertTrue(raw.contains(pseudonym) && raw.contains("ten euros"), raw);
    }

    JsonNode processing = new ObjectMapper().readTree(out.resolve("manifest.json").toFile())
        .get("processing");
    assertEquals("hmac-sha256-128", processing.get("pseudonymisation").asText());
    assertEquals(key.fingerprint(), processing.get("key_fingerprint").asText());
    assertEquals("price_discrimination_audit", processing.get("purpose").asText());
    assertEquals(24, processing.get("customers").asLong());
    assertEquals(List.of("quotes", "purchases", "customers"),
        processing.get("inputs").findValuesAsText("input"));
    assertEquals("[\"quote_id\",\"customer_id\",\"sku_id\",\"quoted_at\",\"price\",\"currency\"]",
        processing.get("inputs").get(0).get("columns").toString());
    assertEquals(0, processing.get("direct_identifiers").size());
    assertTrue(processing.get("row_level_outputs").get(0).get("retention_days").isNull(),
        "an audit's quarantine is kept until the operator deletes it");
    JsonNode night = new ObjectMapper().readTree(
        history.resolve("runs/2026-01-05/manifest.json").toFile()).get("processing");
    assertEquals(3, night.get("row_level_outputs").get(0).get("retention_days").asInt());

    String en = Files.readString(out.resolve("report/index.html"));
    assertTrue(en.contains("7. Personal data processed") && en.contains(key.fingerprint()), en);
    ObjectMapper json = new ObjectMapper();
    @SuppressWarnings("unchecked")
    String zh = new ReportRenderer(
        json.readValue(out.resolve("report-data.json").toFile(), java.util.Map.class),
        json.readValue(out.resolve("manifest.json").toFile(), java.util.Map.class), "zh-CN", 10)
        .render().html();
    assertTrue(zh.contains("个人信息处理记录") && zh.contains(key.fingerprint()));
  }

  @Test
  void anExportOfPhoneNumbersIsRefusedWithExitTwoAndAcceptedWithTheOverride(@TempDir Path dir)
      throws Exception {
    writeLog(dir, i -> String.format("1391234%04d", 5000 + i));
    Files.writeString(dir.resolve("audit.properties"), "segments = tier\n");
    StringWriter err = new StringWriter();
    assertEquals(2, run("audit", dir, err, "--out", dir.resolve("refused").toString()));
    String message = err.toString();
    assertTrue(message.contains("quotes column 'customer_id' (mobile_cn")
        && message.contains("privacy.key_file")
        && message.contains("privacy.allow_direct_identifiers = true"), message);
    assertFalse(Files.exists(dir.resolve("refused/manifest.json")));

    Files.writeString(dir.resolve("audit.properties"),
        "segments = tier\nprivacy.allow_direct_identifiers = true\n");
    Path out = dir.resolve("allowed");
    assertEquals(0, run("audit", dir, "--out", out.toString()));
    JsonNode processing = new ObjectMapper().readTree(out.resolve("manifest.json").toFile())
        .get("processing");
    assertTrue(processing.get("direct_identifiers_allowed").asBoolean());
    assertEquals("none", processing.get("pseudonymisation").asText());
    Set<String> found = new TreeSet<>();
    processing.get("direct_identifiers").forEach(d -> found.add(
        d.get("input").asText() + "." + d.get("column").asText() + ":" + d.get("kind").asText()));
    assertEquals(Set.of("quotes.customer_id:mobile_cn", "purchases.customer_id:mobile_cn",
        "customers.customer_id:mobile_cn"), found);
    String en = Files.readString(out.resolve("report/index.html"));
    assertTrue(en.contains("privacy.allow_direct_identifiers = true"), "the override in the report");
  }

  private interface Ids {
    /** The id of new customer -1 - c (i &lt; 0) or loyal customer c + 1 (i &gt; 0). */
    String of(int i);
  }

  /**
   * A small log: 12 new and 12 loyal customers quoting one SKU, loyal ones 8% dearer; one quote
   * with an unparseable price (quarantined, with the extra column); a customers table.
   *
   * @return the customer ids written
   */
  private static Set<String> writeLog(Path dir, Ids ids) throws Exception {
    Set<String> written = new TreeSet<>();
    List<String> quotes = new ArrayList<>();
    quotes.add("quote_id,customer_id,sku_id,quoted_at,price,currency," + EXTRA_COLUMN);
    List<String> purchases = new ArrayList<>();
    purchases.add("customer_id,purchased_at");
    List<String> customers = new ArrayList<>();
    customers.add("customer_id,tier");
    for (int c = 0; c < 12; c++) {
      String loyal = ids.of(c + 1);
      String fresh = ids.of(-1 - c);
      written.add(loyal);
      written.add(fresh);
      purchases.add(loyal + ",2024-06-01T10:00:00Z");
      for (int p = 0; p < 6; p++) {
        purchases.add(String.format("%s,2025-%02d-15T10:00:00Z", loyal, 1 + p));
      }
      customers.add(loyal + ",plus");
      customers.add(fresh + (c % 2 == 0 ? ",plus" : ",basic"));
    }
    int id = 0;
    for (int h = 0; h < 10; h++) {
      for (int k = 0; k < 2; k++) {
        String at = String.format("2026-01-05T%02d:%02d:00Z", 8 + h, 10 * k);
        int c = (h * 2 + k) % 12;
        quotes.add(String.format("q%d,%s,sku1,%s,10.00,EUR,%s", id++, ids.of(-1 - c), at,
            EXTRA_VALUE));
        quotes.add(String.format("q%d,%s,sku1,%s,10.80,EUR,%s", id++, ids.of(c + 1), at,
            EXTRA_VALUE));
      }
    }
    quotes.add(String.format("q%d,%s,sku1,2026-01-05T12:00:00Z,ten euros,EUR,%s", id,
        ids.of(4), EXTRA_VALUE));
    Files.write(dir.resolve("quotes.csv"), quotes);
    Files.write(dir.resolve("purchases.csv"), purchases);
    Files.write(dir.resolve("customers.csv"), customers);
    return written;
  }

  private static int run(String command, Path dir, String... where) {
    return run(command, dir, new StringWriter(), where);
  }

  private static int run(String command, Path dir, StringWriter err, String... where) {
    TestSpark.spark();
    List<String> args = new ArrayList<>(List.of(command, "--quotes",
        dir.resolve("quotes.csv").toString(), "--purchases",
        dir.resolve("purchases.csv").toString(), "--customers",
        dir.resolve("customers.csv").toString(), "--config",
        dir.resolve("audit.properties").toString(), "--quiet"));
    args.addAll(List.of(where));
    return LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        args.toArray(String[]::new));
  }

  /**
   * The content of every file under {@code root}: its bytes as text, and for a Parquet file
   * (the Delta tables' data) also each row as JSON, as Spark reads it decompressed.
   */
  private static List<String> contents(Path root) throws Exception {
    List<String> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      out.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      if (f.getFileName().toString().endsWith(".parquet")) {
        StringBuilder rows = new StringBuilder();
        for (String json : TestSpark.spark().read().parquet(f.toString()).toJSON()
            .collectAsList()) {
          rows.append(json).append('\n');
        }
        out.add(rows.toString());
      }
    }
    return out;
  }
}
