package org.loyaltypenalty.io;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.loyaltypenalty.Errors;

/**
 * Checks that a local input path exists before Spark starts (which takes seconds), so that a
 * mistyped path fails at once with the same message {@link InputReader} gives. Paths with a
 * scheme other than {@code file:} (hdfs, s3a, abfss, ...) are left to Spark and its credentials.
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

  /** The local path to check: {@code path} up to its first wildcard; empty for a remote URI. */
  static Optional<String> localPart(String path) {
    String local = path;
    int colon = path.indexOf(':');
    if (colon > 1) { // a scheme (a single letter before ':' is a Windows drive)
      try {
        URI uri = new URI(path.replace(" ", "%20"));
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
          return Optional.empty();
        }
        local = uri.getPath();
      } catch (URISyntaxException e) {
        return Optional.empty();
      }
    }
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
}
