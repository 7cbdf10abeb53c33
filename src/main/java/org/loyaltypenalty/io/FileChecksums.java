package org.loyaltypenalty.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The SHA-256 of a file's bytes, read once, as a stream, through the file's Hadoop
 * {@link FileSystem} (local, HDFS or an object store alike). The digest is of the bytes as
 * stored, before any decompression: the value {@code sha256sum} prints for the same file
 * (FIPS 180-4).
 *
 * <p>Many files are hashed on the executors ({@link #sha256All}): one task per file (up to
 * {@value #MAX_TASKS} tasks), so the driver reads none of their bytes and the files are read in
 * parallel. One file's digest is sequential by nature: a single large file is read by one task.
 */
final class FileChecksums {
  private static final int BUFFER_BYTES = 1 << 20;
  /** At most this many tasks; beyond it, a task hashes several files one after another. */
  static final int MAX_TASKS = 10_000;

  private FileChecksums() {}

  /**
   * The lower-case hex SHA-256 of each file, in the order given, computed on the executors
   * through {@code conf}'s file systems (the session's Hadoop configuration, so that the
   * executors reach the files with the driver's settings).
   */
  static List<String> sha256All(SparkSession spark, Configuration conf, List<String> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    byte[] settings = serialised(conf);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String description = spark.sparkContext().getLocalProperty("spark.job.description");
    spark.sparkContext().setJobDescription("SHA-256 of " + files.size() + " input file(s)");
    try {
      return jsc.parallelize(files, Math.min(files.size(), MAX_TASKS))
          .map(f -> sha256(settings, f)).collect();
    } finally {
      spark.sparkContext().setJobDescription(description);
    }
  }

  /** On an executor: the file's SHA-256 through the file system of the driver's settings. */
  private static String sha256(byte[] settings, String file) throws IOException {
    Configuration conf = new Configuration(false);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(settings))) {
      conf.readFields(in);
    }
    Path path = new Path(file);
    return sha256(path.getFileSystem(conf), path);
  }

  /** A Hadoop configuration as bytes (it is {@code Writable}, not {@code Serializable}). */
  private static byte[] serialised(Configuration conf) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      conf.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The lower-case hex SHA-256 of {@code file}'s bytes. */
  static String sha256(FileSystem fs, Path file) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = fs.open(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
