package org.loyaltypenalty.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;

class CohortAssignerTest {
  static Dataset<Row> timestamps(Dataset<Row> in, String... columns) {
    for (String c : columns) {
      in = in.withColumn(c, functions.col(c).cast("timestamp"));
    }
    return in;
  }

  static Dataset<Row> quotes(List<List<String>> rows) {
    return timestamps(TestSpark.strings(List.of("quote_id", "customer_id", "quoted_at"), rows),
        "quoted_at");
  }

  static Dataset<Row> purchases(List<List<String>> rows) {
    return timestamps(TestSpark.strings(List.of("customer_id", "purchased_at"), rows),
        "purchased_at");
  }

  /** The quotes placed against the purchases: the two steps of the audit, in order. */
  static Dataset<Row> assigned(CohortAssigner assigner, Dataset<Row> quotes,
      Dataset<Row> purchases, Instant historyStart) {
    assigner.gather(purchases);
    return assigner.assign(quotes, historyStart);
  }

  /** Order lines as an orders-only export gives them: quote, customer, time, order. */
  static Dataset<Row> orderLines(List<List<String>> rows) {
    return timestamps(TestSpark.strings(
        List.of("quote_id", "customer_id", "quoted_at", "order_id"), rows), "quoted_at");
  }

  static Map<String, Row> byQuote(Dataset<Row> assigned) {
    Map<String, Row> out = new HashMap<>();
    assigned.collectAsList().forEach(r -> out.put(r.getAs("quote_id"), r));
    return out;
  }

  @Test
  void purchasesAtOrAfterTheQuoteNeverCount() {
    Dataset<Row> q = quotes(List.of(List.of("q1", "c1", "2026-01-10T12:00:00Z")));
    Dataset<Row> p = purchases(List.of(
        List.of("c1", "2026-01-10T12:00:00Z"),
        List.of("c1", "2026-01-11T00:00:00Z"),
        List.of("c1", "2026-01-10T11:59:59Z")));
    Row r = byQuote(assigned(new CohortAssigner(AuditConfig.defaults()), q, p,
        Instant.parse("2024-01-01T00:00:00Z"))).get("q1");
    assertEquals(1, r.<Integer>getAs("prior_purchases"), "only the purchase one second before counts");
    assertEquals("repeat", r.getAs("cohort"));
  }

  @Test
  void lookbackWindowAndThresholdsDefineTheCohort() {
    Dataset<Row> q = quotes(List.of(
        List.of("new", "c0", "2026-01-10T00:00:00Z"),
        List.of("aged-out", "c1", "2026-01-10T00:00:00Z"),
        List.of("loyal", "c2", "2026-01-10T00:00:00Z"),
        List.of("four", "c3", "2026-01-10T00:00:00Z")));
    String[] five = {"2025-02-01", "2025-05-01", "2025-08-01", "2025-11-01", "2026-01-09"};
    List<List<String>> rows = new java.util.ArrayList<>();
    for (String d : five) {
      rows.add(List.of("c2", d + "T00:00:00Z"));
    }
    for (int i = 0; i < 4; i++) {
      rows.add(List.of("c3", five[i] + "T00:00:00Z"));
    }
    rows.add(List.of("c1", "2025-01-09T23:59:59Z"));
    Map<String, Row> r = byQuote(assigned(new CohortAssigner(AuditConfig.defaults()), q,
        purchases(rows), Instant.parse("2020-01-01T00:00:00Z")));
    assertEquals("new", r.get("new").getAs("cohort"));
    assertEquals("new", r.get("aged-out").getAs("cohort"), "a purchase 366 days back is outside the lookback");
    assertEquals("loyal", r.get("loyal").getAs("cohort"));
    assertEquals(5, r.get("loyal").<Integer>getAs("prior_purchases"));
    assertEquals("repeat", r.get("four").getAs("cohort"));
  }

  @Test
  void timelineCountsEqualAPlainRangeJoinWhetherHashedPerTaskOrJoinedAsSparkChooses() {
    AuditConfig config = ConfigLoader.fromMap(Map.of("cohort.lookback_days", "30"), "test");
    java.util.Random random = new java.util.Random(7);
    long base = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    long lookback = 30L * 86_400;
    List<List<String>> quoteRows = new java.util.ArrayList<>();
    List<List<String>> purchaseRows = new java.util.ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String customer = "c" + random.nextInt(40);
      long t = base + random.nextInt(90 * 86_400);
      quoteRows.add(List.of("q" + i, customer, Instant.ofEpochSecond(t).toString()));
      if (i % 7 == 0) { // a purchase at the quote's instant (not counted) and one at t - lookback (counted)
        purchaseRows.add(List.of(customer, Instant.ofEpochSecond(t).toString()));
        purchaseRows.add(List.of(customer, Instant.ofEpochSecond(t - lookback).toString()));
      }
    }
    for (int i = 0; i < 900; i++) {
      purchaseRows.add(List.of("c" + random.nextInt(45),
          Instant.ofEpochSecond(base - 40L * 86_400 + random.nextInt(130 * 86_400)).toString()));
    }
    Dataset<Row> q = quotes(quoteRows);
    Dataset<Row> p = purchases(purchaseRows);
    // the reference: every (quote, purchase) pair of a customer, counted where the purchase lies
    // in [t - 30 days, t)
    Map<String, Long> expected = new HashMap<>();
    q.join(p.withColumnRenamed("customer_id", "pc"),
            functions.col("customer_id").equalTo(functions.col("pc"))
                .and(functions.col("purchased_at").lt(functions.col("quoted_at")))
                .and(functions.col("purchased_at").geq(functions.expr("quoted_at - INTERVAL 30 DAYS"))),
            "left")
        .groupBy("quote_id").agg(functions.count("pc")).collectAsList()
        .forEach(r -> expected.put(r.getString(0), r.getLong(1)));
    for (long limit : new long[] {CohortAssigner.HASH_MAX_BYTES_PER_TASK, -1}) {
      CohortAssigner assigner = new CohortAssigner(config, limit);
      Dataset<Row> assigned = assigned(assigner, q, p, Instant.parse("2020-01-01T00:00:00Z"));
      assertEquals(limit > 0,
          assigned.queryExecution().executedPlan().toString().contains("ShuffledHashJoin"),
          "a shuffled hash join within the limit");
      Map<String, Long> got = new HashMap<>();
      byQuote(assigned)
          .forEach((id, r) -> got.put(id, (long) r.<Integer>getAs("prior_purchases")));
      assertEquals(expected, got, "hash limit " + limit);
      assigner.release();
    }
    assertEquals(true, expected.values().stream().anyMatch(n -> n >= 3), "some customers are loyal");
  }

  @Test
  void thresholdsAndLookbackAreConfigurable() {
    AuditConfig config = ConfigLoader.fromMap(Map.of("cohort.lookback_days", "30",
        "cohort.repeat_min", "2", "cohort.loyal_min", "3"), "test");
    Dataset<Row> q = quotes(List.of(List.of("q", "c1", "2026-01-31T00:00:00Z")));
    Dataset<Row> p = purchases(List.of(List.of("c1", "2025-12-15T00:00:00Z"),
        List.of("c1", "2026-01-10T00:00:00Z"), List.of("c1", "2026-01-20T00:00:00Z")));
    Row r = byQuote(assigned(new CohortAssigner(config), q, p,
        Instant.parse("2020-01-01T00:00:00Z"))).get("q");
    assertEquals(2, r.<Integer>getAs("prior_purchases"));
    assertEquals("repeat", r.getAs("cohort"));
  }

  @Test
  void quotesBeforeAFullLookbackOfHistoryAreCensored() {
    Dataset<Row> q = quotes(List.of(List.of("early", "c1", "2025-06-01T00:00:00Z"),
        List.of("late", "c1", "2026-02-01T00:00:00Z")));
    Map<String, Row> r = byQuote(assigned(new CohortAssigner(AuditConfig.defaults()), q,
        purchases(List.of()), Instant.parse("2025-01-01T00:00:00Z")));
    assertEquals(true, r.get("early").getAs("cohort_censored"));
    assertEquals(false, r.get("late").getAs("cohort_censored"));
  }

  @Test
  void aBasketOfManyLinesIsOnePurchaseAndOrdersOnlyExportsCountEveryOrder() {
    Dataset<Row> lines = orderLines(List.of(
        List.of("l1", "c1", "2025-03-01T10:00:00Z", "o1"),
        List.of("l2", "c1", "2025-03-01T10:00:00Z", "o1"),
        List.of("l3", "c1", "2025-03-01T10:00:05Z", "o1"),
        List.of("l4", "c1", "2025-04-01T10:00:00Z", "o2"),
        List.of("l5", "c2", "2025-04-01T10:00:00Z", "o3")));
    Dataset<Row> history = PurchaseHistory.fromQuotes(lines);
    assertEquals(3L, history.count());
    Row first = history.filter("customer_id = 'c1'").orderBy("purchased_at").first();
    assertEquals(Instant.parse("2025-03-01T10:00:00Z"), first.getTimestamp(1).toInstant(),
        "a purchase is dated by its earliest line");
  }

  @Test
  void theHistoryIsShuffledOnceAndItsExtentComesFromTheTimelines() {
    Dataset<Row> lines = orderLines(List.of(
        List.of("l1", "c1", "2025-03-01T10:00:00.000001Z", "o1"),
        List.of("l2", "c1", "2025-03-01T10:00:05Z", "o1"),
        List.of("l3", "c1", "2025-04-01T10:00:00Z", "o2"),
        List.of("l4", "c2", "2025-02-01T09:00:00Z", "o3"),
        List.of("l5", "c2", "2025-02-01T09:00:00Z", "o3")));
    Dataset<Row> history = PurchaseHistory.fromQuotes(lines);
    // the orders and then the timelines group by customer: one exchange for both
    String plan = history.groupBy("customer_id").count().queryExecution().executedPlan()
        .toString();
    assertEquals(1, plan.split("Exchange hashpartitioning", -1).length - 1, plan);

    CohortAssigner assigner = new CohortAssigner(AuditConfig.defaults());
    CohortAssigner.Extent extent = assigner.gather(history);
    assertEquals(3L, extent.purchases(), "three orders of five lines");
    assertEquals(Optional.of(Instant.parse("2025-02-01T09:00:00Z")), extent.first());
    Dataset<Row> q = quotes(List.of(List.of("q", "c1", "2025-04-02T00:00:00Z")));
    assertEquals(2, byQuote(assigner.assign(q, Instant.parse("2020-01-01T00:00:00Z")))
        .get("q").<Integer>getAs("prior_purchases"));
    assigner.release();

    CohortAssigner empty = new CohortAssigner(AuditConfig.defaults());
    assertEquals(new CohortAssigner.Extent(0L, Optional.empty()),
        empty.gather(purchases(List.of())), "no purchase at all");
    empty.release();
  }

  @Test
  void onlyQuotesMarkedPurchasedArePurchasesAndTimestampsStandInForMissingOrderIds() {
    List<String> cols = List.of("quote_id", "customer_id", "quoted_at", "purchased");
    Dataset<Row> q = timestamps(TestSpark.strings(cols, List.of(
        Arrays.asList("a", "c1", "2025-03-01T10:00:00Z", "true"),
        Arrays.asList("b", "c1", "2025-03-01T10:00:00Z", "true"),
        Arrays.asList("c", "c1", "2025-03-02T10:00:00Z", "false"))), "quoted_at")
        .withColumn("purchased", functions.col("purchased").cast("boolean"));
    assertEquals(1L, PurchaseHistory.fromQuotes(q).count());
  }
}
