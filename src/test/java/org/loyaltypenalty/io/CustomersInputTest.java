package org.loyaltypenalty.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.UserException;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;

/**
 * Data minimisation: the customers input is read for customer_id and the columns the segments
 * need only (mapped to their contract names); no other column is in the data, in the row as read
 * for the quarantine, or in the scan Spark plans; a column a segment needs and the input lacks
 * stops the read, naming the segment.
 */
class CustomersInputTest {
  private static final AuditConfig CONFIG = ConfigLoader.fromMap(Map.of("segments", "age,tier",
      "customers.columns.customer_id", "Customer ID", "customers.columns.tier", "Tier"), "test");

  @Test
  void onlyTheColumnsTheSegmentsNeedAreRead(@TempDir Path dir) throws Exception {
    String path = TestSpark.csv(dir, "customers.csv",
        "Customer ID,customer_email,birth_year,Tier,phone",
        "c1,a@mail.invalid,1980,Gold,555");
    InputReader.Input in = new InputReader(TestSpark.spark(), CONFIG)
        .readCustomers(path, InputFormat.CSV);
    assertEquals(List.of("customer_id", "tier", "birth_year", "raw"),
        List.of(in.data().columns()));
    StructType raw = (StructType) in.data().schema().apply("raw").dataType();
    assertEquals(List.of("Customer ID", "Tier", "birth_year"), List.of(raw.fieldNames()),
        "the row as read holds only the columns read");
    String plan = in.data().queryExecution().executedPlan().toString();
    assertFalse(plan.contains("customer_email") || plan.contains("phone"),
        "the scan reads no other column: " + plan);
  }

  @Test
  void aParquetInputIsPrunedTooAndAMissingBirthYearNamesTheSegment(@TempDir Path dir) {
    String path = dir.resolve("customers.parquet").toString();
    TestSpark.strings(List.of("Customer ID", "customer_email", "Tier"),
        List.of(List.of("c1", "a@mail.invalid", "gold"))).write().parquet(path);
    UserException e = assertThrows(UserException.class,
        () -> new InputReader(TestSpark.spark(), CONFIG).readCustomers(path, InputFormat.PARQUET));
    assertEquals("segment age needs the customers' birth years, and the customers input has no"
        + " column 'birth_year'; columns found: Customer ID, customer_email, Tier. Map it with"
        + " customers.columns.birth_year = <your column name>, or remove age from segments",
        e.getMessage());
    AuditConfig tier = ConfigLoader.fromMap(Map.of("segments", "tier",
        "customers.columns.customer_id", "Customer ID", "customers.columns.tier", "Tier"), "test");
    InputReader.Input in = new InputReader(TestSpark.spark(), tier)
        .readCustomers(path, InputFormat.PARQUET);
    String plan = in.data().queryExecution().executedPlan().toString();
    assertTrue(plan.contains("ReadSchema"), plan);
    assertFalse(plan.contains("customer_email"), "the scan reads no other column: " + plan);
    assertEquals(1, in.data().count());
  }

  @Test
  void aLocalCsvHeaderIsReadBeforeSparkWithQuotedNamesAndAByteOrderMark(@TempDir Path dir)
      throws Exception {
    String path = TestSpark.csv(dir, "c.csv", "\uFEFFcustomer_id;\"Tier; level\";\"a \"\"b\"\"\"");
    assertEquals(Optional.of(List.of("customer_id", "Tier; level", "a \"b\"")),
        CsvHeader.local(path, new AuditConfig.CsvOptions(";", "UTF-8")));
    assertEquals(Optional.empty(), CsvHeader.local(dir.resolve("*.csv").toString(),
        new AuditConfig.CsvOptions(";", "UTF-8")), "a glob is left to the read");
  }
}
