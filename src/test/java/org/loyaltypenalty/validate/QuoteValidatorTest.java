package org.loyaltypenalty.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;
import org.loyaltypenalty.config.NumberFormats;

class QuoteValidatorTest {
  static final List<String> COLUMNS = List.of("quote_id", "customer_id", "sku_id", "quoted_at",
      "price", "currency", "quantity", "list_price", "purchased", "raw_marker");

  static List<String> row(String id, String customer, String sku, String at, String price,
      String currency, String quantity, String listPrice, String purchased) {
    return Arrays.asList(id, customer, sku, at, price, currency, quantity, listPrice, purchased, id);
  }

  static Dataset<Row> withRaw(Dataset<Row> in) {
    return in.withColumn(Derived.RAW, functions.struct(
        Arrays.stream(in.columns()).map(functions::col).toArray(org.apache.spark.sql.Column[]::new)));
  }

  /** quote_id -> reason ("" for valid). */
  static Map<String, String> reasons(Dataset<Row> checked) {
    Map<String, String> out = new HashMap<>();
    for (Row r : checked.select("raw", Derived.REASON, "quote_id").collectAsList()) {
      String key = r.isNullAt(2) ? "null-id" : r.getString(2);
      out.merge(key, r.isNullAt(1) ? "" : r.getString(1), (a, b) -> a + "|" + b);
    }
    return out;
  }

  @Test
  void everyQuarantineReasonIsAssignedAndValidRowsAreTyped() {
    String t = "2026-01-05T10:00:00Z";
    Dataset<Row> in = withRaw(TestSpark.strings(COLUMNS, List.of(
        row("ok", "c1", "s1", t, "10.50", "gbp", "2", "11.00", "yes"),
        row("no-customer", "", "s1", t, "10", "GBP", "1", null, "false"),
        row("no-sku", "c1", null, t, "10", "GBP", "1", null, "false"),
        row("no-time", "c1", "s1", null, "10", "GBP", "1", null, "false"),
        row("no-price", "c1", "s1", t, " ", "GBP", "1", null, "false"),
        row("no-currency", "c1", "s1", t, "10", null, "1", null, "false"),
        row("bad-time", "c1", "s1", "2026-13-45 25:61", "10", "GBP", "1", null, "false"),
        row("bad-price", "c1", "s1", t, "12,50", "GBP", "1", null, "false"),
        row("nan-price", "c1", "s1", t, "NaN", "GBP", "1", null, "false"),
        row("bad-currency", "c1", "s1", t, "10", "EURO", "1", null, "false"),
        row("zero-price", "c1", "s1", t, "0", "GBP", "1", null, "false"),
        row("negative-price", "c1", "s1", t, "-3.2", "GBP", "1", null, "false"),
        row("bad-quantity", "c1", "s1", t, "10", "GBP", "1.5", null, "false"),
        row("zero-quantity", "c1", "s1", t, "10", "GBP", "0", null, "false"),
        row("negative-quantity", "c1", "s1", t, "10", "GBP", "-12", null, "false"),
        row("huge-quantity", "c1", "s1", t, "10", "GBP", "9223372036854775808", null, "false"),
        row("bad-list", "c1", "s1", t, "10", "GBP", "1", "ten", "false"),
        row("bad-purchased", "c1", "s1", t, "10", "GBP", "1", null, "maybe"),
        row("default-quantity", "c1", "s1", "2026-01-05 10:00", "10", "GBP", null, null, null))));
    Validated v = new QuoteValidator(AuditConfig.defaults()).validate(in);
    Map<String, String> reasons = reasons(v.checked());
    Map<String, String> expected = new HashMap<>(Map.ofEntries(
        Map.entry("ok", ""),
        Map.entry("no-customer", "missing_customer_id"),
        Map.entry("no-sku", "missing_sku_id"),
        Map.entry("no-time", "missing_quoted_at"),
        Map.entry("no-price", "missing_price"),
        Map.entry("no-currency", "missing_currency"),
        Map.entry("bad-time", "unparseable_quoted_at"),
        Map.entry("bad-price", "unparseable_price"),
        Map.entry("nan-price", "unparseable_price"),
        Map.entry("bad-currency", "malformed_currency"),
        Map.entry("zero-price", "non_positive_price"),
        Map.entry("negative-price", "non_positive_price"),
        Map.entry("bad-quantity", "unparseable_quantity"),
        Map.entry("zero-quantity", "non_positive_quantity"),
        Map.entry("negative-quantity", "non_positive_quantity"),
        // 2^63: beyond the whole numbers a double holds exactly (a cast made it 2^63 - 1)
        Map.entry("huge-quantity", "unparseable_quantity"),
        Map.entry("bad-list", "unparseable_list_price"),
        Map.entry("bad-purchased", "unparseable_purchased"),
        Map.entry("default-quantity", "")));
    assertEquals(expected, reasons);
    assertEquals(1, v.cached().size(), "no id repeats: the checked rows are cached as they are");

    Row ok = v.valid().filter("quote_id = 'ok'").first();
    assertEquals("GBP", ok.getAs("currency"), "currency is upper-cased");
    assertEquals(10.5, ok.<Double>getAs("price"));
    assertEquals(2L, ok.<Long>getAs("quantity"));
    assertEquals(true, ok.<Boolean>getAs("purchased"));
    Row naive = v.valid().filter("quote_id = 'default-quantity'").first();
    assertEquals(1L, naive.<Long>getAs("quantity"), "a missing quantity means 1");
    assertEquals(java.time.Instant.parse(t), naive.getTimestamp(naive.fieldIndex("quoted_at")).toInstant(),
        "a naive timestamp is read in the configured zone (UTC)");

    Row bad = v.quarantined().filter("reason = 'unparseable_price'").orderBy("raw").first();
    assertEquals("quotes", bad.getString(0));
    assertEquals(true, bad.getString(2).contains("\"price\":\"12,50\""), "raw row kept: " + bad.getString(2));
  }

  /**
   * Timestamps outside the accepted formats ({@link TimestampFormats}) are quarantined with the
   * reason that names what is wrong, instead of what Spark's cast makes of them: a time alone
   * took the run's date, a year or a year and month became midnight on the first, CST became US
   * Central, and year 9999 became the report's period end.
   */
  @Test
  void timestampsOutsideTheAcceptedFormatsAreQuarantinedWithWhatIsWrong() {
    Map<String, String> cases = new java.util.TreeMap<>();
    cases.put("2026-01-05T10:00:00Z", "");
    cases.put("2026-01-05T10:00:00.123+08:00", "");
    cases.put("2026-01-05 10:00:00+0800", "");
    cases.put("2026-01-05 10:00:00 +08:00", "");
    cases.put("2026-01-05 10:00:00 UTC", "");
    cases.put("2026-01-05 10:00:00 Asia/Shanghai", "");
    cases.put("2026-1-5 9:05", "");
    cases.put("2026-01-05", "");
    cases.put("10:00:00", "incomplete_quoted_at");
    cases.put("T10:00", "incomplete_quoted_at");
    cases.put("2026", "incomplete_quoted_at");
    cases.put("2026-01", "incomplete_quoted_at");
    cases.put("2026-01-05 10:00:00 CST", "ambiguous_quoted_at_zone");
    cases.put("2026-01-05T10:00:00IST", "ambiguous_quoted_at_zone");
    cases.put("9999-12-31T23:59:59Z", "implausible_quoted_at");
    cases.put("1970-01-01T00:00:00Z", "implausible_quoted_at");
    cases.put("2100-01-01", "implausible_quoted_at");
    cases.put("+2026-01-05", "unparseable_quoted_at");
    cases.put("2026/01/05 10:00", "unparseable_quoted_at");
    cases.put("2026-01-05T10", "unparseable_quoted_at");
    List<List<String>> rows = new java.util.ArrayList<>();
    for (String at : cases.keySet()) {
      rows.add(row(at, "c1", "s1", at, "10", "GBP", "1", null, null));
    }
    Validated v = new QuoteValidator(AuditConfig.defaults()).validate(withRaw(
        TestSpark.strings(COLUMNS, rows)));
    assertEquals(cases, new java.util.TreeMap<>(reasons(v.checked())));
    Row shanghai = v.valid().filter("quote_id = '2026-01-05 10:00:00 Asia/Shanghai'").first();
    assertEquals(java.time.Instant.parse("2026-01-05T02:00:00Z"),
        shanghai.getTimestamp(shanghai.fieldIndex("quoted_at")).toInstant());
  }

  /**
   * A price is a plain decimal number ({@link NumberFormats}): Java's parser behind Spark's cast
   * also takes a type suffix (50d, 50f) and hexadecimal floating point (0x1p3).
   */
  @Test
  void numbersWithATypeSuffixOrInHexAreUnparseable() {
    Map<String, String> cases = new java.util.TreeMap<>(Map.of(
        "50", "", "50.25", "", "+50.", "", ".5", "", "1.5e2", "",
        "50d", "unparseable_price", "50f", "unparseable_price", "0x1p3", "unparseable_price",
        "Infinity", "unparseable_price", "1_000", "unparseable_price"));
    List<List<String>> rows = new java.util.ArrayList<>();
    for (String price : cases.keySet()) {
      rows.add(row(price, "c1", "s1", "2026-01-05T10:00:00Z", price, "GBP", "1", null, null));
    }
    rows.add(row("quantity-2d", "c1", "s1", "2026-01-05T10:00:00Z", "5", "GBP", "2d", null, null));
    rows.add(row("list-9f", "c1", "s1", "2026-01-05T10:00:00Z", "5", "GBP", "2", "9f", null));
    Map<String, String> expected = new java.util.TreeMap<>(cases);
    expected.put("quantity-2d", "unparseable_quantity");
    expected.put("list-9f", "unparseable_list_price");
    assertEquals(expected, new java.util.TreeMap<>(reasons(new QuoteValidator(
        AuditConfig.defaults()).validate(withRaw(TestSpark.strings(COLUMNS, rows))).checked())));
  }

  /** Decimal commas and thousands separators are read when the config names them. */
  @Test
  void decimalCommasAndThousandsSeparatorsAreReadWhenConfigured() {
    Map<String, Double> cases = new java.util.TreeMap<>(Map.of(
        "12,50", 12.5, "1.250,00", 1250.0, "1250,5", 1250.5, ",5", 0.5, "7", 7.0));
    List<List<String>> rows = new java.util.ArrayList<>();
    for (String price : cases.keySet()) {
      rows.add(row(price, "c1", "s1", "2026-01-05T10:00:00Z", price, "GBP", "1", null, null));
    }
    rows.add(row("12.50", "c1", "s1", "2026-01-05T10:00:00Z", "12.50", "GBP", "1", null, null));
    rows.add(row("1.25.0", "c1", "s1", "2026-01-05T10:00:00Z", "1.25.0", "GBP", "1", null, null));
    AuditConfig config = ConfigLoader.fromMap(Map.of("number.decimal_separator", ",",
        "number.thousands_separator", "dot"), "test");
    Validated v = new QuoteValidator(config).validate(withRaw(TestSpark.strings(COLUMNS, rows)));
    Map<String, Double> read = new java.util.TreeMap<>();
    for (Row r : v.valid().select("quote_id", "price").collectAsList()) {
      read.put(r.getString(0), r.getDouble(1));
    }
    assertEquals(cases, read);
    Map<String, String> reasons = reasons(v.checked());
    assertEquals("unparseable_price", reasons.get("12.50"), "12.50 is no number with a decimal comma"
        + " and dots grouping thousands");
    assertEquals("unparseable_price", reasons.get("1.25.0"));
  }

  @Test
  void duplicateQuoteIdKeepsTheEarliestRowAndQuarantinesTheRest() {
    Dataset<Row> in = withRaw(TestSpark.strings(COLUMNS, List.of(
        row("q1", "c1", "s1", "2026-01-05T10:05:00Z", "10", "GBP", "1", null, null),
        row("q1", "c2", "s1", "2026-01-05T10:00:00Z", "11", "GBP", "1", null, null),
        row("q1", "c3", "s1", "2026-01-05T10:09:00Z", "12", "GBP", "1", null, null),
        row("q2", "c1", "s1", "2026-01-05T10:00:00Z", "bad", "GBP", "1", null, null),
        row("q2", "c1", "s1", "2026-01-05T10:00:00Z", "10", "GBP", "1", null, null))));
    Validated v = new QuoteValidator(AuditConfig.defaults()).validate(in);
    List<Row> valid = v.valid().orderBy("quote_id").collectAsList();
    assertEquals(2, valid.size());
    assertEquals("c2", valid.get(0).getAs("customer_id"), "the earliest of the duplicates is kept");
    assertEquals(10.0, valid.get(1).<Double>getAs("price"), "a bad row does not displace a good one");
    assertEquals(2L, v.quarantined().filter("reason = 'duplicate_quote_id'").count());
    assertEquals(5L, v.valid().count() + v.quarantined().count(), "read = valid + quarantined");
  }

  /** Each row as "id/customer/channel/reason", sorted (a multiset of the outcome). */
  static List<String> outcome(Validated v) {
    return v.checked().select("quote_id", "customer_id", "channel", Derived.REASON)
        .collectAsList().stream()
        .map(r -> r.getString(0) + "/" + r.getString(1) + "/" + r.getString(2) + "/"
            + (r.isNullAt(3) ? "" : r.getString(3)))
        .sorted().toList();
  }

  @Test
  void broadcastRankingOfRepeatedIdsKeepsTheSameRowsAsTheWindowOverAllRows() {
    List<String> cols = List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price",
        "currency", "channel");
    String t = "2026-01-05T10:00:00Z";
    Dataset<Row> in = withRaw(TestSpark.strings(cols, List.of(
        Arrays.asList("q1", "c1", "s1", "2026-01-05T10:05:00Z", "10", "GBP", "web"),
        Arrays.asList("q1", "c2", "s1", t, "11", "GBP", "web"),
        Arrays.asList("q1", "c3", "s1", t, "12", "GBP", "web"),
        Arrays.asList("q2", "c1", "s1", t, "bad", "GBP", "web"),
        Arrays.asList("q2", "c1", "s1", t, "10", "GBP", "web"),
        Arrays.asList("q3", "c1", "s1", t, "10", "GBP", "app"),
        Arrays.asList("q3", "c1", "s1", t, "10", "GBP", "web"),
        Arrays.asList("q4", "c1", "s1", t, "10", "GBP", "web"),
        Arrays.asList("q4", "c1", "s1", t, "10", "GBP", "web"),
        Arrays.asList(null, "c1", "s1", t, "10", "GBP", "web"),
        Arrays.asList(null, "c1", "s1", t, "10", "GBP", "web"),
        Arrays.asList("q5", "c1", "s1", t, "10", "GBP", "web"))));
    Validated broadcast = new QuoteValidator(AuditConfig.defaults()).validate(in);
    Validated window = new QuoteValidator(AuditConfig.defaults(), 0).validate(in);
    List<String> expected = List.of(
        "null/c1/web/missing_quote_id", "null/c1/web/missing_quote_id",
        "q1/c1/web/duplicate_quote_id", "q1/c2/web/", "q1/c3/web/duplicate_quote_id",
        "q2/c1/web/", "q2/c1/web/unparseable_price",
        "q3/c1/app/", "q3/c1/web/duplicate_quote_id",
        "q4/c1/web/", "q4/c1/web/duplicate_quote_id",
        "q5/c1/web/");
    assertEquals(expected, outcome(broadcast), "broadcast path");
    assertEquals(expected, outcome(window), "window path");
    assertEquals(3, broadcast.cached().size(),
        "the broadcast path cached the marked rows, the repeated hashes and the duplicates");
    assertEquals(1, window.cached().size());
    String dupRaw = broadcast.checked()
        .filter("quote_id = 'q3' and reason = 'duplicate_quote_id'").first().getAs(Derived.RAW);
    assertEquals(true, dupRaw.contains("\"channel\":\"web\""), "a duplicate keeps the row as read");
    broadcast.release();
    window.release();
  }

  @Test
  void aDuplicateOfAQuoteOutsideTheScopeIsStillADuplicate() {
    List<String> cols = List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price",
        "currency", "channel");
    Dataset<Row> in = withRaw(TestSpark.strings(cols, List.of(
        Arrays.asList("q1", "c1", "s1", "2026-01-04T23:00:00Z", "10", "GBP", "web"),
        Arrays.asList("q1", "c1", "s1", "2026-01-05T10:00:00Z", "10", "GBP", "web"),
        Arrays.asList("q2", "c1", "s1", "2026-01-04T10:00:00Z", "10", "GBP", "web"),
        Arrays.asList("q3", "c1", "s1", "2026-01-05T11:00:00Z", "10", "GBP", "web"))));
    org.apache.spark.sql.Column today = functions.col("quoted_at")
        .geq(functions.lit(java.sql.Timestamp.from(java.time.Instant.parse("2026-01-05T00:00:00Z"))));
    for (long limit : new long[] {QuoteValidator.BROADCAST_LIMIT, 0}) {
      Validated v = new QuoteValidator(AuditConfig.defaults(), limit)
          .validate(in, today, org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
      assertEquals(List.of("q1/c1/web/duplicate_quote_id", "q3/c1/web/"), outcome(v),
          "limit " + limit);
      v.release();
    }
  }

  @Test
  void settlingOverACachedDerivedFormGivesTheSameOutcomeAsValidateOnEveryPath() {
    List<String> cols = List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price",
        "currency", "channel");
    String t = "2026-01-05T10:00:00Z";
    List<List<String>> repeats = List.of(
        Arrays.asList("q1", "c1", "s1", "2026-01-04T23:00:00Z", "10", "GBP", "web"),
        Arrays.asList("q1", "c2", "s1", "2026-01-05T10:00:00Z", "10", "GBP", "web"),
        Arrays.asList("q2", "c1", "s1", "2026-01-05T10:05:00Z", "10", "GBP", "web"),
        Arrays.asList("q2", "c2", "s1", t, "11", "GBP", "app"),
        Arrays.asList("q3", "c1", "s1", t, "bad", "GBP", "web"),
        Arrays.asList("q3", "c1", "s1", t, "10", "GBP", "web"),
        Arrays.asList("q4", "c1", "s1", "2026-01-04T10:00:00Z", "10", "GBP", "web"),
        Arrays.asList("q5", "c3", "s2", t, "10", "GBP", "web"));
    org.apache.spark.sql.Column today = functions.col("quoted_at")
        .geq(functions.lit(java.sql.Timestamp.from(java.time.Instant.parse("2026-01-05T00:00:00Z"))));
    for (List<List<String>> rows : List.of(repeats, repeats.subList(6, 8))) {
      Dataset<Row> in = withRaw(TestSpark.strings(cols, rows));
      for (long limit : new long[] {QuoteValidator.BROADCAST_LIMIT, 0}) {
        QuoteValidator validator = new QuoteValidator(AuditConfig.defaults(), limit);
        Validated eager = validator.validate(in, today,
            org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
        QuoteValidator.Pending pending = validator.check(in, today);
        Dataset<Row> derived = pending.rows()
            .withColumn("customer_upper", functions.upper(functions.col("customer_id")))
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
        Validated lazy = pending.settle(derived, org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
        String path = rows.size() + " rows, limit " + limit;
        assertEquals(outcome(eager), outcome(lazy), path);
        assertEquals(rows.size() == 2 ? List.of("q5/c3/web/")
            : List.of("q1/c2/web/duplicate_quote_id", "q2/c1/web/duplicate_quote_id",
                "q2/c2/app/", "q3/c1/web/", "q3/c1/web/unparseable_price", "q5/c3/web/"),
            outcome(lazy), path);
        assertEquals(List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price", "currency",
            "quantity", "channel", "reason", "raw", "customer_upper"),
            Arrays.asList(lazy.checked().columns()),
            "the derived columns stay, the bookkeeping ones go: " + path);
        assertEquals(List.of("C3"), lazy.valid().filter("quote_id = 'q5'")
            .select("customer_upper").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        eager.release();
        lazy.release();
        derived.unpersist();
      }
    }
  }

  @Test
  void generatedQuoteIdsMakeExactDuplicateLinesDuplicates() {
    AuditConfig config = ConfigLoader.fromMap(Map.of("quote_id.generate", "true"), "test");
    List<String> cols = List.of("customer_id", "sku_id", "quoted_at", "price", "currency");
    Dataset<Row> in = withRaw(TestSpark.strings(cols, List.of(
        List.of("c1", "s1", "2026-01-05T10:00:00Z", "10", "GBP"),
        List.of("c1", "s1", "2026-01-05T10:00:00Z", "10", "GBP"),
        List.of("c1", "s2", "2026-01-05T10:00:00Z", "10", "GBP"))));
    Validated v = new QuoteValidator(config).validate(in);
    assertEquals(2L, v.valid().count());
    assertEquals(1L, v.quarantined().filter("reason = 'duplicate_quote_id'").count());
  }

  @Test
  void excludedSkusAndTheDefaultCurrencyComeFromTheConfig() {
    AuditConfig config = ConfigLoader.fromMap(
        Map.of("defaults.currency", "gbp", "exclude.sku_ids", "POST, M"), "test");
    List<String> cols = List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price");
    Dataset<Row> in = withRaw(TestSpark.strings(cols, List.of(
        List.of("a", "c1", "POST", "2026-01-05T10:00:00Z", "18"),
        List.of("b", "c1", "22041", "2026-01-05T10:00:00Z", "2.1"))));
    Validated v = new QuoteValidator(config).validate(in);
    Row valid = v.valid().first();
    assertEquals("b", valid.getAs("quote_id"));
    assertEquals("GBP", valid.getAs("currency"));
    assertEquals("excluded_sku", v.quarantined().first().getString(1));
  }

  @Test
  void purchasesWithoutCustomerOrTimeAreQuarantined() {
    Dataset<Row> in = withRaw(TestSpark.strings(List.of("customer_id", "purchased_at", "order_id"),
        List.of(Arrays.asList("c1", "2025-06-01T00:00:00Z", "o1"),
            Arrays.asList(null, "2025-06-01T00:00:00Z", "o2"),
            Arrays.asList("c1", "", "o3"),
            Arrays.asList("c1", "yesterday", "o4"))));
    Validated v = new PurchaseValidator().validate(in);
    Map<String, String> reasons = new HashMap<>();
    for (Row r : v.checked().select("order_id", Derived.REASON).collectAsList()) {
      reasons.put(r.getString(0), r.getString(1));
    }
    assertNull(reasons.get("o1"));
    assertEquals("missing_customer_id", reasons.get("o2"));
    assertEquals("missing_purchased_at", reasons.get("o3"));
    assertEquals("unparseable_purchased_at", reasons.get("o4"));
  }

  @Test
  void typedParquetColumnsAreValidatedLikeText(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String path = dir.resolve("q.parquet").toString();
    TestSpark.spark().sql("select 'q1' as quote_id, 'c1' as customer_id, 's1' as sku_id, "
        + "timestamp'2026-01-05 10:00:00' as quoted_at, cast(9.99 as decimal(10,2)) as price, "
        + "'EUR' as currency, 3 as quantity, true as purchased union all "
        + "select 'q2', 'c1', 's1', timestamp'2026-01-05 10:00:00', cast(-1 as decimal(10,2)), 'EUR', 0, false")
        .write().parquet(path);
    Dataset<Row> in = withRaw(TestSpark.spark().read().parquet(path));
    Validated v = new QuoteValidator(AuditConfig.defaults()).validate(in);
    Row ok = v.valid().first();
    assertEquals(9.99, ok.<Double>getAs("price"), 1e-12);
    assertEquals(3L, ok.<Long>getAs("quantity"));
    assertEquals(true, ok.<Boolean>getAs("purchased"));
    assertEquals("non_positive_price", v.quarantined().first().getString(1));
  }

  /**
   * Each check reads a parsed value several times (null? finite? positive? whole?); Spark copies
   * an expression into every place that uses it unless it is kept in a projection of its own.
   * Pins that the optimised plan of the quote check parses each numeric text once (price,
   * list_price, quantity), the time once, and trims each text column once: written as nested
   * expressions the plan held 92 try_casts (price 15, list_price 15, quantity 60, quoted_at 2).
   * The plan is printed with no limit on fields, so that no projection is cut short.
   */
  @Test
  void eachValueIsParsedOncePerRowHoweverManyChecksReadIt() {
    // text columns over a range, which the optimiser cannot fold away as it would local rows
    Dataset<Row> in = withRaw(TestSpark.spark().range(3).select(COLUMNS.stream()
        .map(c -> functions.col("id").cast("string").as(c)).toArray(org.apache.spark.sql.Column[]::new)));
    String plan = new QuoteValidator(AuditConfig.defaults()).check(in, functions.lit(true))
        .rows().queryExecution().optimizedPlan().treeString(false, false, Integer.MAX_VALUE, false, false);
    // price, list_price, quantity to double and quoted_at to a timestamp: four parses
    assertEquals(4, occurrences(plan, "try_cast("), "parses in:\n" + plan);
    assertEquals(1, occurrences(plan, " as timestamp)"), "parses to timestamp in:\n" + plan);
    // the nine quote columns of the input (not raw_marker, which is no quote column)
    assertEquals(COLUMNS.size() - 1, occurrences(plan, "trim("), "trims in:\n" + plan);
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  /**
   * The optional fee and coupon columns: an empty value is none (0), a number is typed, and a
   * value that is not a finite number or is negative quarantines the row with its own reason;
   * without the columns nothing about them is added.
   */
  @Test
  void feeAndCouponAreTypedEmptyIsNoneAndBadValuesAreQuarantined() {
    String t = "2026-01-05T10:00:00Z";
    List<String> columns = List.of("quote_id", "customer_id", "sku_id", "quoted_at", "price",
        "currency", "fee", "coupon");
    Dataset<Row> in = withRaw(TestSpark.strings(columns, List.of(
        Arrays.asList("ok", "c1", "s1", t, "10", "CNY", "6", "1.5"),
        Arrays.asList("empty", "c1", "s1", t, "10", "CNY", "", null),
        Arrays.asList("bad-fee", "c1", "s1", t, "10", "CNY", "six", "0"),
        Arrays.asList("negative-fee", "c1", "s1", t, "10", "CNY", "-2", "0"),
        Arrays.asList("bad-coupon", "c1", "s1", t, "10", "CNY", "0", "NaN"),
        Arrays.asList("negative-coupon", "c1", "s1", t, "10", "CNY", "0", "-1"))));
    Validated v = new QuoteValidator(AuditConfig.defaults()).validate(in);
    assertEquals(Map.of("ok", "", "empty", "", "bad-fee", "unparseable_fee",
        "negative-fee", "negative_fee", "bad-coupon", "unparseable_coupon",
        "negative-coupon", "negative_coupon"), reasons(v.checked()));
    Row ok = v.valid().filter("quote_id = 'ok'").first();
    assertEquals(6.0, ok.<Double>getAs("fee"));
    assertEquals(1.5, ok.<Double>getAs("coupon"));
    Row empty = v.valid().filter("quote_id = 'empty'").first();
    assertEquals(0.0, empty.<Double>getAs("fee"), "an empty fee is none");
    assertEquals(0.0, empty.<Double>getAs("coupon"), "an empty coupon is none");

    Dataset<Row> without = withRaw(TestSpark.strings(COLUMNS, List.of(
        row("ok", "c1", "s1", t, "10.50", "gbp", "2", "11.00", "yes"))));
    List<String> typed = List.of(new QuoteValidator(AuditConfig.defaults()).validate(without)
        .valid().columns());
    assertEquals(false, typed.contains("fee") || typed.contains("coupon"), typed.toString());
  }
}
