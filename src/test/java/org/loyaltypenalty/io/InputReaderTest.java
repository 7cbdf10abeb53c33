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
        "order_id", "raw", "__row_digest"), List.of(in.data().columns()),
        "without an id column, the digest of the whole row the id is derived from");
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

  private static final String HEADER = "quote_id,customer_id,sku_id,quoted_at,price,currency,merchant_id";

  /**
   * A GBK export read as UTF-8 turned 京东, 苏宁, 美团 and 国美 into U+FFFD and merged the
   * merchants: it stops the run naming the encoding to try; read with that encoding, every
   * merchant name is intact.
   */
  @Test
  void aFileNotValidInTheConfiguredEncodingFailsNamingTheEncodingToTry(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("gbk.csv");
    java.nio.file.Files.write(file, String.join("\n", HEADER,
        "q1,c1,s1,2026-01-05T10:00:00Z,10,CNY,京东",
        "q2,c1,s1,2026-01-05T10:00:00Z,10,CNY,苏宁",
        "q3,c1,s1,2026-01-05T10:00:00Z,10,CNY,美团",
        "q4,c1,s1,2026-01-05T10:00:00Z,10,CNY,国美", "").getBytes(java.nio.charset.Charset.forName("GBK")));
    UserException e = assertThrows(UserException.class, () -> new InputReader(TestSpark.spark(),
        AuditConfig.defaults()).readQuotes(file.toString(), InputFormat.CSV));
    assertEquals("quotes file file:" + file + " is not valid UTF-8 (4 line(s), the first at byte"
        + " 65); set csv.encoding to the file's encoding, e.g. csv.encoding = GB18030, in which"
        + " that line is valid", e.getMessage());
    AuditConfig gbk = ConfigLoader.fromMap(Map.of("csv.encoding", "GB18030"), "test");
    List<String> merchants = new InputReader(TestSpark.spark(), gbk)
        .readQuotes(file.toString(), InputFormat.CSV).data().orderBy("quote_id")
        .select("merchant_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("京东", "苏宁", "美团", "国美"), merchants);
  }

  /**
   * RFC 4180: a quoted field may hold line breaks. Read line by line, such a record became two
   * rows, one with columns missing and one of shifted values; it is one record.
   */
  @Test
  void aQuotedFieldWithLineBreaksIsOneRecord(@TempDir Path dir) throws Exception {
    String path = TestSpark.csv(dir, "q.csv", HEADER,
        "q1,c1,s1,2026-01-05T10:00:00Z,10,GBP,\"Shop\r\nnumber \"\"one\"\"\"",
        "q2,c1,s1,2026-01-05T10:00:00Z,11,GBP,\"two\nlines\nhere\"",
        "q3,c1,s1,2026-01-05T10:00:00Z,12,GBP,plain");
    List<Row> rows = new InputReader(TestSpark.spark(), AuditConfig.defaults())
        .readQuotes(path, InputFormat.CSV).data().orderBy("quote_id").collectAsList();
    assertEquals(3, rows.size(), rows.toString());
    assertEquals("Shop\nnumber \"one\"", rows.get(0).<String>getAs("merchant_id").replace("\r", ""),
        "the line break is kept (CRLF may be written as LF), the doubled quotes read as one");
    assertEquals("two\nlines\nhere", rows.get(1).getAs("merchant_id"));
    assertEquals("12", rows.get(2).getAs("price"));
  }

  /** Excel writes UTF-8 with a byte order mark: the first column keeps its name. */
  @Test
  void aByteOrderMarkIsNotPartOfTheFirstColumnName(@TempDir Path dir) throws Exception {
    String path = TestSpark.csv(dir, "q.csv", "\uFEFF" + HEADER,
        "q1,c1,s1,2026-01-05T10:00:00Z,10,GBP,m1");
    InputReader.Input in = new InputReader(TestSpark.spark(), AuditConfig.defaults())
        .readQuotes(path, InputFormat.CSV);
    assertEquals("q1", in.data().first().getAs("quote_id"));
  }

  /**
   * A semicolon export read with the default delimiter has one column: the error names the
   * delimiter to set, not a column mapping; and each input has its own CSV options.
   */
  @Test
  void aWrongDelimiterIsNamedAndEachInputHasItsOwnCsvOptions(@TempDir Path dir) throws Exception {
    String quotes = TestSpark.csv(dir, "q.csv", HEADER.replace(',', ';'),
        "q1;c1;s1;2026-01-05T10:00:00Z;10;GBP;m1");
    String purchases = TestSpark.csv(dir, "p.csv", "customer_id,purchased_at",
        "c1,2026-01-01T10:00:00Z");
    UserException e = assertThrows(UserException.class, () -> new InputReader(TestSpark.spark(),
        AuditConfig.defaults()).readQuotes(quotes, InputFormat.CSV));
    assertEquals("quotes input has no column 'quote_id'; columns found: "
        + HEADER.replace(',', ';') + ". The header looks separated by ';' instead: set"
        + " csv.delimiter = ; in the config", e.getMessage());
    AuditConfig config = ConfigLoader.fromMap(Map.of("csv.delimiter", ";"), "test");
    UserException p = assertThrows(UserException.class, () -> new InputReader(TestSpark.spark(),
        config).readPurchases(purchases, InputFormat.CSV));
    assertTrue(p.getMessage().endsWith("looks separated by ',' instead: set"
        + " purchases.csv.delimiter = , in the config"), p.getMessage());
    AuditConfig both = ConfigLoader.fromMap(
        Map.of("csv.delimiter", ";", "purchases.csv.delimiter", ","), "test");
    InputReader reader = new InputReader(TestSpark.spark(), both);
    assertEquals("m1", reader.readQuotes(quotes, InputFormat.CSV).data().first()
        .getAs("merchant_id"));
    assertEquals("c1", reader.readPurchases(purchases, InputFormat.CSV).data().first()
        .getAs("customer_id"));
  }

  @Test
  void aMissingPurchasesColumnAdvisesTheKeyTheLoaderKnows(@TempDir Path dir) throws Exception {
    String purchases = TestSpark.csv(dir, "p.csv", "customer,purchased_at", "c1,2026-01-01");
    UserException e = assertThrows(UserException.class, () -> new InputReader(TestSpark.spark(),
        AuditConfig.defaults()).readPurchases(purchases, InputFormat.CSV));
    assertTrue(e.getMessage().endsWith("Map it in the config with purchases.columns.customer_id ="
        + " <your column name>"), e.getMessage());
    ConfigLoader.fromMap(Map.of("purchases.columns.customer_id", "customer"), "the advice");
  }

  /**
   * Every file a directory input reads is listed with its SHA-256, and each equals what
   * {@code sha256sum} (GNU coreutils) prints for the same file; the marker and hidden files Spark
   * does not read are not listed.
   */
  @Test
  void everyFileOfADirectoryInputCarriesTheSha256ThatSha256sumPrints(@TempDir Path dir)
      throws Exception {
    Path quotes = java.nio.file.Files.createDirectories(dir.resolve("quotes"));
    TestSpark.csv(quotes, "part-1.csv", HEADER, "q1,c1,s1,2026-01-05T10:00:00Z,10,GBP,m1");
    TestSpark.csv(quotes, "part-2.csv", HEADER, "q2,c2,s1,2026-01-05T11:00:00Z,11,GBP,m1",
        "q3,c3,s1,2026-01-05T12:00:00Z,12,GBP,京东");
    TestSpark.csv(quotes, "_SUCCESS");
    TestSpark.csv(quotes, ".part-1.csv.crc", "not data");
    InputReader.Input in = new InputReader(TestSpark.spark(), AuditConfig.defaults())
        .readQuotes(quotes.toString(), InputFormat.CSV);
    Map<String, String> hashes = new java.util.TreeMap<>();
    in.description().files().forEach(f -> hashes.put(localPath(f.path()), f.sha256()));
    assertEquals(java.util.Set.of(quotes.resolve("part-1.csv").toString(),
        quotes.resolve("part-2.csv").toString()), hashes.keySet(), "the files Spark reads");
    for (Map.Entry<String, String> e : hashes.entrySet()) {
      assertEquals(sha256sum(e.getKey()), e.getValue(), e.getKey());
    }
  }

  /**
   * A Delta input records the version read and its data files (those of that version only, not a
   * file an earlier version removed), each with the SHA-256 {@code sha256sum} prints.
   */
  @Test
  void aDeltaInputRecordsTheDataFilesOfTheVersionReadWithTheirSha256(@TempDir Path dir)
      throws Exception {
    String path = dir.resolve("quotes_delta").toString();
    List<String> columns = List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price", "currency");
    TestSpark.strings(columns, List.of(List.of("q1", "c1", "s1", "2026-01-01T00:00:00Z", "1", "GBP")))
        .coalesce(1).write().format("delta").save(path);
    TestSpark.strings(columns, List.of(List.of("q2", "c1", "s1", "2026-01-01T00:00:00Z", "2", "GBP")))
        .coalesce(1).write().format("delta").mode("overwrite").save(path);
    TestSpark.strings(columns, List.of(List.of("q3", "c2", "s1", "2026-01-02T00:00:00Z", "3", "GBP")))
        .coalesce(1).write().format("delta").mode("append").save(path);
    InputReader.Input in = new InputReader(TestSpark.spark(), AuditConfig.defaults())
        .readQuotes(path, InputFormat.DELTA);
    assertEquals(2L, in.description().deltaVersion().orElseThrow());
    List<String> read = java.util.Arrays.stream(in.data().inputFiles()).map(InputReaderTest::localPath)
        .sorted().toList();
    assertEquals(read, in.description().files().stream().map(f -> localPath(f.path())).toList(),
        "the two data files of version 2, not the one the overwrite removed");
    for (InputDescription.FileEntry f : in.description().files()) {
      assertEquals(sha256sum(localPath(f.path())), f.sha256(), f.path());
      assertEquals(java.nio.file.Files.size(Path.of(localPath(f.path()))), f.bytes(), f.path());
    }
  }

  /**
   * A checksum recorded by an earlier run is reused for a file of the same path, length and
   * modification time (here a record altered on purpose shows that the file was not read
   * again), and a changed file is hashed again: its new SHA-256 is what {@code sha256sum}
   * prints, and the record is rewritten with it.
   */
  @Test
  void aRecordedChecksumIsReusedForAnUnchangedFileAndAChangedFileIsHashedAgain(@TempDir Path dir)
      throws Exception {
    Path quotes = java.nio.file.Files.createDirectories(dir.resolve("quotes"));
    TestSpark.csv(quotes, "part-1.csv", HEADER, "q1,c1,s1,2026-01-05T10:00:00Z,10,GBP,m1");
    TestSpark.csv(quotes, "part-2.csv", HEADER, "q2,c2,s1,2026-01-05T11:00:00Z,11,GBP,m1");
    OutputWriter state = new OutputWriter(TestSpark.spark(), dir.resolve("history").toString());
    new InputReader(TestSpark.spark(), AuditConfig.defaults(), RecordedChecksums.in(state))
        .readQuotes(quotes.toString(), InputFormat.CSV);
    String record = state.readText(RunLayout.INPUT_CHECKSUMS).orElseThrow();
    String part1 = sha256sum(quotes.resolve("part-1.csv").toString());
    assertTrue(record.contains(part1), record);

    String planted = "0".repeat(64);
    state.writeText(RunLayout.INPUT_CHECKSUMS, record.replace(part1, planted));
    Path part2 = quotes.resolve("part-2.csv");
    java.nio.file.attribute.FileTime before = java.nio.file.Files.getLastModifiedTime(part2);
    java.nio.file.Files.writeString(part2, "q3,c3,s1,2026-01-05T12:00:00Z,12,GBP,m1\n",
        java.nio.file.StandardOpenOption.APPEND);
    java.nio.file.Files.setLastModifiedTime(part2, before);
    Map<String, String> hashes = new java.util.TreeMap<>();
    new InputReader(TestSpark.spark(), AuditConfig.defaults(), RecordedChecksums.in(state))
        .readQuotes(quotes.toString(), InputFormat.CSV).description().files()
        .forEach(f -> hashes.put(localPath(f.path()), f.sha256()));
    assertEquals(planted, hashes.get(quotes.resolve("part-1.csv").toString()),
        "an unchanged file's recorded checksum is reused, not computed again");
    assertEquals(sha256sum(part2.toString()), hashes.get(part2.toString()),
        "a file of another length is hashed again, though its modification time is the same");
    assertTrue(state.readText(RunLayout.INPUT_CHECKSUMS).orElseThrow()
        .contains(sha256sum(part2.toString())), "the record takes the new checksum");
  }

  private static String localPath(String uri) {
    return new org.apache.hadoop.fs.Path(uri).toUri().getPath();
  }

  /** What GNU coreutils' {@code sha256sum FILE} prints: the hex digest, then the file name. */
  private static String sha256sum(String file) throws Exception {
    Process p = new ProcessBuilder("sha256sum", file).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.substring(0, out.indexOf(' '));
  }
}
