package org.loyaltypenalty.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loyaltypenalty.UserException;

class ConfigLoaderTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    AuditConfig c = AuditConfig.defaults();
    assertEquals(365, c.lookbackDays());
    assertEquals(1, c.repeatMin());
    assertEquals(5, c.loyalMin());
    assertEquals(Duration.ofHours(1), c.timeBucket());
    assertEquals(List.of("merchant_id", "channel", "device_os", "region", "quantity"),
        c.contextColumns());
    assertEquals(0.05, c.fdrQ());
    assertEquals(1.0, c.materialityPct());
    assertEquals("UTC", c.timezone().getId());
    assertEquals(0.05, c.maxQuarantineShare());
    assertEquals("UTF-8", c.csvEncoding());
    assertEquals("GB18030", ConfigLoader.fromMap(Map.of("csv.encoding", "gb18030"), "f")
        .csvEncoding(), "the encoding's canonical name");
  }

  /**
   * The sign-off keys are free text (a Chinese organisation name in a UTF-8 file included); a
   * config without them has exactly the effective keys, and so the config hash, it had before.
   */
  @Test
  void signOffKeysAreTextAndAbsentOnesLeaveTheEffectiveConfigAsItWas(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("signed.properties");
    java.nio.file.Files.writeString(f, "report.organisation = 北京市消费者协会\n"
        + "report.auditor = Li Wei\nreport.statement =   \n");
    AuditConfig c = ConfigLoader.load(f);
    assertEquals(java.util.Optional.of("北京市消费者协会"), c.signOff().organisation());
    assertEquals(java.util.Optional.of("Li Wei"), c.signOff().auditor());
    assertEquals(java.util.Optional.empty(), c.signOff().statement(), "blank is unset");
    assertEquals("北京市消费者协会", c.asMap().get("report.organisation"));
    assertFalse(c.asMap().containsKey("report.statement"));
    assertFalse(AuditConfig.defaults().signOff().present());
    assertTrue(AuditConfig.defaults().asMap().keySet().stream().noneMatch(k ->
        k.equals("report.organisation") || k.equals("report.auditor")
            || k.equals("report.statement")), "unset keys are not in the effective config");
  }

  @Test
  void propertiesFileMapsColumnsAndSetsValues(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("retail.properties");
    Files.writeString(f, String.join("\n",
        "# Online Retail II",
        "columns.sku_id = StockCode",
        "columns.customer_id = Customer ID",
        "purchases.columns.purchased_at = InvoiceDate",
        "context.time_bucket = 1d",
        "cohort.history_start = 2009-12-01",
        "input.timezone = Europe/London",
        "defaults.currency = gbp"));
    AuditConfig c = ConfigLoader.load(f);
    assertEquals("StockCode", c.quoteColumns().source("sku_id"));
    assertEquals("Customer ID", c.quoteColumns().source("customer_id"));
    assertEquals("price", c.quoteColumns().source("price"), "unmapped names are looked up as is");
    assertEquals("InvoiceDate", c.purchaseColumns().source("purchased_at"));
    assertEquals(Duration.ofDays(1), c.timeBucket());
    assertEquals("GBP", c.defaultCurrency().orElseThrow());
    assertEquals(Instant.parse("2009-12-01T00:00:00Z"), c.historyStart().orElseThrow(),
        "a date is midnight in the configured zone (GMT in December)");
  }

  @Test
  void unknownKeyFailsNamingTheKeyAndTheKnownOnes() {
    UserException e = assertThrows(UserException.class,
        () -> ConfigLoader.fromMap(Map.of("test.fdr", "0.1"), "audit.properties"));
    assertTrue(e.getMessage().startsWith("unknown config key 'test.fdr' in audit.properties; known keys: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("test.fdr_q"), e.getMessage());
  }

  @Test
  void unknownMappedColumnFails() {
    UserException e = assertThrows(UserException.class,
        () -> ConfigLoader.fromMap(Map.of("columns.sku", "StockCode"), "f"));
    assertTrue(e.getMessage().startsWith("unknown config key 'columns.sku'"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "test.fdr_q|1.5|config key 'test.fdr_q' has value '1.5'; expected a number strictly between 0 and 1",
      "cohort.lookback_days|-3|config key 'cohort.lookback_days' has value '-3'; expected a whole number above 0",
      "context.time_bucket|hourly|config key 'context.time_bucket' has value 'hourly'; expected a duration such as 15m, 1h or 1d",
      "input.timezone|Mars/Olympus|config key 'input.timezone' has value 'Mars/Olympus'; expected an IANA zone id such as UTC or Asia/Shanghai",
      "defaults.currency|EURO|config key 'defaults.currency' has value 'EURO'; expected a three-letter ISO 4217 code such as GBP",
      "context.columns|colour|config key 'context.columns' has value 'colour'; expected a list drawn from merchant_id,channel,device_os,region,quantity",
      "cohort.loyal_min|1|config key 'cohort.loyal_min' has value '1'; expected a number larger than cohort.repeat_min (1)",
      "quote_id.generate|yes|config key 'quote_id.generate' has value 'yes'; expected true or false",
      "quality.max_quarantine_share|1.5|config key 'quality.max_quarantine_share' has value '1.5'; expected a number from 0 to 1",
      "csv.encoding|UTF-16|config key 'csv.encoding' has value 'UTF-16'; expected an ASCII-compatible encoding such as UTF-8, GB18030, Big5, Shift_JIS or windows-1252",
      "number.decimal_separator|;|config key 'number.decimal_separator' has value ';'; expected . or ,",
      "number.thousands_separator|tab|config key 'number.thousands_separator' has value 'tab'; expected none, comma, dot, space or apostrophe",
      "number.thousands_separator|dot|config key 'number.thousands_separator' has value 'dot'; expected a separator other than the decimal separator (.)",
      "csv.encoding|klingon|config key 'csv.encoding' has value 'klingon'; expected an ASCII-compatible encoding such as UTF-8, GB18030, Big5, Shift_JIS or windows-1252"})
  void badValuesFailWithTheExactMessage(String key, String value, String message) {
    UserException e = assertThrows(UserException.class,
        () -> ConfigLoader.fromMap(Map.of(key, value), "f"));
    assertEquals(message, e.getMessage());
  }

  @Test
  void twoContractColumnsMappedToOneSourceColumnFail() {
    UserException e = assertThrows(UserException.class, () -> ConfigLoader.fromMap(
        Map.of("columns.merchant_id", "Store", "columns.channel", "Store"), "f"));
    assertEquals("config keys columns.channel and columns.merchant_id both read the quotes column"
        + " 'Store' in f; a column can hold one contract column: map one of them to another"
        + " column", e.getMessage());
  }

  @Test
  void aMappingOntoTheNameOfAnUnmappedContractColumnFails() {
    // channel is unmapped, so it is read from the column named channel: merchant_id would too
    UserException e = assertThrows(UserException.class, () -> ConfigLoader.fromMap(
        Map.of("columns.merchant_id", "channel"), "f"));
    assertEquals("config keys columns.channel and columns.merchant_id both read the quotes column"
        + " 'channel' in f (an unmapped contract column is read from the column of its own name);"
        + " a column can hold one contract column: map one of them to another column",
        e.getMessage());
    UserException p = assertThrows(UserException.class, () -> ConfigLoader.fromMap(
        Map.of("purchases.columns.order_id", "customer_id"), "f"));
    assertTrue(p.getMessage().startsWith("config keys purchases.columns.customer_id and"
        + " purchases.columns.order_id both read the purchases column 'customer_id'"),
        p.getMessage());
  }

  @Test
  void swappedMappingsAreAccepted() {
    AuditConfig c = ConfigLoader.fromMap(
        Map.of("columns.merchant_id", "channel", "columns.channel", "merchant_id"), "f");
    assertEquals("channel", c.quoteColumns().source("merchant_id"));
    assertEquals("merchant_id", c.quoteColumns().source("channel"));
  }

  @Test
  void aKeyGivenTwiceFailsNamingBothValues(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("twice.properties");
    Files.writeString(f, "test.fdr_q = 0.1\ncontext.time_bucket = 1d\ntest.fdr_q = 0.2\n");
    UserException e = assertThrows(UserException.class, () -> ConfigLoader.load(f));
    assertEquals("config key 'test.fdr_q' is given twice in " + f + " (values '0.1' and '0.2');"
        + " keep one", e.getMessage());
  }
}
