package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;
import org.loyaltypenalty.segment.AgeBands;

/**
 * The segment columns on tiny quotes: a quotes column lower-cased and trimmed, a customers
 * column joined on the customer (null for a customer not in the table), and the age band from the
 * quote's year in input.timezone; the birth year is dropped.
 */
class SegmentColumnsTest {
  private static final AuditConfig CONFIG = ConfigLoader.fromMap(Map.of(
      "segments", "member_tier,tier,age", "input.timezone", "Asia/Shanghai"), "test");

  @Test
  void eachQuoteGetsItsLevelInEverySegmentAndNoBirthYear() {
    Dataset<Row> quotes = TestSpark.strings(
        List.of("quote_id", "customer_id", "quoted_at", "member_tier"),
        List.of(
            // 2025-12-31 17:00 UTC is 2026-01-01 01:00 in Shanghai: age 2026 - 1996 = 30
            Arrays.asList("q1", "c1", "2025-12-31T17:00:00Z", " Gold "),
            Arrays.asList("q2", "c1", "2025-06-01T00:00:00Z", ""),
            Arrays.asList("q3", "c2", "2025-06-01T00:00:00Z", null),
            Arrays.asList("q4", "c3", "2025-06-01T00:00:00Z", "none")))
        .withColumn("quoted_at", col("quoted_at").cast(DataTypes.TimestampType));
    Dataset<Row> customers = TestSpark.strings(
        List.of("customer_id", "segment_tier", "birth_year"),
        List.of(Arrays.asList("c1", "diamond", "1996"), Arrays.asList("c2", null, null)))
        .withColumn("birth_year", col("birth_year").cast(DataTypes.IntegerType));

    Dataset<Row> out = new SegmentColumns(CONFIG).attach(quotes, customers);
    assertEquals(List.of("quote_id", "customer_id", "quoted_at", "member_tier",
        "segment_member_tier", "segment_tier", "segment_age"), Arrays.asList(out.columns()));
    List<Row> rows = out.orderBy("quote_id").collectAsList();
    assertEquals(4, rows.size(), "one row per quote");
    assertEquals(Arrays.asList("gold", "diamond", "30-44"), levels(rows.get(0)));
    assertEquals(Arrays.asList(null, "diamond", "18-29"), levels(rows.get(1)),
        "an empty quote value is unknown; age 2025 - 1996 = 29");
    assertEquals(Arrays.asList(null, null, null), levels(rows.get(2)),
        "no tier and no birth year: unknown");
    assertEquals(Arrays.asList("none", null, null), levels(rows.get(3)),
        "a customer missing from the customers table: unknown");
  }

  @Test
  void quoteSegmentsAloneNeedNoCustomers() {
    AuditConfig c = ConfigLoader.fromMap(Map.of("segments", "device_os"), "test");
    Dataset<Row> quotes = TestSpark.strings(List.of("customer_id", "device_os"),
        List.of(Arrays.asList("c1", "iOS")));
    Row r = new SegmentColumns(c).attach(quotes, null).first();
    assertEquals("ios", r.getAs("segment_device_os"));
    assertFalse(Arrays.asList(new SegmentColumns(AuditConfig.defaults())
        .attach(quotes, null).columns()).contains("segment_device_os"));
  }

  @Test
  void theSparkBandsAgreeWithThePlainBands() {
    AgeBands bands = new AgeBands(List.of(18, 30, 45, 60, 70));
    List<Row> ages = TestSpark.spark().range(-3, 101).toDF("id")
        .withColumn("age", col("id").cast(DataTypes.IntegerType))
        .withColumn("band", bands.label(col("age")))
        .union(TestSpark.spark().range(1).toDF("id").withColumn("age",
            lit(null).cast(DataTypes.IntegerType)).withColumn("band", bands.label(col("age"))))
        .collectAsList();
    assertEquals(105, ages.size());
    for (Row r : ages) {
      if (r.isNullAt(1)) {
        assertNull(r.getAs("band"), "a null age has no band");
      } else {
        assertEquals(bands.label(r.<Integer>getAs("age")).orElse(null), r.getAs("band"),
            "age " + r.getAs("age"));
      }
    }
  }

  private static List<String> levels(Row r) {
    List<String> out = new ArrayList<>();
    for (String c : List.of("segment_member_tier", "segment_tier", "segment_age")) {
      out.add(r.getAs(c));
    }
    return out;
  }
}
