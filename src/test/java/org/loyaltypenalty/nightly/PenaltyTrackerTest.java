package org.loyaltypenalty.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
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
import org.loyaltypenalty.TestSpark;

/** Streaks, new and resolved penalties over a hand-made week of findings. */
class PenaltyTrackerTest {
  static final StructType SCHEMA = new StructType()
      .add("level", DataTypes.StringType).add("comparison", DataTypes.StringType)
      .add("merchant_id", DataTypes.StringType).add("sku_id", DataTypes.StringType)
      .add("currency", DataTypes.StringType).add("run_date", DataTypes.DateType)
      .add("flagged", DataTypes.BooleanType).add("penalty_pct", DataTypes.DoubleType)
      .add("q_value", DataTypes.DoubleType).add("status", DataTypes.StringType)
      .add("customers_reference", DataTypes.LongType).add("customers_compared", DataTypes.LongType);

  /**
   * flags: one character per night from 2026-01-01, 'F' flagged, '.' tested not flagged, 'I' too
   * few quotes to test (insufficient_data), ' ' absent.
   */
  static void add(List<Row> rows, String level, String sku, String flags) {
    for (int i = 0; i < flags.length(); i++) {
      char c = flags.charAt(i);
      if (c != ' ') {
        boolean untested = c == 'I';
        rows.add(RowFactory.create(level, "loyal_vs_new", level.equals("sku") ? "M1" : null,
            level.equals("sku") ? sku : null, level.equals("sku") ? "EUR" : null,
            java.sql.Date.valueOf(LocalDate.of(2026, 1, 1 + i)), c == 'F',
            untested ? null : c == 'F' ? 5.0 + i : 0.1, untested ? null : c == 'F' ? 0.001 : 0.5,
            untested ? "insufficient_data" : c == 'F' ? "penalty" : "not_significant", 40L, 12L));
      }
    }
  }

  /**
   * A penalty that cannot be tested tonight (absent, or too few quotes) is not "resolved"; a date
   * with no run of its own does not take the last run for tonight's.
   */
  @Test
  void untestedTonightIsNotResolvedAndADateWithoutARunFlagsNothing() {
    List<Row> rows = new ArrayList<>();
    add(rows, "sku", "steady", "FFFF");
    add(rows, "sku", "absent", "FFF ");
    add(rows, "sku", "thin", "FFFI");
    add(rows, "sku", "fixed", "FFF.");
    Dataset<Row> history = TestSpark.spark().createDataFrame(rows, SCHEMA);

    Map<String, Row> day4 = status(history, LocalDate.of(2026, 1, 4));
    assertEquals("continuing", day4.get("sku:steady").getAs("change_tonight"));
    assertEquals("untested", day4.get("sku:absent").getAs("change_tonight"));
    assertEquals("untested", day4.get("sku:thin").getAs("change_tonight"));
    assertEquals("resolved", day4.get("sku:fixed").getAs("change_tonight"));
    assertEquals(0L, day4.get("sku:absent").<Long>getAs("streak"), "the streak still ends");

    // no run on 5 January (no quotes that day): the run of the 4th is "previous", not tonight's
    Map<String, Row> day5 = status(history, LocalDate.of(2026, 1, 5));
    Row steady = day5.get("sku:steady");
    assertEquals(0L, steady.<Long>getAs("streak"));
    assertNull(steady.getAs("flagged"), "no test tonight: flagged is unknown, not false");
    assertEquals(false, steady.getAs("newly_confirmed"));
    assertEquals("untested", steady.getAs("change_tonight"));
    assertNull(steady.getAs("penalty_pct"), "no penalty measured tonight");
    assertEquals(8.0, steady.<Double>getAs("penalty_pct_previous"), 1e-9);
  }

  /**
   * Each segment is tracked on its own: a tier penalty and the cohort's on one SKU keep their
   * own streaks, even where the codes of two segments' comparisons coincide; and nights written
   * before segments were tested count as the cohort's.
   */
  @Test
  void penaltiesAreTrackedPerSegmentAndOldNightsAreTheCohorts() {
    List<Row> old = new ArrayList<>();
    add(old, "sku", "s1", "FF   ");
    StructType withSegment = SCHEMA.add("segment", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (Row r : old) {
      rows.add(RowFactory.create(concat(r, null)));
    }
    List<Row> tonight = new ArrayList<>();
    add(tonight, "sku", "s1", "  FFF");
    for (Row r : tonight) {
      rows.add(RowFactory.create(concat(r, "cohort")));
      // another segment whose comparison code happens to be the cohort's, flagged once
      Object[] tier = concat(r, "member_tier");
      boolean last = r.getDate(5).toLocalDate().equals(LocalDate.of(2026, 1, 5));
      tier[6] = last;
      tier[9] = last ? "penalty" : "no_material_penalty";
      rows.add(RowFactory.create(tier));
    }
    Dataset<Row> history = TestSpark.spark().createDataFrame(rows, withSegment);
    Map<String, Row> bySegment = new HashMap<>();
    for (Row r : new PenaltyTracker(3).statusAsOf(history, LocalDate.of(2026, 1, 5))
        .collectAsList()) {
      bySegment.put(r.getAs("segment"), r);
    }
    assertEquals(2, bySegment.size(), bySegment.toString());
    assertEquals(5L, bySegment.get("cohort").<Long>getAs("streak"),
        "the nights before segments continue the cohort's streak");
    assertEquals(1L, bySegment.get("member_tier").<Long>getAs("streak"));
    assertEquals("new", bySegment.get("member_tier").getAs("change_tonight"));
  }

  private static Object[] concat(Row r, String segment) {
    Object[] values = new Object[r.length() + 1];
    for (int i = 0; i < r.length(); i++) {
      values[i] = r.get(i);
    }
    values[r.length()] = segment;
    return values;
  }

  static Map<String, Row> status(Dataset<Row> history, LocalDate date) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : new PenaltyTracker(3).statusAsOf(history, date).collectAsList()) {
      out.put(r.getAs("level") + ":" + r.getAs("sku_id"), r);
    }
    return out;
  }

  @Test
  void streaksNewResolvedAndConfirmedFollowTheRuns() {
    List<Row> rows = new ArrayList<>();
    add(rows, "sku", "steady", "FFFFFFF");
    add(rows, "sku", "late", "....FFF");
    add(rows, "sku", "gone", "FFFFF..");
    add(rows, "sku", "flicker", "F.F.F.F");
    add(rows, "sku", "gap", "FF FFFF");
    add(rows, "merchant", null, "...FFFF");
    Dataset<Row> history = TestSpark.spark().createDataFrame(rows, SCHEMA);

    Map<String, Row> day7 = status(history, LocalDate.of(2026, 1, 7));
    assertEquals(7L, day7.get("sku:steady").<Long>getAs("streak"));
    assertEquals(true, day7.get("sku:steady").getAs("confirmed"));
    assertEquals(false, day7.get("sku:steady").getAs("newly_confirmed"));
    assertEquals("continuing", day7.get("sku:steady").getAs("change_tonight"));
    assertEquals(1.0, day7.get("sku:steady").<Double>getAs("change_pp"), 1e-9);

    assertEquals(3L, day7.get("sku:late").<Long>getAs("streak"));
    assertEquals(true, day7.get("sku:late").getAs("newly_confirmed"), "the third run in a row alerts");
    assertEquals(java.sql.Date.valueOf("2026-01-05"), day7.get("sku:late").getAs("first_flagged"));

    assertEquals(0L, day7.get("sku:gone").<Long>getAs("streak"));
    assertNull(day7.get("sku:gone").getAs("change_tonight"), "resolved on day 6, quiet since");
    assertEquals("resolved", status(history, LocalDate.of(2026, 1, 6)).get("sku:gone").getAs("change_tonight"));

    assertEquals(1L, day7.get("sku:flicker").<Long>getAs("streak"));
    assertEquals("new", day7.get("sku:flicker").getAs("change_tonight"));
    assertEquals(false, day7.get("sku:flicker").getAs("confirmed"), "flickering never confirms");
    assertEquals(4L, day7.get("sku:flicker").<Long>getAs("nights_flagged"));

    assertEquals(4L, day7.get("sku:gap").<Long>getAs("streak"), "a night without data breaks the streak");

    Row merchant = day7.get("merchant:null");
    assertEquals(4L, merchant.<Long>getAs("streak"), "merchant roll-ups are tracked too");
    assertNull(merchant.getAs("merchant_id"));

    Map<String, Row> day3 = status(history, LocalDate.of(2026, 1, 3));
    assertEquals(3L, day3.get("sku:steady").<Long>getAs("streak"), "later nights are not looked at");
    assertEquals(true, day3.get("sku:steady").getAs("newly_confirmed"));
    assertEquals(java.sql.Date.valueOf("2026-01-03"), day3.get("sku:steady").getAs("last_seen"));
  }

  /** {@code rows} with one more column's value appended to each. */
  private static List<Row> with(List<Row> rows, Object value) {
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      Object[] values = new Object[r.length() + 1];
      for (int i = 0; i < r.length(); i++) {
        values[i] = r.get(i);
      }
      values[r.length()] = value;
      out.add(RowFactory.create(values));
    }
    return out;
  }

  static Map<String, Row> byOutcome(Dataset<Row> history, LocalDate date) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : new PenaltyTracker(3).statusAsOf(history, date).collectAsList()) {
      out.put(r.getAs("sku_id") + ":" + r.getAs("outcome"), r);
    }
    return out;
  }

  /**
   * A fee penalty with no price penalty on the same SKU (the Meituan case) is tracked on its
   * own key: new on its first flagged night, continuing on the second, newly confirmed on the
   * third, while the SKU's unit price, tested and never flagged, has no change at all.
   */
  @Test
  void aFeeOnlyPenaltyIsNewThenContinuingThenConfirmedApartFromThePrice() {
    StructType schema = SCHEMA.add("outcome", DataTypes.StringType);
    List<Row> price = new ArrayList<>();
    add(price, "sku", "meal", "....");
    List<Row> fee = new ArrayList<>();
    add(fee, "sku", "meal", ".FFF");
    List<Row> rows = new ArrayList<>(with(price, "price"));
    rows.addAll(with(fee, "fee"));
    Dataset<Row> history = TestSpark.spark().createDataFrame(rows, schema);

    Row night2 = byOutcome(history, LocalDate.of(2026, 1, 2)).get("meal:fee");
    assertEquals("new", night2.getAs("change_tonight"));
    Row night3 = byOutcome(history, LocalDate.of(2026, 1, 3)).get("meal:fee");
    assertEquals("continuing", night3.getAs("change_tonight"));
    assertEquals(false, night3.getAs("confirmed"));
    Map<String, Row> night4 = byOutcome(history, LocalDate.of(2026, 1, 4));
    assertEquals(2, night4.size(), "the price and the fee are two keys: " + night4.keySet());
    assertEquals(3L, night4.get("meal:fee").<Long>getAs("streak"));
    assertEquals(true, night4.get("meal:fee").getAs("newly_confirmed"),
        "the fee penalty's third flagged night alerts");
    assertEquals(java.sql.Date.valueOf("2026-01-02"), night4.get("meal:fee").getAs("first_flagged"));
    assertNull(night4.get("meal:price").getAs("change_tonight"), "the price was never flagged");
    assertEquals(0L, night4.get("meal:price").<Long>getAs("nights_flagged"));
  }

  /**
   * A penalty flagged in the previous run whose gap tonight is explained by a disclosed offer
   * (status explained_by_disclosed_offer, not flagged) gets that change, not "resolved"; its
   * streak ends.
   */
  @Test
  void aPenaltyExplainedByADisclosedOfferTonightIsNotResolved() {
    List<Row> rows = new ArrayList<>();
    add(rows, "sku", "offer", "FF.");
    add(rows, "sku", "fixed", "FF.");
    Object[] explained = null;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      if ("offer".equals(r.getAs(3)) && r.getDate(5).toLocalDate().getDayOfMonth() == 3) {
        explained = new Object[r.length()];
        for (int j = 0; j < r.length(); j++) {
          explained[j] = r.get(j);
        }
        explained[9] = "explained_by_disclosed_offer";
        rows.set(i, RowFactory.create(explained));
      }
    }
    Dataset<Row> history = TestSpark.spark().createDataFrame(rows, SCHEMA);

    Map<String, Row> day3 = status(history, LocalDate.of(2026, 1, 3));
    assertEquals("explained_by_disclosed_offer", day3.get("sku:offer").getAs("change_tonight"));
    assertEquals(StatusChange.EXPLAINED_BY_DISCLOSED_OFFER.code(),
        day3.get("sku:offer").getAs("change_tonight"));
    assertEquals(0L, day3.get("sku:offer").<Long>getAs("streak"));
    assertEquals("resolved", day3.get("sku:fixed").getAs("change_tonight"));
  }

  /**
   * Nights written before outcomes existed (no outcome column, or a null outcome) are the unit
   * price's: they continue the streak of later nights' price rows, whichever way the history
   * holds them.
   */
  @Test
  void nightsWrittenBeforeOutcomesAreTheUnitPrices() {
    List<Row> old = new ArrayList<>();
    add(old, "sku", "s1", "FF  ");
    List<Row> later = new ArrayList<>();
    add(later, "sku", "s1", "  FF");
    List<Row> rows = new ArrayList<>(with(old, null));
    rows.addAll(with(later, "price"));
    Dataset<Row> history = TestSpark.spark().createDataFrame(rows,
        SCHEMA.add("outcome", DataTypes.StringType));

    Map<String, Row> day4 = byOutcome(history, LocalDate.of(2026, 1, 4));
    assertEquals(1, day4.size(), day4.keySet().toString());
    assertEquals(4L, day4.get("s1:price").<Long>getAs("streak"),
        "the nights without an outcome continue the price's streak");
    // and a history with no outcome column at all reads as price throughout
    Map<String, Row> noColumn = byOutcome(TestSpark.spark().createDataFrame(old, SCHEMA),
        LocalDate.of(2026, 1, 2));
    assertEquals(2L, noColumn.get("s1:price").<Long>getAs("streak"));
  }

  /**
   * A rigged price experiment ({@code level = experiment}, flagged) is tracked by its
   * experiment_id: two experiments of one comparison keep their own streaks.
   */
  @Test
  void priceExperimentsAreTrackedByTheirId() {
    List<Row> rigged = new ArrayList<>();
    add(rigged, "experiment", null, "FFF");
    List<Row> honest = new ArrayList<>();
    add(honest, "experiment", null, "...");
    List<Row> rows = new ArrayList<>(with(rigged, "EXP-RIGGED"));
    rows.addAll(with(honest, "EXP-HONEST"));
    Dataset<Row> history = TestSpark.spark().createDataFrame(rows,
        SCHEMA.add("experiment_id", DataTypes.StringType));
    Map<String, Row> byId = new HashMap<>();
    for (Row r : new PenaltyTracker(3).statusAsOf(history, LocalDate.of(2026, 1, 3))
        .collectAsList()) {
      byId.put(r.getAs("experiment_id"), r);
    }
    assertEquals(2, byId.size(), byId.keySet().toString());
    assertEquals(true, byId.get("EXP-RIGGED").getAs("newly_confirmed"));
    assertEquals("experiment", byId.get("EXP-RIGGED").getAs("level"));
    assertEquals(0L, byId.get("EXP-HONEST").<Long>getAs("nights_flagged"));
  }

  /**
   * An experiment's comparison is its dearest arm against its cheapest, and with two arms close
   * in price the dearest can change from night to night: the experiment keeps one streak.
   */
  @Test
  void aRiggedExperimentWhoseDearestArmChangesKeepsOneStreak() {
    List<Row> nights = new ArrayList<>();
    add(nights, "experiment", null, "FFF");
    List<Row> rows = new ArrayList<>();
    String[] dearest = {"b_vs_a", "c_vs_a", "b_vs_a"};
    for (int i = 0; i < nights.size(); i++) {
      Object[] values = new Object[nights.get(i).length()];
      for (int j = 0; j < values.length; j++) {
        values[j] = nights.get(i).get(j);
      }
      values[1] = dearest[i];
      rows.add(RowFactory.create(values));
    }
    List<Row> status = new PenaltyTracker(3).statusAsOf(TestSpark.spark().createDataFrame(
        with(rows, "EXP-RIGGED"), SCHEMA.add("experiment_id", DataTypes.StringType)),
        LocalDate.of(2026, 1, 3)).collectAsList();
    assertEquals(1, status.size(), status.toString());
    assertEquals(3L, status.get(0).<Long>getAs("streak"));
    assertEquals(true, status.get(0).getAs("newly_confirmed"));
  }
}
