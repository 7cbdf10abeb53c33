package org.loyaltypenalty.io;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.loyaltypenalty.Errors;

/**
 * Local input paths before Spark starts (which takes seconds): a mistyped path fails at once with
 * the same message {@link InputReader} gives, and the size of the inputs is known before the
 * session that reads them is configured. Paths with a scheme other than {@code file:} (hdfs,
 * s3a, abfss, ...) are left to Spark and its credentials.
 */
public final class InputPaths {
  private static final String GLOB = "*?[{";

  private InputPaths() {}

  /**
   * Throws {@link Errors#pathNotFound} when {@code path} is local and not there; for a glob, when
   * the directory before its first wildcard is not there.
   *
   * @param what the input, as its option is named: quotes, purchases
   */
  public static void requireLocal(String what, String path) {
    localPart(path).ifPresent(local -> {
      if (!Files.exists(Path.of(local))) {
        throw Errors.pathNotFound(what, path);
      }
    });
  }

  /**
   * How many bytes the files of {@code paths} hold together (a directory's files below it, a
   * glob's matches), or empty when any of them is not a local path, or cannot be listed.
   */
  public static OptionalLong localBytes(Collection<String> paths) {
    long total = 0;
    try {
      FileSystem fs = FileSystem.getLocal(new Configuration());
      for (String path : paths) {
        Optional<String> local = localPath(path);
        if (local.isEmpty()) {
          return OptionalLong.empty();
        }
        FileStatus[] matches = fs.globStatus(new org.apache.hadoop.fs.Path(local.get()));
        if (matches == null) {
          return OptionalLong.empty();
        }
        for (FileStatus match : matches) {
          total += fs.getContentSummary(match.getPath()).getLength();
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty(); // a size hint only: the reader reports what is wrong
    }
    return OptionalLong.of(total);
  }

  /** The local path to check: {@code path} up to its first wildcard; empty for a remote URI. */
  static Optional<String> localPart(String path) {
    Optional<String> whole = localPath(path);
    if (whole.isEmpty()) {
      return whole;
    }
    String local = whole.get();
    int wildcard = -1;
    for (int i = 0; i < local.length() && wildcard < 0; i++) {
      if (GLOB.indexOf(local.charAt(i)) >= 0) {
        wildcard = i;
      }
    }
    if (wildcard >= 0) {
      int slash = local.lastIndexOf('/', wildcard);
      local = slash < 0 ? "." : slash == 0 ? "/" : local.substring(0, slash);
    }
    return local.isEmpty() ? Optional.empty() : Optional.of(local);
  }

  /** {@code path} as a local path, wildcards kept; empty for a remote URI. */
  private static Optional<String> localPath(String path) {
    int colon = path.indexOf(':');
    if (colon <= 1) { // no scheme (a single letter before ':' is a Windows drive)
      return Optional.of(path);
    }
    try {
      URI uri = new URI(path.replace(" ", "%20"));
      // an opaque URI (file:data/q.csv) has no path: left to Spark, as a remote one
      return "file".equalsIgnoreCase(uri.getScheme())
          ? Optional.ofNullable(uri.getPath()) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
