package org.loyaltypenalty.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Column;

import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.History;

/**
 * The nightly history: Delta tables under one directory ({@link RunLayout#FINDINGS_HISTORY},
 * {@link RunLayout#QUARANTINE_HISTORY}, {@link RunLayout#PENALTY_STATUS}), partitioned by
 * {@link History#RUN_DATE}. A night's partition is replaced in one atomic Delta commit
 * ({@code replaceWhere}), so re-running a date replaces that date and a run killed halfway
 * leaves the previous commit readable.
 */
public final class HistoryStore {
  /** The table property that limits the columns whose statistics a commit records. */
  private static final String NO_STATS = "delta.dataSkippingNumIndexedCols";

  private final SparkSession spark;
  private final OutputWriter root;

  public HistoryStore(SparkSession spark, String historyDir) {
    this.spark = spark;
    this.root = new OutputWriter(spark, historyDir);
  }

  /** The nights that have a run directory ({@link RunLayout#nightRun}), earliest first. */
  public List<LocalDate> runNights() {
    org.apache.hadoop.fs.Path runs = new org.apache.hadoop.fs.Path(root.path(RunLayout.RUNS));
    try {
      org.apache.hadoop.fs.FileSystem fs =
          runs.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(runs)) {
        return List.of();
      }
      List<LocalDate> out = new java.util.ArrayList<>();
      for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(runs)) {
        try {
          out.add(LocalDate.parse(f.getPath().getName()));
        } catch (java.time.format.DateTimeParseException notANight) {
          // another folder an operator put there
        }
      }
      out.sort(null);
      return out;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("could not list " + runs + ": " + e.getMessage(), e);
    }
  }

  /** Where {@code table} is. */
  public String location(String table) {
    return root.path(table);
  }

  /** The whole of {@code table}, every night. */
  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(root.path(table));
  }

  /**
   * Replaces the partition of {@code date} in {@code table} with {@code data} (which gets the
   * run date column) in one commit. Columns a newer version adds are merged into the table's
   * schema (older nights read them as null), so an upgrade does not stop the nightly job.
   */
  public void replaceNight(Dataset<Row> data, String table, LocalDate date) {
    replaceNight(data, table, date, false);
  }

  /**
   * {@link #replaceNight(Dataset, String, LocalDate)} for a table of row-level data: its commits
   * record no column statistics (which would copy values of the rows into the table's log,
   * where deleting the rows does not reach).
   */
  public void replaceRowLevelNight(Dataset<Row> data, String table, LocalDate date) {
    replaceNight(data, table, date, true);
  }

  private void replaceNight(Dataset<Row> data, String table, LocalDate date, boolean rowLevel) {
    var writer = data
        .withColumn(History.RUN_DATE, lit(java.sql.Date.valueOf(date)).cast(DataTypes.DateType))
        .write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", History.RUN_DATE + " = DATE'" + date + "'")
        .option("mergeSchema", "true")
        .partitionBy(History.RUN_DATE);
    if (rowLevel) {
      writer = writer.option(NO_STATS, "0");
    }
    writer.save(root.path(table));
  }

  /**
   * Deletes the nights of {@code table} before {@code first} and removes their files from disk:
   * one Delta delete, then a vacuum that keeps no file the current version does not read (the
   * table's older versions go with them). Does nothing when the table is not there yet.
   *
   * @return the nights deleted, earliest first
   */
  public List<LocalDate> dropNightsBefore(String table, LocalDate first) {
    String path = root.path(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return List.of();
    }
    DeltaTable delta = DeltaTable.forPath(spark, path);
    Column old = col(History.RUN_DATE).lt(lit(java.sql.Date.valueOf(first)));
    List<LocalDate> nights = delta.toDF().filter(old).select(History.RUN_DATE).distinct()
        .orderBy(History.RUN_DATE).collectAsList().stream()
        .map(r -> r.getDate(0).toLocalDate()).toList();
    if (nights.isEmpty()) {
      return nights;
    }
    delta.delete(old);
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    String before = spark.conf().get(check, "true");
    spark.conf().set(check, "false");
    try {
      delta.vacuum(0.0);
    } finally {
      spark.conf().set(check, before);
    }
    return nights;
  }
}
