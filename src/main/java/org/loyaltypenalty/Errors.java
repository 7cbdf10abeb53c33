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
    String prefix = inputKey(input, "");
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

  public static UserException keyFileUnreadable(String file, String cause) {
    return new UserException(String.format(
        "privacy.key_file cannot be read: %s (%s); point it to a readable file holding the"
            + " secret key, e.g. one written by: openssl rand -hex 32 > FILE", file, cause));
  }

  public static UserException keyTooShort(String file, int bytes, int min) {
    return new UserException(String.format(
        "privacy.key_file %s holds a key of %d bytes; a key needs at least %d (write a new one"
            + " with: openssl rand -hex 32 > FILE)", file, bytes, min));
  }

  /**
   * Columns read that hold direct identifiers (phone numbers, ID numbers, e-mail addresses).
   *
   * @param found each as {@code input.column (kind, share% of the rows checked)}
   * @param customerId whether the customer id column is among them (a key would pseudonymise it)
   */
  public static UserException directIdentifiers(List<String> found, boolean customerId) {
    return new UserException(String.format(
        "the input holds direct identifiers: %s; the export should carry pseudonymous ids%s,"
            + " or, if this is intended and lawful, set privacy.allow_direct_identifiers = true"
            + " (recorded in the manifest and the report)",
        String.join("; ", found),
        customerId ? " (or set privacy.key_file to pseudonymise customer ids as they are read)"
            : " (map another column, or leave this one out of the mapping)"));
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

  /**
   * A bounded run (a night) without a valid quote in its window: most likely an export that has
   * not landed. Nothing is written, since an empty night would read as "nothing flagged".
   *
   * @param from the window's start, or null when open
   * @param until the window's end, or null when open
   * @param reasons quarantined rows per reason code
   */
  public static UserException noValidQuotesInScope(String path, Object from, Object until,
      long quarantined, Map<String, Long> reasons) {
    // rows that cannot be dated are in every night's scope, so "read" may not be 0
    return new UserException(String.format(Locale.ROOT,
        "no valid quotes from %s to %s in %s (%,d read, quarantined: %s): has the day's"
            + " export landed? (check --quotes and --date)", from, until, path, quarantined,
        reasons));
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
    String key = inputKey(what, "csv.encoding");
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

  /** {@code cohort} listed in {@code segments}: the loyalty cohort is always tested. */
  public static UserException segmentReserved(String key) {
    return new UserException(String.format(
        "config key '%s' lists 'cohort', the loyalty cohort, which every audit tests; remove it"
            + " from %s (list only the attributes tested besides it)", key, key));
  }

  /** A segment name that cannot name a column and config keys. */
  public static UserException badSegmentName(String name) {
    return new UserException(String.format(
        "segment '%s' is not a name a segment can have (lower-case letters, digits and _,"
            + " starting with a letter); name it so in segments and map the column to it with"
            + " customers.columns.<name> = %s", name, name));
  }

  /** A segment named after a column that cannot be one. */
  public static UserException segmentNotAllowed(String name, String why) {
    return new UserException(String.format(
        "segment '%s' cannot be tested: %s; remove it from segments", name, why));
  }

  /** A customers column mapped under the name of the derived segment age. */
  public static UserException badSegmentMapping(String key) {
    return new UserException(String.format(
        "config key '%s' maps a column to age, which is derived from birth_year; map the"
            + " birth years with customers.columns.birth_year = <your column name> instead", key));
  }

  /** A key about a segment that {@code segments} does not list. */
  public static UserException segmentKeyUnused(String key, String segment, List<String> listed) {
    return new UserException(String.format(
        "config key '%s' is about the segment '%s', which segments does not list (segments: %s);"
            + " add %s to segments, or remove the key", key, segment,
        listed.isEmpty() ? "none" : String.join(", ", listed), segment));
  }

  /**
   * A configured segment needs the customers input and none is given.
   *
   * @param column the customers column it would read
   * @param known whether the segment is known to come from the customers (age, or mapped)
   */
  public static UserException segmentNeedsCustomers(String segment, String column,
      boolean known) {
    if (segment.equals("age")) {
      return new UserException(
          "segment age needs the customers' birth years: pass --customers PATH with a column"
              + " birth_year (or map yours with customers.columns.birth_year = <your column"
              + " name>), or remove age from segments");
    }
    if (known) {
      return new UserException(String.format(
          "segment '%s' is read from the customers input (column '%s'): pass --customers PATH,"
              + " or remove %s from segments", segment, column, segment));
    }
    return new UserException(String.format(
        "unknown segment '%s': it is not age or a quotes column that can be a segment (%s), so"
            + " it must be a column of the customers input, and no --customers is given; pass"
            + " --customers PATH with a column '%s' (or map yours with customers.columns.%s ="
            + " <your column name>), or remove it from segments",
        segment, String.join(", ", Columns.Quotes.SEGMENTS), segment, segment));
  }

  /**
   * An input lacks the column a configured segment reads.
   *
   * @param input quotes or customers
   * @param segment the segment (age for birth_year)
   * @param canonical the contract name of the column
   * @param column the column's name in the input
   */
  public static UserException segmentColumnMissing(String input, String segment,
      String canonical, String column, Collection<String> available) {
    String found = String.join(", ", available);
    if (input.equals("quotes")) {
      return new UserException(String.format(
          "segment '%s' is a quotes column, and the quotes input has no column '%s'; columns"
              + " found: %s. Map it with columns.%s = <your column name>, read it from the"
              + " customers with customers.columns.%s = <your column name>, or remove it from"
              + " segments", segment, column, found, canonical, canonical));
    }
    if (segment.equals("age")) {
      return new UserException(String.format(
          "segment age needs the customers' birth years, and the customers input has no column"
              + " '%s'; columns found: %s. Map it with customers.columns.birth_year = <your"
              + " column name>, or remove age from segments", column, found));
    }
    boolean quoteColumn = Columns.Quotes.SEGMENTS.contains(canonical);
    return new UserException(String.format(
        "%ssegment '%s': the customers input has no column '%s'%s; columns found: %s. Map it"
            + " with customers.columns.%s = <your column name>, or remove it from segments",
        quoteColumn ? "" : "unknown ", segment, column,
        quoteColumn ? "" : " (and it is not age or a quotes column that can be a segment: "
            + String.join(", ", Columns.Quotes.SEGMENTS) + ")", found, canonical));
  }

  /**
   * A configured reference level that no quote of the run has: the comparisons of the segment
   * have nothing to compare with.
   *
   * @param seen the segment's levels in the run, in the order to list them
   */
  public static UserException segmentReferenceAbsent(String segment, String reference,
      List<String> seen) {
    return new UserException(String.format(
        "segment %s: reference level '%s' never occurs in the run (levels seen: %s); set"
            + " segment.%s.reference to one of them, or remove it to use the level with the most"
            + " customers", segment, reference, seen.isEmpty() ? "none" : String.join(", ", seen),
        segment));
  }

  /**
   * {@code offers.disclosed} lists offers, and the quotes input has no column of offer ids to
   * find them in.
   *
   * @param column the column's name in the input
   */
  public static UserException disclosedOffersWithoutColumn(String column,
      Collection<String> available) {
    return new UserException(String.format(
        "offers.disclosed lists offers, and the quotes input has no column '%s' saying which"
            + " offer a quote carried; columns found: %s. Map it with columns.offer_id = <your"
            + " column name>, or remove offers.disclosed", column,
        String.join(", ", available)));
  }

  /**
   * A quotes input with one of the two price-experiment columns and not the other: every quote
   * of an experiment needs both its experiment and its arm.
   */
  public static UserException experimentColumnMissing(String present, String missing,
      String missingSource, Collection<String> available) {
    return new UserException(String.format(
        "quotes input has column '%s' but no column '%s'%s (columns found: %s): a price"
            + " experiment needs both; map it with columns.%s = <your column name>, or leave"
            + " both out", present, missing,
        missing.equals(missingSource) ? "" : String.format(" (mapped from '%s')", missingSource),
        String.join(", ", available), missing));
  }

  /**
   * The config key {@code key} as written for {@code input}: a purchases input's keys start with
   * {@code purchases.}, a customers input's with {@code customers.} (ErrorsTest loads every key
   * an error suggests, so the two cannot drift).
   */
  private static String inputKey(String input, String key) {
    return switch (input) {
      case "purchases" -> "purchases." + key;
      case "customers" -> "customers." + key;
      default -> key;
    };
  }
}
