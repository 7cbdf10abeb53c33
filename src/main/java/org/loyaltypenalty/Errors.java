package org.loyaltypenalty;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The one factory of user-facing errors: each message says what, why, and how to fix it. */
public final class Errors {
  /** Quarantine reasons named in a one-line error; the others are counted. */
  private static final int TOP_REASONS = 3;

  private Errors() {}

  public static UserException pathNotFound(String what, String path) {
    return new UserException(
        String.format(
            "%s path not found: %s (check the path, or pass the right one with --%s)",
            what, path, what));
  }

  public static UserException pathUnreadable(String what, String path, String cause) {
    return new UserException(
        String.format("%s path cannot be read: %s (%s)", what, path, cause));
  }

  public static UserException missingColumn(
      String input, String canonical, String sourceName, Collection<String> available) {
    String mapped =
        canonical.equals(sourceName) ? "" : String.format(" (mapped from '%s')", sourceName);
    String prefix = input.equals("purchases") ? "purchases." : "";
    if (available.size() == 1) {
      String header = available.iterator().next();
      for (String sep : new String[] {";", "\t", "|", ","}) {
        if (header.contains(sep)) {
          return new UserException(String.format(
              "%s input has no column '%s'%s; its header reads as one column '%s', whose names"
                  + " look separated by '%s': set %scsv.delimiter = %s",
              input, canonical, mapped, header, sep.equals("\t") ? "\\t" : sep, prefix,
              sep.equals("\t") ? "\\t" : sep));
        }
      }
    }
    return new UserException(
        String.format(
            "%s input has no column '%s'%s; columns found: %s. Map it in the config with"
                + " %s = <your column name>",
            input, canonical, mapped, String.join(", ", available),
            inputKey(input, "columns.") + canonical));
  }

  /**
   * A required column is missing from a CSV input whose header holds {@code delimiter}: the
   * header was split on the wrong character. The suggested line is as written in a properties
   * file: a tab is {@code \\t} there (the loader trims a literal tab away; Spark reads the two
   * characters {@code \t} as a tab).
   */
  public static UserException wrongDelimiter(
      String input, String canonical, Collection<String> available, char delimiter) {
    boolean tab = delimiter == '\t';
    return new UserException(
        String.format(
            "%s input has no column '%s'; columns found: %s. The header looks separated by %s"
                + " instead: set %s = %s in the config",
            input, canonical, String.join(", ", available),
            tab ? "tabs" : "'" + delimiter + "'", inputKey(input, "csv.delimiter"),
            tab ? "\\\\t" : String.valueOf(delimiter)));
  }

  /**
   * An audit without a single valid quote: it stops before writing anything, since its empty
   * findings would read as a finding of no penalty.
   *
   * @param quarantined rows per quarantine reason (every row read)
   */
  public static UserException noValidQuotes(String path, Map<String, Long> quarantined) {
    long read = quarantined.values().stream().mapToLong(Long::longValue).sum();
    if (read == 0) {
      return new UserException(String.format(Locale.ROOT,
          "no valid quotes in %s: it has no rows, and an audit of nothing would read as a finding"
              + " of no penalty, so nothing is written (check --quotes)", path));
    }
    List<Map.Entry<String, Long>> top = quarantined.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()))
        .toList();
    StringBuilder reasons = new StringBuilder();
    for (int i = 0; i < Math.min(TOP_REASONS, top.size()); i++) {
      reasons.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d",
          top.get(i).getKey(), top.get(i).getValue()));
    }
    if (top.size() > TOP_REASONS) {
      int others = top.size() - TOP_REASONS;
      reasons.append(String.format(Locale.ROOT, ", %d other reason%s", others,
          others == 1 ? "" : "s"));
    }
    return new UserException(String.format(Locale.ROOT,
        "no valid quotes in %s: all %,d rows are quarantined (%s), and an audit of nothing would"
            + " read as a finding of no penalty, so nothing is written (check the export's format"
            + " against the config and the README's data contract)", path, read, reasons));
  }

  public static UserException unknownConfigKey(String key, String file, Collection<String> known) {
    return new UserException(
        String.format(
            "unknown config key '%s' in %s; known keys: %s", key, file, String.join(", ", known)));
  }

  public static UserException badConfigValue(String key, String value, String expected) {
    return new UserException(
        String.format("config key '%s' has value '%s'; expected %s", key, value, expected));
  }

  public static UserException configUnreadable(String file, String cause) {
    return new UserException(String.format("config file cannot be read: %s (%s)", file, cause));
  }

  public static UserException unknownFormat(String format) {
    return new UserException(
        String.format("unknown input format '%s'; use one of: csv, parquet, delta", format));
  }

  public static UserException unreadableInput(String what, String path, String format, String cause) {
    return new UserException(
        String.format(
            "%s at %s cannot be read as %s: %s (check --format, or the file itself)",
            what, path, format, cause));
  }

  /** A configured segment reference that no analysed quote has. */
  public static UserException segmentReferenceAbsent(String segment, String reference,
      List<String> seen) {
    return new UserException(String.format(Locale.ROOT,
        "segment %s: reference level '%s' never occurs in the quotes analysed (levels seen: %s);"
            + " set segment.%s.reference to one of them, or leave it out to use the level with"
            + " the most customers", segment, reference,
        seen.isEmpty() ? "none" : String.join(", ", seen), segment));
  }

  public static UserException badArgument(String message) {
    return new UserException(message);
  }

  public static UserException duplicateConfigKey(
      String key, String file, String first, String second) {
    return new UserException(String.format(
        "config key '%s' is given twice in %s (values '%s' and '%s'); keep one",
        key, file, first, second));
  }

  /**
   * Two contract columns read from one source column.
   *
   * @param implicit whether one of them is unmapped, so read from the column of its own name
   */
  public static UserException sharedSourceColumn(String firstKey, String secondKey, String input,
      String source, String file, boolean implicit) {
    return new UserException(String.format(
        "config keys %s and %s both read the %s column '%s' in %s%s; a column can hold one"
            + " contract column: map one of them to another column",
        firstKey, secondKey, input, source, file,
        implicit ? " (an unmapped contract column is read from the column of its own name)" : ""));
  }

  public static UserException emptyInput(String what, String path) {
    return new UserException(String.format(
        "%s input %s is empty: it has no header row and no records (check the export, or pass"
            + " the right file with --%s)", what, path, what));
  }

  public static UserException outputAtRoot(String option, String out) {
    return new UserException(String.format(
        "%s %s is the root of a filesystem; give the run a directory of its own, such as"
            + " %s /tmp/audit", option, out, option));
  }

  public static UserException outputInsideInput(
      String option, String out, String input, String inputDir) {
    return new UserException(String.format(
        "%s %s is inside the %s input %s, so a later run would read the outputs as input;"
            + " choose a directory outside it", option, out, input, inputDir));
  }

  public static UserException invalidEncoding(String what, String file, String encoding,
      long offset, long lines, java.util.Optional<String> suggestion) {
    String key = what.equals("purchases") ? "purchases.csv.encoding" : "csv.encoding";
    return new UserException(String.format(java.util.Locale.ROOT,
        "%s file %s is not valid %s (%,d line(s), the first at byte %,d); set %s to the file's"
            + " encoding%s", what, file, encoding, lines, offset, key,
        suggestion.map(s -> ", e.g. " + key + " = " + s + ", in which that line is valid")
            .orElse("")));
  }

  public static UserException outputInUse(String option, String dir, String holder, String lock) {
    return new UserException(String.format(
        "%s %s is in use by %s; wait for it to finish or choose another directory (if that run"
            + " was stopped, remove %s)", option, dir, holder, lock));
  }

  /**
   * The config key {@code key} as written for {@code input}: a purchases input's keys start with
   * {@code purchases.} (ErrorsTest loads every key an error suggests, so the two cannot drift).
   */
  private static String inputKey(String input, String key) {
    return ("purchases".equals(input) ? "purchases." : "") + key;
  }
}
