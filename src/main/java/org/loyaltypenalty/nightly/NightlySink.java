package org.loyaltypenalty.nightly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.time.LocalDate;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.io.AuditSink;
import org.loyaltypenalty.io.DirectorySink;
import org.loyaltypenalty.io.OutputWriter;

/**
 * One night's outputs under a history directory:
 * <ul>
 *   <li>{@code DIR/findings_history} and {@code DIR/quarantine_history}: Delta tables partitioned
 *       by {@code run_date}. A night's partition is replaced in one atomic Delta commit
 *       ({@code replaceWhere}), so re-running a date replaces that date and a run killed halfway
 *       leaves the previous commit readable; the next run simply commits again.</li>
 *   <li>{@code DIR/runs/<date>/}: that night's {@code findings.csv}, manifest and report.</li>
 * </ul>
 */
public final class NightlySink implements AuditSink {
  public static final String FINDINGS_HISTORY = "findings_history";
  public static final String QUARANTINE_HISTORY = "quarantine_history";
  public static final String PENALTY_STATUS = "penalty_status";
  public static final String RUN_DATE = "run_date";
  private static final int LISTED = 200;

  private final SparkSession spark;
  private final LocalDate date;
  private final PenaltyTracker tracker;
  private final OutputWriter root;
  private final OutputWriter night;
  private final Map<String, Object> sections = new LinkedHashMap<>();
  private long newlyConfirmed;
  private long newTonight;
  private long resolvedTonight;
  private long untestedTonight;
  private long laterNights;

  public NightlySink(SparkSession spark, String historyDir, LocalDate date, int persistenceRuns) {
    this.spark = spark;
    this.date = date;
    this.tracker = new PenaltyTracker(persistenceRuns);
    this.root = new OutputWriter(spark, historyDir);
    this.night = new OutputWriter(spark, runDir(historyDir, date));
    sections.put("persistence_runs", persistenceRuns);
  }

  public static String runDir(String historyDir, LocalDate date) {
    return new Path(new Path(historyDir, "runs"), date.toString()).toString();
  }

  /**
   * Replaces tonight's partition of the findings history, then recomputes every penalty's status
   * as of tonight from the history and replaces tonight's partition of {@code penalty_status}.
   */
  @Override
  public void writeFindings(Dataset<Row> findings) {
    replacePartition(findings, FINDINGS_HISTORY);
    night.writeCsv(findings, "findings.csv");
    Dataset<Row> history = spark.read().format("delta").load(root.path(FINDINGS_HISTORY));
    // nights after this one were tracked with this night's old findings (a re-run of a past date)
    laterNights = history.filter(col(RUN_DATE).gt(lit(java.sql.Date.valueOf(date))))
        .select(RUN_DATE).distinct().count();
    Dataset<Row> status = tracker.statusAsOf(history, date).persist();
    replacePartition(status.drop(RUN_DATE), PENALTY_STATUS);
    night.writeCsv(status.filter(col("change_tonight").isin("new", "resolved", "untested")
        .or(col("newly_confirmed"))).drop(RUN_DATE), "penalty_changes.csv");
    Row counts = status.agg(
        sum(when(col("newly_confirmed"), 1).otherwise(0)),
        sum(when(col("change_tonight").equalTo("new"), 1).otherwise(0)),
        sum(when(col("change_tonight").equalTo("resolved"), 1).otherwise(0)),
        sum(when(col("change_tonight").equalTo("untested"), 1).otherwise(0)),
        sum(when(col("confirmed"), 1).otherwise(0))).first();
    newlyConfirmed = counts.isNullAt(0) ? 0 : counts.getLong(0);
    newTonight = counts.isNullAt(1) ? 0 : counts.getLong(1);
    resolvedTonight = counts.isNullAt(2) ? 0 : counts.getLong(2);
    untestedTonight = counts.isNullAt(3) ? 0 : counts.getLong(3);
    long confirmed = counts.isNullAt(4) ? 0 : counts.getLong(4);
    sections.put("date", date.toString());
    list("newly_confirmed", status.filter(col("newly_confirmed")), newlyConfirmed, "penalty_pct");
    list("new_tonight", status.filter(col("change_tonight").equalTo("new")), newTonight,
        "penalty_pct");
    // resolved: largest penalty of the previous run first (tonight's is not flagged)
    list("resolved_tonight", status.filter(col("change_tonight").equalTo("resolved")),
        resolvedTonight, "penalty_pct_previous");
    list("confirmed", status.filter(col("confirmed")), confirmed, "penalty_pct");
    sections.put("untested_tonight_total", untestedTonight);
    status.unpersist();
  }

  /**
   * A list of the report: at most {@value #LISTED} rows, longest streak and then largest
   * {@code penalty} first, and under {@code <key>_total} how many there are (all are in
   * penalty_status).
   */
  private void list(String key, Dataset<Row> ds, long total, String penalty) {
    sections.put(key, rows(ds, penalty));
    sections.put(key + "_total", total);
  }

  private static List<Map<String, Object>> rows(Dataset<Row> ds, String penalty) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : ds.orderBy(col("streak").desc(), col(penalty).desc_nulls_last(),
            col("level"), col("sku_id"), col("comparison"), col("currency"), col("merchant_id"))
        .limit(LISTED).collectAsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String c : List.of("level", "comparison", "merchant_id", "sku_id", "currency",
          "first_flagged", "last_flagged")) {
        Object v = r.getAs(c);
        m.put(c, v == null ? "" : v.toString());
      }
      for (String c : List.of("streak", "nights_flagged", "penalty_pct", "penalty_pct_previous",
          PenaltyTracker.MIN_CUSTOMERS, PenaltyTracker.MIN_CUSTOMERS + "_previous")) {
        m.put(c, r.getAs(c));
      }
      out.add(m);
    }
    return out;
  }

  @Override
  public Map<String, Object> reportSections() {
    return sections;
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

  @Override
  public void writeQuarantine(Dataset<Row> quarantine) {
    replacePartition(quarantine, QUARANTINE_HISTORY);
  }

  /**
   * Replaces tonight's partition of {@code table} in one commit. Columns a newer version adds are
   * merged into the table's schema (older nights read them as null), so an upgrade does not
   * stop the nightly job.
   */
  private void replacePartition(Dataset<Row> data, String table) {
    data.withColumn(RUN_DATE, lit(java.sql.Date.valueOf(date)).cast(DataTypes.DateType))
        .write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", RUN_DATE + " = DATE'" + date + "'")
        .option("mergeSchema", "true")
        .partitionBy(RUN_DATE)
        .save(root.path(table));
  }

  @Override
  public OutputWriter runFiles() {
    return night;
  }

  @Override
  public String location(String output) {
    return switch (output) {
      case DirectorySink.FINDINGS -> root.path(FINDINGS_HISTORY) + " (run_date = " + date + ")";
      case DirectorySink.QUARANTINE -> root.path(QUARANTINE_HISTORY) + " (run_date = " + date + ")";
      default -> night.path(output);
    };
  }
}
