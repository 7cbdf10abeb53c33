package org.loyaltypenalty.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;

/**
 * The customers quarantine: an unparseable or implausible birth year, a customer id listed with
 * different values (on every row), a missing id; an empty value is unknown, not an error; rows
 * listed twice with the same values stay valid. Every row read is valid or quarantined.
 */
class CustomerValidatorTest {
  private static final AuditConfig CONFIG =
      ConfigLoader.fromMap(Map.of("segments", "age,tier"), "test");
  private static final List<String> COLUMNS = List.of("customer_id", "birth_year", "tier");

  private static Dataset<Row> input(List<List<String>> rows) {
    Dataset<Row> d = TestSpark.strings(COLUMNS, rows);
    Column[] all = Arrays.stream(d.columns()).map(c -> col(c)).toArray(Column[]::new);
    return d.withColumn("raw", struct(all));
  }

  private static List<String> row(String... values) {
    return Arrays.asList(values);
  }

  @Test
  void badBirthYearsAndConflictingRowsAreQuarantinedAndTheCountsReconcile() {
    Validated v = new CustomerValidator(CONFIG).validate(input(List.of(
        row("c1", "1980", "Gold"),
        row("c2", "nineteen eighty", "silver"),
        row("c3", "1899", "gold"),
        row("c4", "2027", "gold"),
        row("c5", "1970", "gold"),
        row("c5", "1971", "gold"),
        row("c6", "", " "),
        row("c7", "1990", " Gold "),
        row("c7", "1990", "gold"),
        row(" ", "1980", "gold"),
        row("c8", "2026", "none"),
        row("c9", "1900", null),
        row("c10", "1985", "gold"),
        row("c10", "", "gold"))), OptionalInt.of(2026));

    Map<String, Long> reasons = new TreeMap<>();
    for (Row r : v.quarantined().groupBy("reason").count().collectAsList()) {
      reasons.put(r.getString(0), r.getLong(1));
    }
    assertEquals(Map.of("unparseable_birth_year", 1L, "implausible_birth_year", 2L,
        "conflicting_customer_id", 4L, "missing_customer_id", 1L), reasons);
    List<Row> valid = v.valid().orderBy("customer_id").collectAsList();
    assertEquals(List.of("c1", "c6", "c7", "c7", "c8", "c9"),
        valid.stream().map(r -> r.<String>getAs("customer_id")).toList(),
        "an empty value and a row listed twice with the same values are valid");
    assertEquals(14, valid.size() + v.quarantined().count(), "read = valid + quarantined");

    Row c1 = valid.get(0);
    assertEquals(1980, c1.<Integer>getAs("birth_year"));
    assertEquals("gold", c1.<String>getAs("segment_tier"), "trimmed, lower case");
    Row c6 = valid.get(1);
    assertNull(c6.getAs("birth_year"), "an empty birth year is unknown");
    assertNull(c6.getAs("segment_tier"), "an empty attribute is unknown");
    assertEquals("1900", String.valueOf(valid.get(5).<Integer>getAs("birth_year")),
        "1900 is plausible");
    assertEquals(2026, valid.get(4).<Integer>getAs("birth_year"),
        "the last quote's year is plausible");
  }

  @Test
  void theQuarantineKeepsTheRowAsReadWithSourceCustomersButNotItsBirthYear() {
    Validated v = new CustomerValidator(CONFIG).validate(
        input(List.of(row("c2", "19x0", "Gold"))), OptionalInt.of(2026));
    Row q = v.quarantined().first();
    assertEquals("customers", q.getString(0));
    assertEquals("unparseable_birth_year", q.getString(1));
    // a birth year never reaches an output: the reason says what was wrong with it
    assertEquals("{\"customer_id\":\"c2\",\"tier\":\"Gold\"}", q.getString(2));
  }

  @Test
  void withoutTheSegmentAgeTheBirthYearIsNeitherReadNorChecked() {
    AuditConfig tierOnly = ConfigLoader.fromMap(Map.of("segments", "tier"), "test");
    Dataset<Row> in = TestSpark.strings(List.of("customer_id", "tier"),
        List.of(row("c1", "gold"), row("c2", "")));
    in = in.withColumn("raw", struct(col("customer_id"), col("tier")));
    Validated v = new CustomerValidator(tierOnly).validate(in, OptionalInt.empty());
    assertFalse(Arrays.asList(v.valid().columns()).contains("birth_year"));
    assertEquals(2, v.valid().count());
    assertTrue(v.quarantined().isEmpty());
  }
}
