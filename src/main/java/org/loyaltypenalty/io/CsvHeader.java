package org.loyaltypenalty.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.loyaltypenalty.config.AuditConfig;

/**
 * The column names of a local CSV input, read from its first line before Spark starts, so that
 * a column the configuration needs and the file lacks fails at once. Only a plain local file,
 * or a local directory of them (its first data file by name), is read; a glob, a remote path, a
 * compressed file or a header with a quoted line break gives empty, and the check is left to
 * the read itself. Names are split at the configured separator; a name in double quotes is
 * unquoted, and a UTF-8 byte order mark is dropped, as Spark's reader does.
 */
public final class CsvHeader {
  private static final String BOM = "\uFEFF";

  private CsvHeader() {}

  /** The header of {@code path}, if it is a local CSV file (or directory) read this way. */
  public static Optional<List<String>> local(String path, AuditConfig.CsvOptions csv) {
    Optional<String> local = InputPaths.localPart(path);
    if (local.isEmpty() || path.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0)) {
      return Optional.empty(); // a glob or a remote path
    }
    if (csv.delimiter().length() != 1) {
      return Optional.empty(); // \t and other escapes are Spark's to read
    }
    try {
      Optional<Path> file = firstFile(Path.of(local.get()));
      if (file.isEmpty() || file.get().getFileName().toString()
          .matches(".*\\.(gz|bz2|zst|lz4|snappy|deflate|zip)$")) {
        return Optional.empty();
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(
          Files.newInputStream(file.get()), Charset.forName(csv.encoding())))) {
        String line = in.readLine();
        if (line == null) {
          return Optional.empty();
        }
        return split(line.startsWith(BOM) ? line.substring(1) : line, csv.delimiter().charAt(0));
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // the read reports what is wrong with the path or the file
    }
  }

  private static Optional<Path> firstFile(Path p) throws IOException {
    if (Files.isRegularFile(p)) {
      return Optional.of(p);
    }
    if (!Files.isDirectory(p)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(p)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("_")
              && !f.getFileName().toString().startsWith("."))
          .sorted().findFirst();
    }
  }

  /** The names of one header line; empty when a quoted name is not closed on it. */
  static Optional<List<String>> split(String line, char delimiter) {
    List<String> out = new ArrayList<>();
    StringBuilder name = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          name.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          name.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == delimiter) {
        out.add(name.toString());
        name.setLength(0);
      } else if (c != '\r') {
        name.append(c);
      }
    }
    if (quoted) {
      return Optional.empty();
    }
    out.add(name.toString());
    return Optional.of(out);
  }
}
