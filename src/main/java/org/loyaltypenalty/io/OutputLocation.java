package org.loyaltypenalty.io;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import org.loyaltypenalty.Errors;

/**
 * Checks where a run writes before anything starts: never the root of a filesystem, and never
 * inside a directory an input reads (a later run would read the outputs back as input).
 *
 * <p>The directory an input reads is the input itself when it is a directory, the folders before
 * the first wildcard of a glob ({@code exports/*.csv} reads {@code exports}), and nothing when
 * it is a file (the output may then sit beside it, but not on it). Local paths are compared
 * after resolving them against the working directory and removing {@code .} and {@code ..};
 * paths with another scheme ({@code s3a://}, {@code hdfs://}) are compared as normalised URIs,
 * by scheme, authority and path.
 */
public final class OutputLocation {
  private OutputLocation() {}

  /**
   * Refuses {@code out} when it is a filesystem root or lies inside (or is) a directory one of
   * {@code inputs} reads.
   *
   * @param option the option naming the output ({@code --out}, {@code --history})
   * @param inputs input name ({@code quotes}) to its path as given; absent inputs are left out
   */
  public static void check(String option, String out, Map<String, String> inputs) {
    Location o = Location.of(out);
    if (o.isRoot()) {
      throw Errors.outputAtRoot(option, out);
    }
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      Optional<Location> read = readDirectory(input.getValue());
      Location given = Location.of(input.getValue());
      if (read.isPresent() && o.isInside(read.get())) {
        throw Errors.outputInsideInput(option, out, input.getKey(), read.get().shown());
      }
      if (o.isInside(given)) {
        throw Errors.outputInsideInput(option, out, input.getKey(), given.shown());
      }
    }
  }

  private static Optional<Location> readDirectory(String input) {
    int glob = firstGlob(input);
    if (glob >= 0) {
      int slash = input.lastIndexOf('/', glob);
      return slash <= 0 ? Optional.of(Location.of(slash == 0 ? "/" : "."))
          : Optional.of(Location.of(input.substring(0, slash)));
    }
    Location l = Location.of(input);
    return l.isLocalDirectory() ? Optional.of(l) : Optional.empty();
  }

  private static int firstGlob(String path) {
    for (int i = 0; i < path.length(); i++) {
      if ("*?[{".indexOf(path.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** A local path, or a URI of another filesystem. */
  private record Location(Path local, URI remote) {
    static Location of(String path) {
      try {
        URI u = new URI(path);
        if (u.getScheme() != null && u.getScheme().length() > 1 && !u.getScheme().equals("file")) {
          String p = u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath();
          return new Location(null, new URI(u.getScheme(), u.getAuthority(), p, null, null)
              .normalize());
        }
        if ("file".equals(u.getScheme())) {
          return new Location(Paths.get(u.getPath()).toAbsolutePath().normalize(), null);
        }
      } catch (URISyntaxException | IllegalArgumentException e) {
        // not a URI: a local path with characters a URI does not allow
      }
      return new Location(Paths.get(path).toAbsolutePath().normalize(), null);
    }

    boolean isRoot() {
      return local != null ? local.getParent() == null
          : remote.getPath().equals("/") || remote.getPath().isEmpty();
    }

    boolean isLocalDirectory() {
      return local != null ? Files.isDirectory(local) : remote.getPath().endsWith("/");
    }

    boolean isInside(Location dir) {
      if (local != null && dir.local != null) {
        return local.startsWith(dir.local);
      }
      if (remote != null && dir.remote != null) {
        String a = stripSlash(remote.toString());
        String b = stripSlash(dir.remote.toString());
        return a.equals(b) || a.startsWith(b + "/");
      }
      return false;
    }

    String shown() {
      return local != null ? local.toString() : remote.toString();
    }

    private static String stripSlash(String s) {
      return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
  }
}
