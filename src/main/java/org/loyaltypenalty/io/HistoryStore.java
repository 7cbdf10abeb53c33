package org.loyaltypenalty.io;

import static org.apache.spark.sql.functions.lit;

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
  private final SparkSession spark;
  private final OutputWriter root;

  public HistoryStore(SparkSession spark, String historyDir) {
    this.spark = spark;
    this.root = new OutputWriter(spark, historyDir);
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
    data.withColumn(History.RUN_DATE, lit(java.sql.Date.valueOf(date)).cast(DataTypes.DateType))
        .write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", History.RUN_DATE + " = DATE'" + date + "'")
        .option("mergeSchema", "true")
        .partitionBy(History.RUN_DATE)
        .save(root.path(table));
  }
}
