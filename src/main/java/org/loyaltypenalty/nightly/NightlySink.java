package org.loyaltypenalty.nightly;

import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.io.AuditSink;
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
  public static final String RUN_DATE = "run_date";

  private final String historyDir;
  private final LocalDate date;
  private final OutputWriter root;
  private final OutputWriter night;

  public NightlySink(SparkSession spark, String historyDir, LocalDate date) {
    this.historyDir = historyDir;
    this.date = date;
    this.root = new OutputWriter(spark, historyDir);
    this.night = new OutputWriter(spark, runDir(historyDir, date));
  }

  public static String runDir(String historyDir, LocalDate date) {
    return new Path(new Path(historyDir, "runs"), date.toString()).toString();
  }

  @Override
  public void writeFindings(Dataset<Row> findings) {
    replacePartition(findings, FINDINGS_HISTORY);
    night.writeCsv(findings, "findings.csv");
  }

  @Override
  public void writeQuarantine(Dataset<Row> quarantine) {
    replacePartition(quarantine, QUARANTINE_HISTORY);
  }

  private void replacePartition(Dataset<Row> data, String table) {
    data.withColumn(RUN_DATE, lit(java.sql.Date.valueOf(date)).cast(DataTypes.DateType))
        .write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", RUN_DATE + " = DATE'" + date + "'")
        .partitionBy(RUN_DATE)
        .save(root.path(table));
  }

  @Override
  public void writeText(String name, String content) {
    night.writeText(name, content);
  }

  @Override
  public String location(String output) {
    return switch (output) {
      case "findings" -> root.path(FINDINGS_HISTORY) + " (run_date = " + date + ")";
      case "quarantine" -> root.path(QUARANTINE_HISTORY) + " (run_date = " + date + ")";
      default -> night.path(output);
    };
  }

  public String historyDir() {
    return historyDir;
  }
}
