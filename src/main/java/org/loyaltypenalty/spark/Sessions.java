package org.loyaltypenalty.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.loyaltypenalty.config.AuditConfig;

/**
 * Opens the SparkSession the jobs run in. Under {@code spark-submit} the master and resources
 * come from the submit command; run from the jar on its own, the session is embedded in local
 * mode on all cores.
 */
public final class Sessions {
  private Sessions() {}

  /**
   * A session for one job. Closing the handle stops the session only if this call created it:
   * a session that already existed (a notebook's, a test suite's) is left running.
   */
  public record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }

  public static Handle open(String appName, AuditConfig config) {
    scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
    if (existing.isDefined()) {
      apply(existing.get(), config);
      return new Handle(existing.get(), false);
    }
    return new Handle(build(appName, config), true);
  }

  private static SparkSession build(String appName, AuditConfig config) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!conf.contains("spark.master")) {
      builder
          .master("local[*]")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.adaptive.enabled", "true");
    }
    return configure(builder, config).getOrCreate();
  }

  /** The settings every session of ours needs, embedded or submitted. */
  public static SparkSession.Builder configure(SparkSession.Builder builder, AuditConfig config) {
    return builder
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", config.timezone().getId())
        .config("spark.sql.shuffle.partitions", Integer.toString(config.shufflePartitions()))
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.debug.maxToStringFields", "500");
  }

  /** Applies the per-run settings to a session that already exists (tests, notebooks). */
  public static void apply(SparkSession spark, AuditConfig config) {
    spark.conf().set("spark.sql.session.timeZone", config.timezone().getId());
    spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(config.shufflePartitions()));
  }
}
