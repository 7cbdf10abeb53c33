package org.loyaltypenalty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.spark.Sessions;

/**
 * The one SparkSession of the test suite: local[2], UI off, two shuffle partitions, loopback
 * host, Delta configured. Created on first use and shared by every test class in the JVM.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession spark() {
    if (session == null) {
      SparkSession.Builder b = SparkSession.builder()
          .master("local[2]")
          .appName("loyalty-penalty-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.adaptive.enabled", "false");
      session = Sessions.configure(b, AuditConfig.defaults())
          .config("spark.sql.shuffle.partitions", "2")
          .getOrCreate();
    }
    Sessions.apply(session, AuditConfig.defaults());
    session.conf().set("spark.sql.shuffle.partitions", "2");
    return session;
  }

  /** A tiny all-string DataFrame, as a CSV would be read. */
  public static Dataset<Row> strings(List<String> columns, List<List<String>> rows) {
    StructType schema = new StructType();
    for (String c : columns) {
      schema = schema.add(c, DataTypes.StringType);
    }
    List<Row> data = rows.stream().map(r -> RowFactory.create(r.toArray())).toList();
    return spark().createDataFrame(data, schema);
  }

  /** Writes a CSV file with the given lines and returns its path. */
  public static String csv(Path dir, String name, String... lines) throws java.io.IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p.toString();
  }
}
