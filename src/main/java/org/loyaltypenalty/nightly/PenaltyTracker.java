package org.loyaltypenalty.nightly;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.History;
import org.loyaltypenalty.audit.ExperimentCheck;
import org.loyaltypenalty.audit.Status;
import org.loyaltypenalty.segment.SegmentSpec;
import org.loyaltypenalty.sku.Outcome;

/**
 * Follows every SKU, merchant and price-experiment penalty across nights, from the findings
 * history.
 *
 * <p>For each key (level, segment, comparison, outcome, merchant, SKU, currency, experiment) as
 * of a run date D, using only runs up to D: first and last night seen, first and last night
 * flagged, nights flagged, the current streak (consecutive runs flagged, ending at D), tonight's
 * and the previous run's penalty and its change, and the change tonight ({@link StatusChange}):
 * {@code new} (flagged tonight, not in the previous run), {@code resolved} (flagged in the
 * previous run, tested and not flagged tonight), {@code explained_by_disclosed_offer} (flagged in
 * the previous run, tonight's gap explained by a disclosed offer), {@code untested} (flagged in
 * the previous run, no test tonight: not quoted, or too few quotes to test; the streak ends, but
 * the penalty is not reported as gone), {@code continuing}, or none. A date with no run of its
 * own has no "tonight": nothing is flagged or continuing on it.
 *
 * <p>Every outcome is a key of its own: a fee penalty ({@code outcome = fee}) builds its streak
 * and is confirmed like the unit price's, apart from it. Rows written before outcomes existed
 * are the unit price's ({@code outcome} null is {@code price}); rows written before experiments
 * or segments existed have none (the cohort's). Price experiments ({@code level = experiment})
 * are keyed by their {@code experiment_id}; exact-context cells are evidence, not tests, and
 * are not tracked.
 *
 * <p><b>Error rate over nights: a persistence rule.</b> Testing every night inflates false
 * alarms: a null SKU that is flagged with probability a on one night is flagged on some night of
 * a month with probability up to 30a. An alert therefore needs the penalty flagged on k
 * consecutive runs ({@code nightly.persistence_runs}, default 3): {@code confirmed = streak >= k},
 * and a penalty is <em>newly confirmed</em> on the night its streak reaches k. For a null key,
 * BH flags on one night only if its p-value is at most q R/m &lt;= q, so a &lt;= q; nights use
 * disjoint quotes, so with independent nights a null key starts a confirmed streak on a given
 * night with probability at most a^k &lt;= q^k (1.25e-4 at q = 0.05, k = 3), and over H nights and
 * m keys the expected number of false alerts is at most H m a^k &lt;= H m q^k: k is chosen for m
 * (m = 1,000 keys over a year: 46 at k = 3, 2.3 at k = 4). The bound a &lt;= q is loose (BH's
 * per-test false-flag rate is about q R/m; docs/method.md gives the rate measured on generated
 * data, which says the bound is loose but not by how much). Customers who come back on several
 * nights make nights positively dependent, which weakens the product form; a bias present every
 * night is not a false alarm this rule can catch (the placebo check and the exact cells are the
 * guards there). Source: the runs rules of statistical process control, an alarm on k
 * successive points beyond a limit (Western Electric, Statistical Quality Control Handbook, 1956;
 * Montgomery, Introduction to Statistical Quality Control, ch. 6).
 */
public final class PenaltyTracker {
  public static final List<String> KEY = List.of(Findings.LEVEL, Findings.SEGMENT,
      Findings.COMPARISON, Findings.OUTCOME, Findings.MERCHANT_ID, Findings.SKU_ID,
      Findings.CURRENCY, Findings.EXPERIMENT_ID);
  /** The levels tracked: the tests (cells are descriptive evidence). */
  private static final List<String> LEVELS = List.of("sku", "merchant", ExperimentCheck.LEVEL);
  private static final String RUN = "__run";
  /** Distinct customers of the smaller cohort of a comparison, tonight. */
  public static final String MIN_CUSTOMERS = History.MIN_CUSTOMERS;

  private final int persistenceRuns;

  public PenaltyTracker(int persistenceRuns) {
    this.persistenceRuns = persistenceRuns;
  }

  /**
   * @param history the findings history (any number of nights)
   * @return one row per key seen up to {@code date}, as of {@code date}
   */
  public Dataset<Row> statusAsOf(Dataset<Row> history, LocalDate date) {
    Column d = lit(java.sql.Date.valueOf(date));
    // a history written before segments, outcomes or experiments has no such column: its rows
    // are the cohort's, the unit price's, and no experiment's (null, filled in by selection())
    for (String c : List.of(Findings.SEGMENT, Findings.OUTCOME, Findings.EXPERIMENT_ID)) {
      if (!java.util.Arrays.asList(history.columns()).contains(c)) {
        history = history.withColumn(c, lit(null).cast(DataTypes.StringType));
      }
    }
    Dataset<Row> tests = history
        .filter(col(Findings.LEVEL).isin(LEVELS.toArray()).and(col(History.RUN_DATE).leq(d)))
        .select(selection());
    // the run dates (one per night: a small list) numbered in order, on the driver
    List<java.sql.Date> dates = new java.util.ArrayList<>();
    for (Row r : tests.select(col(History.RUN_DATE)).distinct().orderBy(col(History.RUN_DATE))
        .collectAsList()) {
      dates.add(r.getDate(0));
    }
    List<Row> numbered = new java.util.ArrayList<>();
    for (int i = 0; i < dates.size(); i++) {
      numbered.add(org.apache.spark.sql.RowFactory.create(dates.get(i), i + 1));
    }
    Dataset<Row> runs = history.sparkSession().createDataFrame(numbered, new StructType()
        .add(History.RUN_DATE, DataTypes.DateType).add(RUN, DataTypes.IntegerType));
    Dataset<Row> indexed = tests.join(org.apache.spark.sql.functions.broadcast(runs),
        History.RUN_DATE);
    // tonight: the run of the date (-1: the date has no run, e.g. no quotes that day, and the
    // last earlier run must not pass for tonight's); previous: the last run before the date
    boolean ranTonight = !dates.isEmpty() && dates.get(dates.size() - 1).toLocalDate().equals(date);
    int tonight = ranTonight ? dates.size() : -1;
    int previous = ranTonight ? dates.size() - 1 : dates.size();
    previous = previous == 0 ? -1 : previous;

    Column[] key = KEY.stream().map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> summary = indexed.groupBy(key).agg(
        min(col(History.RUN_DATE)).as("first_seen"),
        max(col(History.RUN_DATE)).as("last_seen"),
        min(when(col(Findings.FLAGGED), col(History.RUN_DATE))).as(History.FIRST_FLAGGED),
        max(when(col(Findings.FLAGGED), col(History.RUN_DATE))).as(History.LAST_FLAGGED),
        sum(when(col(Findings.FLAGGED), 1).otherwise(0)).as(History.NIGHTS_FLAGGED),
        first(when(col(RUN).equalTo(tonight), col(Findings.FLAGGED)), true).as("flagged_tonight"),
        first(when(col(RUN).equalTo(previous), col(Findings.FLAGGED)), true).as("flagged_previous"),
        first(when(col(RUN).equalTo(tonight), col(Findings.PENALTY_PCT)), true).as("penalty_pct"),
        first(when(col(RUN).equalTo(previous), col(Findings.PENALTY_PCT)), true).as(History.PENALTY_PCT_PREVIOUS),
        first(when(col(RUN).equalTo(tonight), col(MIN_CUSTOMERS)), true).as(MIN_CUSTOMERS),
        first(when(col(RUN).equalTo(previous), col(MIN_CUSTOMERS)), true)
            .as(History.MIN_CUSTOMERS_PREVIOUS),
        first(when(col(RUN).equalTo(tonight), col(Findings.Q_VALUE)), true).as(Findings.Q_VALUE),
        first(when(col(RUN).equalTo(tonight), col(Findings.STATUS)), true).as(Findings.STATUS));

    // consecutive flagged runs share run - row_number; the streak is the group holding tonight
    Dataset<Row> streakLengths = indexed.filter(col(Findings.FLAGGED))
        .withColumn("__group", col(RUN).minus(row_number().over(
            Window.partitionBy(key).orderBy(col(RUN)))))
        .withColumn("__last_group", max(when(col(RUN).equalTo(tonight), col("__group")))
            .over(Window.partitionBy(key)))
        .filter(col("__group").equalTo(col("__last_group")))
        .groupBy(key).agg(count(lit(1)).as(History.STREAK));

    Column flaggedTonight = coalesce(col("flagged_tonight"), lit(false));
    Column flaggedPrevious = coalesce(col("flagged_previous"), lit(false));
    // a key with no test tonight (not quoted, or too few quotes) has not shown its penalty gone
    Column testedTonight = col(Findings.STATUS).isNotNull()
        .and(col(Findings.STATUS).notEqual(Status.INSUFFICIENT_DATA.code()));
    Column explainedTonight = coalesce(col(Findings.STATUS)
        .equalTo(Status.EXPLAINED_BY_DISCLOSED_OFFER.code()), lit(false));
    Column streak = coalesce(col(History.STREAK), lit(0L));
    return nullsBack(summary.join(streakLengths, seq(KEY),
            "left")
        .withColumn(History.STREAK, streak)
        .withColumn(History.CONFIRMED, streak.geq(persistenceRuns))
        .withColumn(History.NEWLY_CONFIRMED, streak.equalTo(persistenceRuns))
        .withColumn("change_pp", col(Findings.PENALTY_PCT).minus(col(History.PENALTY_PCT_PREVIOUS)))
        .withColumn(History.CHANGE_TONIGHT,
            when(flaggedTonight.and(flaggedPrevious.equalTo(false)), lit(StatusChange.NEW.code()))
                .when(flaggedTonight.equalTo(false).and(flaggedPrevious).and(explainedTonight),
                    lit(StatusChange.EXPLAINED_BY_DISCLOSED_OFFER.code()))
                .when(flaggedTonight.equalTo(false).and(flaggedPrevious).and(testedTonight),
                    lit(StatusChange.RESOLVED.code()))
                .when(flaggedTonight.equalTo(false).and(flaggedPrevious),
                    lit(StatusChange.UNTESTED.code()))
                .when(flaggedTonight, lit(StatusChange.CONTINUING.code())))
        .withColumn(History.RUN_DATE, d.cast(DataTypes.DateType))
        .drop("flagged_previous")
        .withColumnRenamed("flagged_tonight", Findings.FLAGGED));
  }

  /**
   * Key columns with null as "" (so that keys compare equal), and the values tracked. A null
   * segment is the cohort's and a null outcome the unit price's (rows from before either
   * existed), so that old nights continue the streaks of new ones.
   */
  private static Column[] selection() {
    List<Column> out = new java.util.ArrayList<>();
    KEY.forEach(c -> out.add(coalesce(col(c), lit(switch (c) {
      case Findings.SEGMENT -> SegmentSpec.COHORT;
      case Findings.OUTCOME -> Outcome.PRICE.code();
      default -> "";
    })).as(c)));
    // an experiment is followed by its id: its comparison (the dearest against the cheapest arm)
    // can change from night to night when two arms are close
    int comparison = KEY.indexOf(Findings.COMPARISON);
    out.set(comparison, when(col(Findings.LEVEL).equalTo("experiment"), lit(""))
        .otherwise(out.get(comparison)).as(Findings.COMPARISON));
    for (String c : List.of(History.RUN_DATE, Findings.FLAGGED, Findings.PENALTY_PCT,
        Findings.Q_VALUE, Findings.STATUS)) {
      out.add(col(c));
    }
    // the smaller cohort's distinct customers: the report suppresses figures below k
    out.add(org.apache.spark.sql.functions.least(col(Findings.CUSTOMERS_REFERENCE),
        col(Findings.CUSTOMERS_COMPARED)).as(MIN_CUSTOMERS));
    return out.toArray(Column[]::new);
  }

  private static Dataset<Row> nullsBack(Dataset<Row> ds) {
    for (String c : KEY) {
      ds = ds.withColumn(c, when(col(c).equalTo(""), lit(null).cast(DataTypes.StringType))
          .otherwise(col(c)));
    }
    return ds;
  }
}
