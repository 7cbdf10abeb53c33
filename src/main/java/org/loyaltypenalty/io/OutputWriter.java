package org.loyaltypenalty.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.loyaltypenalty.text.DisplayText;

/**
 * Writes a run's outputs under one directory, through Hadoop's filesystem API so that the
 * directory may be local, HDFS or an object store. Delta tables are overwritten in one atomic
 * commit, so re-running into the same directory replaces the results, never duplicates them.
 */
public final class OutputWriter {
  private final Configuration hadoop;
  private final String outDir;

  public OutputWriter(SparkSession spark, String outDir) {
    this(spark.sparkContext().hadoopConfiguration(), outDir);
  }

  private OutputWriter(Configuration hadoop, String outDir) {
    this.hadoop = hadoop;
    this.outDir = outDir;
  }

  /**
   * A writer of small files without Spark (the {@code report} command): Hadoop's default
   * configuration, so a local path or a URI whose filesystem is on the class path.
   */
  public static OutputWriter withoutSpark(String outDir) {
    return new OutputWriter(new Configuration(), outDir);
  }

  /** A writer under the folder {@code name} of this one. */
  public OutputWriter child(String name) {
    return new OutputWriter(hadoop, path(name));
  }

  public String path(String name) {
    return new Path(outDir, name).toString();
  }

  /** Replaces the Delta table {@code name} with {@code data}. */
  public void writeDelta(Dataset<Row> data, String name) {
    data.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true")
        .save(path(name));
  }

  /** The first characters that make a spreadsheet run a cell as a formula. */
  private static final String FORMULA_START = "=+-@\t\r";
  private static final UserDefinedFunction SAFE_CELL =
      udf((UDF1<String, String>) OutputWriter::safeCell, DataTypes.StringType);

  /**
   * Writes {@code data} as one CSV file {@code name} with a header. String cells are written as
   * {@link #safeCell} gives them: one plain function per column, not Spark expressions (the rule
   * as expressions is a dozen regular-expression replacements per string column, repeated where
   * the result is read, and Spark generates and compiles that code for every CSV it writes).
   */
  public void writeCsv(Dataset<Row> data, String name) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : data.schema().fields()) {
      Column c = col("`" + f.name() + "`");
      if (f.dataType() instanceof StringType) {
        c = SAFE_CELL.apply(c);
      }
      cols.add(c.as(f.name()));
    }
    writeCsvAsIs(data.select(cols.toArray(Column[]::new)), name);
  }

  /**
   * A string cell as a CSV of ours holds it: each bidirectional control (U+202E and the others of
   * {@link DisplayText#BIDI_CONTROLS}) written as {@code [U+202E]} (in a spreadsheet it would
   * reorder the cell: {@code M5\u202Egnp.exe} shows as {@code M5exe.png}), then a cell that a
   * spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return)
   * prefixed with an apostrophe (OWASP, "CSV Injection"). Null stays null.
   */
  static String safeCell(String value) {
    String v = DisplayText.visibleControls(value);
    return v != null && !v.isEmpty() && FORMULA_START.indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
  }

  /** Writes {@code data} as a directory {@code name} of CSV part files with headers. */
  public void writeCsvParts(Dataset<Row> data, String name) {
    data.write().mode(SaveMode.Overwrite).option("header", "true").option("escape", "\"")
        .csv(path(name));
  }

  /** Replaces the Parquet directory {@code name} with {@code data}. */
  public void writeParquet(Dataset<Row> data, String name) {
    data.write().mode(SaveMode.Overwrite).parquet(path(name));
  }

  /** Writes {@code data} as one CSV file {@code name} with a header, values exactly as they are. */
  public void writeCsvAsIs(Dataset<Row> data, String name) {
    Path target = new Path(outDir, name);
    Path staging = new Path(target.getParent(), "_" + target.getName() + ".staging");
    data.coalesce(1).write().mode(SaveMode.Overwrite)
        .option("header", "true").option("escape", "\"").csv(staging.toString());
    try {
      FileSystem fs = staging.getFileSystem(hadoop);
      FileStatus[] parts = fs.globStatus(new Path(staging, "part-*.csv"));
      fs.delete(target, false);
      if (parts.length == 1) {
        fs.rename(parts[0].getPath(), target);
        fs.delete(new Path(target.getParent(), "." + target.getName() + ".crc"), false);
      } else {
        writeText(name, String.join(",", data.columns()) + "\n");
      }
      fs.delete(staging, true);
    } catch (IOException e) {
      throw new IllegalStateException("could not write " + target + ": " + e.getMessage(), e);
    }
  }

  /** The text of the small file {@code name}, or empty when there is none. */
  public java.util.Optional<String> readText(String name) {
    Path source = new Path(outDir, name);
    try {
      FileSystem fs = source.getFileSystem(hadoop);
      if (!fs.exists(source)) {
        return java.util.Optional.empty();
      }
      try (java.io.InputStream in = fs.open(source)) {
        return java.util.Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not read " + source + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the file {@code name} if it exists. */
  public void delete(String name) {
    Path target = new Path(outDir, name);
    try {
      target.getFileSystem(hadoop).delete(target, false);
    } catch (IOException e) {
      throw new IllegalStateException("could not delete " + target + ": " + e.getMessage(), e);
    }
  }

  /** Writes a small text file (manifest, report), replacing it. */
  public void writeText(String name, String content) {
    writeBytes(name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a small binary file (the PDF report), replacing it. */
  public void writeBytes(String name, byte[] content) {
    Path target = new Path(outDir, name);
    try {
      FileSystem fs = target.getFileSystem(hadoop);
      Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(content);
      }
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        FileUtil.copy(fs, tmp, fs, target, true, hadoop);
      }
      fs.delete(new Path(target.getParent(), "." + target.getName() + ".crc"), false);
    } catch (IOException e) {
      throw new IllegalStateException("could not write " + target + ": " + e.getMessage(), e);
    }
  }
}
