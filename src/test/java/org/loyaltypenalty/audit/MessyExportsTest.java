package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;
import org.loyaltypenalty.io.InputFormat;
import org.loyaltypenalty.io.InputReader;
import org.loyaltypenalty.validate.QuoteValidator;
import org.loyaltypenalty.validate.Validated;

/**
 * Exports as real platforms write them (src/test/resources/org/loyaltypenalty/messy): UTF-8 with
 * a byte order mark, GBK from a Chinese console with CRLF line ends, quoted fields holding line
 * breaks and doubled quotes, columns outside the contract, and the timestamps and prices that
 * must be quarantined. Every record is accounted for: the records in the file (counted here by an
 * RFC 4180 reading of the text, independent of Spark) = quotes_read = valid + quarantined, and
 * the quarantine reasons are the ones each row was written to have.
 */
class MessyExportsTest {
  private static Path fixture(String name) throws Exception {
    return Path.of(MessyExportsTest.class.getResource("/org/loyaltypenalty/messy/" + name).toURI());
  }

  /** Records in RFC 4180 text after its header: line breaks inside quotes do not end one. */
  static long records(String text) {
    long records = 0;
    boolean quoted = false;
    boolean content = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        content = true;
      } else if (c == '\n' && !quoted) {
        records += content ? 1 : 0;
        content = false;
      } else if (c != '\r') {
        content = true;
      }
    }
    return records + (content ? 1 : 0) - 1;
  }

  private static Map<String, Long> reasons(JsonNode node) {
    Map<String, Long> out = new TreeMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    return out;
  }

  @Test
  void aUtf8ExportWithBomMultiLineRecordsAndBadValuesReconcilesInTheAudit(@TempDir Path dir)
      throws Exception {
    Path file = fixture("quotes-utf8-bom.csv");
    long inFile = records(Files.readString(file));
    assertEquals(18, inFile, "the fixture's records");
    String out = dir.resolve("out").toString();
    StringWriter err = new StringWriter();
    TestSpark.spark();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()),
        new PrintWriter(err), "audit", "--quotes", file.toString(), "--out", out, "--quiet");
    assertEquals(0, code, err.toString());
    JsonNode counts = new ObjectMapper().readTree(Path.of(out, "manifest.json").toFile())
        .at("/counts");
    assertEquals(inFile, counts.get("quotes_read").asLong(), counts.toString());
    assertEquals(8, counts.get("quotes_valid").asLong(), counts.toString());
    assertEquals(inFile, counts.get("quotes_valid").asLong()
        + counts.get("quotes_quarantined").asLong());
    assertEquals(new TreeMap<>(Map.of(
        "incomplete_quoted_at", 3L, "implausible_quoted_at", 1L, "ambiguous_quoted_at_zone", 1L,
        "unparseable_price", 3L, "non_positive_price", 1L, "missing_customer_id", 1L)),
        reasons(counts.get("quarantine_reasons")));
  }

  @Test
  void aGbkExportIsRefusedAsUtf8AndReconcilesReadAsGbk() throws Exception {
    Path file = fixture("quotes-gbk.csv");
    long inFile = records(new String(Files.readAllBytes(file), Charset.forName("GBK")));
    assertEquals(5, inFile, "the fixture's records");
    AuditConfig gbk = ConfigLoader.fromMap(Map.of("csv.encoding", "GBK"), "test");
    InputReader.Input in = new InputReader(TestSpark.spark(), gbk)
        .readQuotes(file.toString(), InputFormat.CSV);
    Validated v = new QuoteValidator(gbk).validate(in.data());
    try {
      Map<String, Long> byReason = new TreeMap<>();
      for (Row r : v.checked().groupBy("reason").count().collectAsList()) {
        byReason.put(r.isNullAt(0) ? "valid" : r.getString(0), r.getLong(1));
      }
      assertEquals(Map.of("valid", 4L, "ambiguous_quoted_at_zone", 1L), byReason);
      assertEquals(java.util.List.of("京东", "京东", "美团", "苏宁"), v.valid().select("merchant_id")
          .orderBy("merchant_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()
          .stream().sorted().toList());
    } finally {
      v.release();
    }
  }
}
