package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.Columns.Pairs;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.config.AuditConfig;

/**
 * Matched pairs on a hand-built log of one flagged comparison (SKU A in GBP, loyal against new),
 * with traps: a repeat customer's quote nearer than any loyal one, a new quote of another
 * merchant, of the next time bucket and of another currency nearer than the one paired, a SKU
 * that is not flagged, and a new quote whose nearest loyal quote is nearer to another new quote.
 */
class MatchedPairsTest {
  private static final List<String> DIMENSIONS = List.of("time_bucket", "merchant_id");
  private static final StructType QUOTES = new StructType()
      .add("quote_id", DataTypes.StringType).add("customer_id", DataTypes.StringType)
      .add("sku_id", DataTypes.StringType).add("currency", DataTypes.StringType)
      .add("quoted_at", DataTypes.TimestampType).add("price", DataTypes.DoubleType)
      .add("cohort", DataTypes.StringType).add("fe_time_bucket", DataTypes.StringType)
      .add("fe_merchant_id", DataTypes.StringType);
  private static final StructType FINDINGS = new StructType()
      .add("level", DataTypes.StringType).add("flagged", DataTypes.BooleanType)
      .add("sku_id", DataTypes.StringType).add("currency", DataTypes.StringType)
      .add("segment", DataTypes.StringType).add("comparison", DataTypes.StringType)
      .add("compared", DataTypes.StringType).add("reference", DataTypes.StringType)
      .add("penalty_pct", DataTypes.DoubleType).add("q_value", DataTypes.DoubleType)
      .add("customers_reference", DataTypes.LongType)
      .add("customers_compared", DataTypes.LongType);

  private static Row quote(String id, String cohort, String sku, String currency, String time,
      double price, String bucket, String merchant) {
    return RowFactory.create(id, "customer-of-" + id, sku, currency,
        Timestamp.from(Instant.parse("2026-03-02T" + time + "Z")), price, cohort, bucket, merchant);
  }

  private static List<Row> log() {
    return List.of(
        // SKU A, GBP, bucket 10, merchant m1
        quote("n1", "new", "A", "GBP", "10:00:00", 10.0, "10", "m1"),
        quote("l1", "loyal", "A", "GBP", "10:05:00", 11.0, "10", "m1"),
        quote("n2", "new", "A", "GBP", "10:20:00", 10.0, "10", "m1"),
        quote("r1", "repeat", "A", "GBP", "10:20:30", 10.5, "10", "m1"),
        quote("l2", "loyal", "A", "GBP", "10:21:00", 11.5, "10", "m1"),
        quote("n4", "new", "A", "GBP", "10:59:59", 10.0, "10", "m1"),
        // the next bucket: 2 s after n4, not the same cell
        quote("l4", "loyal", "A", "GBP", "11:00:01", 12.0, "11", "m1"),
        // another merchant: n3 is 10 s from l2, not the same cell
        quote("n3", "new", "A", "GBP", "10:21:10", 9.0, "10", "m2"),
        quote("l3", "loyal", "A", "GBP", "10:40:10", 11.0, "10", "m2"),
        // another currency: 1 s from l1, not the same comparison
        quote("e1", "new", "A", "EUR", "10:05:01", 12.0, "10", "m1"),
        // merchant m3: four pairs 100, 200, 400 and 500 s apart
        quote("n5", "new", "A", "GBP", "10:00:00", 10.0, "10", "m3"),
        quote("l5", "loyal", "A", "GBP", "10:01:40", 11.0, "10", "m3"),
        quote("n6", "new", "A", "GBP", "10:10:00", 10.0, "10", "m3"),
        quote("l6", "loyal", "A", "GBP", "10:13:20", 11.0, "10", "m3"),
        quote("n7", "new", "A", "GBP", "10:25:00", 10.0, "10", "m3"),
        quote("l7", "loyal", "A", "GBP", "10:31:40", 11.0, "10", "m3"),
        quote("n8", "new", "A", "GBP", "10:45:00", 10.0, "10", "m3"),
        quote("l8", "loyal", "A", "GBP", "10:53:20", 11.0, "10", "m3"),
        // SKU B is not flagged
        quote("bn", "new", "B", "GBP", "10:00:00", 10.0, "10", "m1"),
        quote("bl", "loyal", "B", "GBP", "10:00:01", 13.0, "10", "m1"));
  }

  private static List<Row> pairs() {
    Dataset<Row> quotes = TestSpark.spark().createDataFrame(log(), QUOTES);
    Dataset<Row> findings = TestSpark.spark().createDataFrame(List.of(
        RowFactory.create("sku", true, "A", "GBP", "cohort", "loyal_vs_new", "loyal", "new", 10.0,
            0.001, 40L, 30L),
        RowFactory.create("sku", false, "A", "GBP", "cohort", "repeat_vs_new", "repeat", "new",
            5.0, 0.2, 40L, 20L),
        RowFactory.create("sku", false, "B", "GBP", "cohort", "loyal_vs_new", "loyal", "new",
            30.0, 0.3, 40L, 30L),
        RowFactory.create("cell", true, "A", "EUR", "cohort", "loyal_vs_new", "loyal", "new",
            20.0, null, 40L, 30L)), FINDINGS);
    return new MatchedPairs(AuditConfig.defaults(), DIMENSIONS).pairs(quotes, findings)
        .collectAsList();
  }

  @Test
  void eachPairIsTheMutuallyNearestQuotesOfTheTwoGroupsInOneCellAndTheClosestAreKept() {
    List<Row> pairs = pairs();
    List<String> found = new ArrayList<>();
    for (Row r : pairs) {
      found.add(r.getAs(Pairs.REFERENCE_QUOTE_ID) + "-" + r.getAs(Pairs.COMPARED_QUOTE_ID) + " "
          + r.<Double>getAs(Pairs.SECONDS_APART).longValue() + "s #" + r.getAs(Pairs.PAIR));
    }
    // (n8, l8) 500 s and (n3, l3) 1140 s are pairs too, but not among the closest five
    assertEquals(List.of("n2-l2 60s #1", "n5-l5 100s #2", "n6-l6 200s #3", "n1-l1 300s #4",
        "n7-l7 400s #5"), found, "the closest mutual pairs, in order; never r1, l4, n3 with l2,"
            + " e1 or SKU B");
    Row first = pairs.get(0);
    assertEquals("A", first.getAs("sku_id"));
    assertEquals("GBP", first.getAs("currency"));
    assertEquals("loyal_vs_new", first.getAs("comparison"));
    assertEquals("time_bucket=1970-01-01 10:00; merchant_id=m1", first.getAs("context"),
        "the cell the two quotes share");
    assertEquals(10.0, first.<Double>getAs(Pairs.REFERENCE_PRICE));
    assertEquals(11.5, first.<Double>getAs(Pairs.COMPARED_PRICE));
    assertEquals(15.0, first.<Double>getAs(Pairs.PRICE_GAP_PCT), 1e-12);
    assertEquals(Timestamp.from(Instant.parse("2026-03-02T10:21:00Z")),
        first.getAs(Pairs.COMPARED_QUOTED_AT));
    assertEquals(40L, first.<Long>getAs("customers_reference"), "for the report's k");
  }

  /** A brute-force check: each pair's quotes share the cell and are each other's nearest. */
  @Test
  void everyPairSharesItsCellAndNeitherQuoteHasANearerOneOfTheOtherGroupThere() {
    Map<String, Row> byId = new HashMap<>();
    log().forEach(q -> byId.put(q.getString(0), q));
    for (Row p : pairs()) {
      Row ref = byId.get(p.<String>getAs(Pairs.REFERENCE_QUOTE_ID));
      Row cmp = byId.get(p.<String>getAs(Pairs.COMPARED_QUOTE_ID));
      assertEquals("new", ref.getString(6));
      assertEquals("loyal", cmp.getString(6));
      for (int c : new int[] {2, 3, 7, 8}) {
        assertEquals(ref.get(c), cmp.get(c), "same SKU, currency, bucket and merchant: " + p);
      }
      long apart = Math.abs(ref.getTimestamp(4).getTime() - cmp.getTimestamp(4).getTime());
      for (Row q : log()) {
        boolean sameCell = q.get(2).equals(ref.get(2)) && q.get(3).equals(ref.get(3))
            && q.get(7).equals(ref.get(7)) && q.get(8).equals(ref.get(8));
        if (sameCell && q.getString(6).equals("loyal")) {
          assertTrue(Math.abs(q.getTimestamp(4).getTime() - ref.getTimestamp(4).getTime()) >= apart,
              q.getString(0) + " is not nearer to " + ref.getString(0));
        }
        if (sameCell && q.getString(6).equals("new")) {
          assertTrue(Math.abs(q.getTimestamp(4).getTime() - cmp.getTimestamp(4).getTime()) >= apart,
              q.getString(0) + " is not nearer to " + cmp.getString(0));
        }
      }
    }
  }

  @Test
  void noCustomerIdAppearsAnywhereInThePairs() {
    List<Row> pairs = pairs();
    assertFalse(pairs.isEmpty());
    assertFalse(List.of(pairs.get(0).schema().fieldNames()).contains("customer_id"));
    for (Row p : pairs) {
      for (int i = 0; i < p.size(); i++) {
        assertFalse(String.valueOf(p.get(i)).contains("customer-of-"),
            p.schema().fieldNames()[i] + " holds a customer id: " + p);
      }
    }
  }

  /**
   * Two cells whose hashes are equal (the shuffle and the sort see one group): each is paired
   * on its own, and each cell in time order whatever order its quotes arrive in. Merged, the
   * compared quote c1 would find r2 nearer than r1 and lose its pair; read in arrival order, z2
   * would pair with z1 rather than with the nearer z3.
   */
  @Test
  void twoCellsOfOneHashArePairedApartAndEachCellIsReadInTimeOrder() {
    // hash, SKU, currency, comparison, micros, quote id, price, compared side
    List<Row> rows = List.of(
        RowFactory.create(7L, "A", "GBP", "loyal_vs_new", 10L, "c1", 11.0, true),
        RowFactory.create(7L, "B", "GBP", "loyal_vs_new", 7L, "r2", 20.0, false),
        RowFactory.create(7L, "A", "GBP", "loyal_vs_new", 0L, "r1", 10.0, false),
        RowFactory.create(7L, "B", "GBP", "loyal_vs_new", 8L, "c2", 21.0, true),
        RowFactory.create(9L, "C", "GBP", "loyal_vs_new", 112L, "z3", 30.0, false),
        RowFactory.create(9L, "C", "GBP", "loyal_vs_new", 110L, "z2", 31.0, true),
        RowFactory.create(9L, "C", "GBP", "loyal_vs_new", 100L, "z1", 30.0, false));
    List<String> found = new ArrayList<>();
    new MatchedPairs.CellScan(3).call(rows.iterator()).forEachRemaining(p ->
        found.add(p.getString(0) + " " + p.getString(4) + "-" + p.getString(7) + " "
            + Math.abs(p.getLong(6) - p.getLong(3))));
    found.sort(null);
    assertEquals(List.of("A r1-c1 10", "B r2-c2 1", "C z3-z2 2"), found,
        "each SKU's quotes paired apart from the other cell of hash 7, and in time order");
  }
}
