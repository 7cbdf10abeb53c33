package org.loyaltypenalty.io;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The SHA-256 of a file's bytes, read once, as a stream, through the file's Hadoop
 * {@link FileSystem} (local, HDFS or an object store alike). The digest is of the bytes as
 * stored, before any decompression: the value {@code sha256sum} prints for the same file
 * (FIPS 180-4).
 */
final class FileChecksums {
  private static final int BUFFER_BYTES = 1 << 20;

  private FileChecksums() {}

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
