package org.loyaltypenalty.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.UserException;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;

class InputReaderTest {
  @Test
  void columnMappingReadsAnExportAsItIs(@TempDir Path dir) throws Exception {
    String path = TestSpark.csv(dir, "retail.csv",
        "Invoice,StockCode,Quantity,InvoiceDate,Price,Customer ID,Country",
        "489434,85048,12,2009-12-01 07:45,6.95,13085,United Kingdom",
        "489435,\"22041\",48,2009-12-01 07:46,2.1,,\"Korea, Republic of\"");
    AuditConfig config = ConfigLoader.fromMap(Map.of(
        "columns.sku_id", "StockCode", "columns.customer_id", "Customer ID",
        "columns.quoted_at", "InvoiceDate", "columns.price", "Price",
        "columns.quantity", "Quantity", "columns.region", "Country", "columns.order_id", "Invoice",
        "quote_id.generate", "true", "defaults.currency", "GBP"), "test");
    InputReader.Input in = new InputReader(TestSpark.spark(), config).readQuotes(path, InputFormat.CSV);
    assertEquals(List.of("customer_id", "sku_id", "quoted_at", "price", "region", "quantity",
        "order_id", "raw"), List.of(in.data().columns()));
    Row second = in.data().orderBy("order_id").collectAsList().get(1);
    assertEquals("Korea, Republic of", second.getAs("region"), "RFC 4180 quoting");
    assertEquals(1, in.description().files().size());
    assertEquals("csv", in.description().format());
  }

  @Test
  void missingRequiredColumnFailsNamingItTheMappingAndTheFix(@TempDir Path dir) throws Exception {
    String path = TestSpark.csv(dir, "q.csv", "quote_id,customer_id,sku,quoted_at,price,currency",
        "q1,c1,s1,2026-01-01T00:00:00Z,1,GBP");
    UserException e = assertThrows(UserException.class,
        () -> new InputReader(TestSpark.spark(), AuditConfig.defaults()).readQuotes(path, InputFormat.CSV));
    assertEquals("quotes input has no column 'sku_id'; columns found: quote_id, customer_id, sku,"
        + " quoted_at, price, currency. Map it in the config with columns.sku_id = <your column name>",
        e.getMessage());
  }

  @Test
  void tabSeparatedHeaderReadWithCommasSuggestsTheTabAndTheSuggestionReadsIt(@TempDir Path dir)
      throws Exception {
    String path = TestSpark.csv(dir, "q.tsv", "quote_id\tcustomer_id\tsku_id\tquoted_at\tprice"
        + "\tcurrency", "q1\tc1\ts1\t2026-01-01T00:00:00Z\t1\tGBP");
    UserException e = assertThrows(UserException.class,
        () -> new InputReader(TestSpark.spark(), AuditConfig.defaults()).readQuotes(path, InputFormat.CSV));
    assertEquals("quotes input has no column 'quote_id'; columns found: quote_id\tcustomer_id\tsku_id"
        + "\tquoted_at\tprice\tcurrency. The header looks separated by tabs instead: set"
        + " csv.delimiter = \\\\t in the config", e.getMessage());
    java.nio.file.Path cfg = dir.resolve("tab.properties");
    java.nio.file.Files.writeString(cfg, "csv.delimiter = \\\\t\n");
    InputReader.Input in = new InputReader(TestSpark.spark(), ConfigLoader.load(cfg))
        .readQuotes(path, InputFormat.CSV);
    assertEquals(List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price", "currency", "raw"),
        List.of(in.data().columns()), "the suggested line, as written in the config file, reads tabs");
  }

  @Test
  void headerDelimiterIsTheMostFrequentSeparatorOtherThanTheConfiguredOne() {
    assertEquals(java.util.Optional.of(';'),
        InputReader.likelyDelimiter(List.of("a;b;c|d"), ","));
    assertEquals(java.util.Optional.of('|'), InputReader.likelyDelimiter(List.of("a|b|c"), ","));
    assertEquals(java.util.Optional.of(','), InputReader.likelyDelimiter(List.of("a,b"), ";"));
    assertEquals(java.util.Optional.empty(), InputReader.likelyDelimiter(List.of("a\tb"), "\\t"),
        "a tab written as backslash-t is the configured tab");
    assertEquals(java.util.Optional.empty(),
        InputReader.likelyDelimiter(List.of("quote_id", "customer"), ","));
  }

  @Test
  void mappedColumnThatIsNotThereFails(@TempDir Path dir) throws Exception {
    String path = TestSpark.csv(dir, "q.csv", "quote_id,customer_id,sku_id,quoted_at,price,currency",
        "q1,c1,s1,2026-01-01T00:00:00Z,1,GBP");
    AuditConfig config = ConfigLoader.fromMap(Map.of("columns.region", "Country"), "test");
    UserException e = assertThrows(UserException.class,
        () -> new InputReader(TestSpark.spark(), config).readQuotes(path, InputFormat.CSV));
    assertTrue(e.getMessage().startsWith("quotes input has no column 'region' (mapped from 'Country')"),
        e.getMessage());
  }

  @Test
  void missingPathFailsNamingIt(@TempDir Path dir) {
    String path = dir.resolve("nope.csv").toString();
    UserException e = assertThrows(UserException.class,
        () -> new InputReader(TestSpark.spark(), AuditConfig.defaults()).readQuotes(path, InputFormat.CSV));
    assertEquals("quotes path not found: " + path + " (check the path, or pass the right one with --quotes)",
        e.getMessage());
  }

  @Test
  void unknownFormatNamesTheChoices() {
    UserException e = assertThrows(UserException.class, () -> InputFormat.of("xlsx"));
    assertEquals("unknown input format 'xlsx'; use one of: csv, parquet, delta", e.getMessage());
  }

  @Test
  void deltaInputRecordsItsVersion(@TempDir Path dir) {
    String path = dir.resolve("quotes_delta").toString();
    TestSpark.strings(List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price", "currency"),
        List.of(List.of("q1", "c1", "s1", "2026-01-01T00:00:00Z", "1", "GBP")))
        .write().format("delta").save(path);
    TestSpark.strings(List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price", "currency"),
        List.of(List.of("q2", "c1", "s1", "2026-01-01T00:00:00Z", "1", "GBP")))
        .write().format("delta").mode("append").save(path);
    InputReader.Input in = new InputReader(TestSpark.spark(), AuditConfig.defaults())
        .readQuotes(path, InputFormat.DELTA);
    assertEquals(1L, in.description().deltaVersion().orElseThrow());
    assertEquals(2L, in.data().count());
  }
}
