package org.loyaltypenalty.nightly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.History;
import org.loyaltypenalty.io.AuditSink;
import org.loyaltypenalty.io.HistoryStore;
import org.loyaltypenalty.io.OutputWriter;
import org.loyaltypenalty.io.RecordedChecksums;
import org.loyaltypenalty.io.RunLayout;
import org.loyaltypenalty.run.NightlyReport;
import org.loyaltypenalty.spark.Sessions;

/**
 * One night's outputs under a history directory:
 * <ul>
 *   <li>{@code DIR/findings_history} and {@code DIR/quarantine_history}: Delta tables partitioned
 *       by {@code run_date}. A night's partition is replaced in one atomic Delta commit
 *       ({@code replaceWhere}), so re-running a date replaces that date and a run killed halfway
 *       leaves the previous commit readable; the next run simply commits again.</li>
 *   <li>{@code DIR/runs/<date>/}: that night's {@code findings.csv}, manifest and report.</li>
 *   <li>{@code DIR/input_checksums.json}: the SHA-256 of each input file the last night read
 *       ({@link RecordedChecksums}), reused for a file unchanged since.</li>
 * </ul>
 */
public final class NightlySink implements AuditSink {
  private static final int LISTED = 200;

  private final LocalDate date;
  private final int retainDays;
  private final String historyDir;
  private final SparkSession spark;
  private final PenaltyTracker tracker;
  private final HistoryStore store;
  private final OutputWriter night;
  private final int persistenceRuns;
  /** Tonight's lists, once the findings are written. */
  private NightlyReport lists;
  private long newlyConfirmed;
  private long newTonight;
  private long resolvedTonight;
  private long explainedTonight;
  private long untestedTonight;
  private long laterNights;

  /**
   * @param retainDays nights of row-level data kept (tonight and the nights before it); 0 keeps
   *     every night
   */
  public NightlySink(SparkSession spark, String historyDir, LocalDate date, int persistenceRuns,
      int retainDays) {
    this.date = date;
    this.retainDays = retainDays;
    this.historyDir = historyDir;
    this.spark = spark;
    this.tracker = new PenaltyTracker(persistenceRuns);
    this.store = new HistoryStore(spark, historyDir);
    this.night = new OutputWriter(spark, RunLayout.nightRun(historyDir, date));
    this.persistenceRuns = persistenceRuns;
  }

  /**
   * Replaces tonight's partition of the findings history, then recomputes every penalty's status
   * as of tonight from the history and replaces tonight's partition of {@code penalty_status}.
   */
  @Override
  public void writeFindings(Dataset<Row> findings) {
    store.replaceNight(findings, RunLayout.FINDINGS_HISTORY, date);
    night.writeCsv(findings, RunLayout.FINDINGS_CSV);
    Dataset<Row> history = store.read(RunLayout.FINDINGS_HISTORY);
    // nights after this one were tracked with this night's old findings (a re-run of a past date)
    laterNights = history.filter(col(History.RUN_DATE).gt(lit(java.sql.Date.valueOf(date))))
        .select(History.RUN_DATE).distinct().count();
    Dataset<Row> status = tracker.statusAsOf(history, date).persist(Sessions.cacheLevel(spark));
    store.replaceNight(status.drop(History.RUN_DATE), RunLayout.PENALTY_STATUS, date);
    // in the order of the key (one row per key): the file must not depend on how the status
    // was partitioned
    night.writeCsv(status.filter(col(History.CHANGE_TONIGHT).isin(StatusChange.NEW.code(),
        StatusChange.RESOLVED.code(), StatusChange.EXPLAINED_BY_DISCLOSED_OFFER.code(),
        StatusChange.UNTESTED.code())
        .or(col(History.NEWLY_CONFIRMED))).drop(History.RUN_DATE)
        .repartition(1)
        .sortWithinPartitions(PenaltyTracker.KEY.stream().map(c -> col(c).asc_nulls_first())
            .toArray(Column[]::new)),
        RunLayout.PENALTY_CHANGES_CSV);
    Row counts = status.agg(
        sum(when(col(History.NEWLY_CONFIRMED), 1).otherwise(0)),
        sum(when(col(History.CHANGE_TONIGHT).equalTo(StatusChange.NEW.code()), 1).otherwise(0)),
        sum(when(col(History.CHANGE_TONIGHT).equalTo(StatusChange.RESOLVED.code()), 1).otherwise(0)),
        sum(when(col(History.CHANGE_TONIGHT).equalTo(StatusChange.UNTESTED.code()), 1).otherwise(0)),
        sum(when(col(History.CONFIRMED), 1).otherwise(0)),
        sum(when(col(History.CHANGE_TONIGHT)
            .equalTo(StatusChange.EXPLAINED_BY_DISCLOSED_OFFER.code()), 1).otherwise(0))).first();
    newlyConfirmed = counts.isNullAt(0) ? 0 : counts.getLong(0);
    newTonight = counts.isNullAt(1) ? 0 : counts.getLong(1);
    resolvedTonight = counts.isNullAt(2) ? 0 : counts.getLong(2);
    untestedTonight = counts.isNullAt(3) ? 0 : counts.getLong(3);
    long confirmed = counts.isNullAt(4) ? 0 : counts.getLong(4);
    explainedTonight = counts.isNullAt(5) ? 0 : counts.getLong(5);
    lists = new NightlyReport(persistenceRuns, date.toString(),
        rows(status.filter(col(History.NEWLY_CONFIRMED)), Findings.PENALTY_PCT), newlyConfirmed,
        rows(status.filter(col(History.CHANGE_TONIGHT).equalTo(StatusChange.NEW.code())),
            Findings.PENALTY_PCT), newTonight,
        // resolved: largest penalty of the previous run first (tonight's is not flagged)
        rows(status.filter(col(History.CHANGE_TONIGHT).equalTo(StatusChange.RESOLVED.code())),
            History.PENALTY_PCT_PREVIOUS), resolvedTonight,
        // explained: likewise, the previous run's penalty first
        rows(status.filter(col(History.CHANGE_TONIGHT)
            .equalTo(StatusChange.EXPLAINED_BY_DISCLOSED_OFFER.code())),
            History.PENALTY_PCT_PREVIOUS), explainedTonight,
        rows(status.filter(col(History.CONFIRMED)), Findings.PENALTY_PCT), confirmed,
        untestedTonight);
    status.unpersist();
  }

  /**
   * A list of the report: at most {@value #LISTED} rows, longest streak and then largest
   * {@code penalty} first (how many there are is counted apart; all are in penalty_status).
   */
  private static List<NightlyReport.Penalty> rows(Dataset<Row> ds, String penalty) {
    List<NightlyReport.Penalty> out = new ArrayList<>();
    for (Row r : ds.orderBy(col(History.STREAK).desc(), col(penalty).desc_nulls_last(),
            col(Findings.LEVEL), col(Findings.SKU_ID), col(Findings.SEGMENT),
            col(Findings.COMPARISON), col(Findings.OUTCOME),
            col(Findings.CURRENCY), col(Findings.MERCHANT_ID), col(Findings.EXPERIMENT_ID))
        .limit(LISTED).collectAsList()) {
      out.add(new NightlyReport.Penalty(text(r, Findings.LEVEL), text(r, Findings.SEGMENT),
          text(r, Findings.COMPARISON), text(r, Findings.OUTCOME), text(r, Findings.MERCHANT_ID),
          text(r, Findings.SKU_ID), text(r, Findings.CURRENCY), text(r, Findings.EXPERIMENT_ID),
          text(r, History.FIRST_FLAGGED),
          text(r, History.LAST_FLAGGED), whole(r, History.STREAK),
          whole(r, History.NIGHTS_FLAGGED), r.getAs(Findings.PENALTY_PCT),
          r.getAs(History.PENALTY_PCT_PREVIOUS), whole(r, History.MIN_CUSTOMERS),
          whole(r, History.MIN_CUSTOMERS_PREVIOUS)));
    }
    return out;
  }

  /** A column as text, empty when null. */
  private static String text(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? "" : v.toString();
  }

  /** A whole-number column (int or long in the history), null when null. */
  private static Long whole(Row r, String column) {
    Number v = r.getAs(column);
    return v == null ? null : v.longValue();
  }

  /** Tonight's lists, or only the persistence setting before the findings are written. */
  @Override
  public NightlyReport reportSections() {
    return lists != null ? lists : new NightlyReport(persistenceRuns, null, null, null, null,
        null, null, null, null, null, null, null, null);
  }

  /** Penalties whose streak reached the persistence threshold tonight: the alerts. */
  public long newlyConfirmed() {
    return newlyConfirmed;
  }

  public long newTonight() {
    return newTonight;
  }

  /**
   * Nights after this date already in the history: their penalty_status was computed with this
   * date's previous findings, and is refreshed by re-running them in order.
   */
  public long laterNights() {
    return laterNights;
  }

  /** Penalties flagged in the previous run that could not be tested tonight. */
  public long untestedTonight() {
    return untestedTonight;
  }

  public long resolvedTonight() {
    return resolvedTonight;
  }

  /** Penalties flagged in the previous run whose gap tonight a disclosed offer explains. */
  public long explainedTonight() {
    return explainedTonight;
  }

  /**
   * Replaces tonight's quarantine; with a retention, then deletes the quarantine of the nights
   * before the last {@code retainDays} (from the table and from disk, and each such night's
   * {@code quarantine.csv}).
   */
  @Override
  public void writeQuarantine(Dataset<Row> quarantine) {
    store.replaceRowLevelNight(quarantine, RunLayout.QUARANTINE_HISTORY, date);
    if (retainDays > 0) {
      LocalDate first = date.minusDays(retainDays - 1L);
      store.dropNightsBefore(RunLayout.QUARANTINE_HISTORY, first);
      for (LocalDate night : store.runNights()) {
        if (night.isBefore(first)) {
          new OutputWriter(spark, RunLayout.nightRun(historyDir, night))
              .delete(RunLayout.QUARANTINE_CSV);
        }
      }
    }
  }

  /**
   * The checksums of the files the last night read ({@code DIR/input_checksums.json}): a file
   * whose path, length and modification time are unchanged is not hashed again (a growing
   * purchase history's old parts are read once).
   */
  @Override
  public RecordedChecksums recordedChecksums() {
    return RecordedChecksums.in(new OutputWriter(spark, historyDir));
  }

  @Override
  public java.util.OptionalInt retentionDays() {
    return retainDays > 0 ? java.util.OptionalInt.of(retainDays) : java.util.OptionalInt.empty();
  }

  @Override
  public OutputWriter runFiles() {
    return night;
  }

  @Override
  public String location(String output) {
    return switch (output) {
      case RunLayout.FINDINGS ->
          store.location(RunLayout.FINDINGS_HISTORY) + " (run_date = " + date + ")";
      case RunLayout.QUARANTINE ->
          store.location(RunLayout.QUARANTINE_HISTORY) + " (run_date = " + date + ")";
      default -> night.path(output);
    };
  }
}
