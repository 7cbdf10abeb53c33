package org.loyaltypenalty.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.segment.AgeBands;
import org.loyaltypenalty.segment.SegmentSpec;
import org.loyaltypenalty.segment.Segments;

/**
 * Reads a Java properties file into an {@link AuditConfig}. Unknown keys and bad values fail at
 * start-up with a message naming the key; nothing is silently ignored.
 */
public final class ConfigLoader {
  static final String QUOTE_MAPPING_PREFIX = "columns.";
  static final String PURCHASE_MAPPING_PREFIX = "purchases.columns.";
  static final String CUSTOMER_MAPPING_PREFIX = "customers.columns.";
  static final String SEGMENT_PREFIX = "segment.";
  static final String REFERENCE_SUFFIX = ".reference";
  /** A segment's name: it names a column ({@code segment_<name>}) and config keys. */
  private static final Pattern SEGMENT_NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhd])");

  private ConfigLoader() {}

  /** Loads {@code file}, or the defaults when {@code file} is null. */
  public static AuditConfig load(Path file) {
    if (file == null) {
      return fromMap(Map.of(), "defaults");
    }
    Properties props = new UniqueKeyProperties(file.toString());
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (org.loyaltypenalty.UserException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw Errors.configUnreadable(file.toString(), e.getMessage());
    }
    Map<String, String> values = new HashMap<>();
    props.stringPropertyNames().forEach(k -> values.put(k.trim(), props.getProperty(k).trim()));
    return fromMap(values, file.toString());
  }

  /** Builds a config from key/value pairs; {@code origin} names them in error messages. */
  public static AuditConfig fromMap(Map<String, String> values, String origin) {
    Map<String, String> quoteMapping = new HashMap<>();
    Map<String, String> purchaseMapping = new HashMap<>();
    Map<String, String> customerMapping = new HashMap<>();
    Map<String, String> references = new HashMap<>();
    Map<String, String> scalars = new HashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(PURCHASE_MAPPING_PREFIX)) {
        String canonical = key.substring(PURCHASE_MAPPING_PREFIX.length());
        requireKnown(key, canonical, Columns.Purchases.all(), origin);
        purchaseMapping.put(canonical, e.getValue());
      } else if (key.startsWith(QUOTE_MAPPING_PREFIX)) {
        String canonical = key.substring(QUOTE_MAPPING_PREFIX.length());
        requireKnown(key, canonical, Columns.Quotes.all(), origin);
        quoteMapping.put(canonical, e.getValue());
      } else if (key.startsWith(CUSTOMER_MAPPING_PREFIX)) {
        customerMapping.put(key.substring(CUSTOMER_MAPPING_PREFIX.length()), e.getValue());
      } else if (ConfigKey.of(key).isPresent()) {
        scalars.put(key, e.getValue());
      } else if (key.startsWith(SEGMENT_PREFIX) && key.endsWith(REFERENCE_SUFFIX)
          && key.length() > SEGMENT_PREFIX.length() + REFERENCE_SUFFIX.length()) {
        references.put(key.substring(SEGMENT_PREFIX.length(),
            key.length() - REFERENCE_SUFFIX.length()), e.getValue());
      } else {
        throw Errors.unknownConfigKey(key, origin, knownKeys());
      }
    }
    requireDistinctSources(quoteMapping, Columns.Quotes.all(), QUOTE_MAPPING_PREFIX, "quotes", origin);
    requireDistinctSources(
        purchaseMapping, Columns.Purchases.all(), PURCHASE_MAPPING_PREFIX, "purchases", origin);
    Values v = new Values(scalars);
    List<SegmentSpec> segments = segments(v, references, customerMapping);
    requireDistinctSources(customerMapping, customerNames(segments, customerMapping),
        CUSTOMER_MAPPING_PREFIX, "customers", origin);
    String currency = v.string(ConfigKey.DEFAULT_CURRENCY).toUpperCase(Locale.ROOT);
    if (!currency.isEmpty() && !currency.matches("[A-Z]{3}")) {
      throw Errors.badConfigValue(
          ConfigKey.DEFAULT_CURRENCY.key(), currency, "a three-letter ISO 4217 code such as GBP");
    }
    int repeatMin = v.positiveInt(ConfigKey.REPEAT_MIN);
    int loyalMin = v.positiveInt(ConfigKey.LOYAL_MIN);
    if (loyalMin <= repeatMin) {
      throw Errors.badConfigValue(
          ConfigKey.LOYAL_MIN.key(), Integer.toString(loyalMin),
          "a number larger than cohort.repeat_min (" + repeatMin + ")");
    }
    List<String> context = v.list(ConfigKey.CONTEXT_COLUMNS);
    for (String c : context) {
      if (!Columns.Quotes.CONTEXT.contains(c)) {
        throw Errors.badConfigValue(
            ConfigKey.CONTEXT_COLUMNS.key(), c,
            "a list drawn from " + String.join(",", Columns.Quotes.CONTEXT));
      }
    }
    String delimiter =
        v.string(ConfigKey.CSV_DELIMITER).isEmpty() ? "," : v.string(ConfigKey.CSV_DELIMITER);
    String encoding = v.encoding(ConfigKey.CSV_ENCODING);
    return new AuditConfig(
        new ColumnMapping(quoteMapping),
        new ColumnMapping(purchaseMapping),
        v.zone(ConfigKey.INPUT_TIMEZONE),
        delimiter,
        encoding,
        v.string(ConfigKey.PURCHASES_CSV_DELIMITER).isEmpty() ? delimiter
            : v.string(ConfigKey.PURCHASES_CSV_DELIMITER),
        v.string(ConfigKey.PURCHASES_CSV_ENCODING).isEmpty() ? encoding
            : v.encoding(ConfigKey.PURCHASES_CSV_ENCODING),
        numbers(v),
        currency.isEmpty() ? Optional.empty() : Optional.of(currency),
        v.bool(ConfigKey.GENERATE_QUOTE_ID),
        new LinkedHashSet<>(v.list(ConfigKey.EXCLUDE_SKUS)),
        v.positiveInt(ConfigKey.LOOKBACK_DAYS),
        repeatMin,
        loyalMin,
        v.instant(ConfigKey.HISTORY_START),
        v.duration(ConfigKey.TIME_BUCKET),
        context,
        v.fraction(ConfigKey.FDR_Q),
        v.nonNegativeDouble(ConfigKey.MATERIALITY_PCT),
        v.fraction(ConfigKey.CONFIDENCE),
        v.positiveInt(ConfigKey.MIN_QUOTES),
        v.positiveInt(ConfigKey.MIN_CUSTOMERS),
        v.positiveDouble(ConfigKey.PRICE_UNIT),
        v.longValue(ConfigKey.PLACEBO_SEED),
        v.nonNegativeInt(ConfigKey.CELLS_PER_SKU),
        v.positiveInt(ConfigKey.PERSISTENCE_RUNS),
        v.positiveInt(ConfigKey.SHUFFLE_PARTITIONS),
        v.oneOf(ConfigKey.REPORT_LANG, List.of("en", "zh-CN")),
        v.positiveInt(ConfigKey.REPORT_MIN_CUSTOMERS),
        v.nonNegativeInt(ConfigKey.REPORT_FIGURE_SKUS),
        v.nonNegativeInt(ConfigKey.REPORT_ANNEX_QUOTES),
        v.share(ConfigKey.MAX_QUARANTINE_SHARE),
        segments,
        new ColumnMapping(customerMapping),
        v.string(ConfigKey.CUSTOMERS_CSV_DELIMITER).isEmpty() ? delimiter
            : v.string(ConfigKey.CUSTOMERS_CSV_DELIMITER),
        v.string(ConfigKey.CUSTOMERS_CSV_ENCODING).isEmpty() ? encoding
            : v.encoding(ConfigKey.CUSTOMERS_CSV_ENCODING),
        v.nonNegativeInt(ConfigKey.FAMILY_MIN_CUSTOMERS));
  }

  /**
   * The configured segments, in the order listed: each name a lower-case identifier, listed
   * once, not {@code cohort} (the loyalty cohort is always tested); each reference key names a
   * listed segment, and the age reference is one of its band labels. The age bands are read
   * only when {@code age} is listed, and may be set only then; a customers column mapping names
   * {@code customer_id}, {@code birth_year} or a listed segment.
   */
  private static List<SegmentSpec> segments(Values v, Map<String, String> references,
      Map<String, String> customerMapping) {
    List<String> names = v.list(ConfigKey.SEGMENTS);
    List<SegmentSpec> out = new ArrayList<>();
    for (String name : names) {
      if (name.equals(SegmentSpec.COHORT)) {
        throw Errors.segmentReserved(ConfigKey.SEGMENTS.key());
      }
      if (!SEGMENT_NAME.matcher(name).matches()) {
        throw Errors.badSegmentName(name);
      }
      if (name.equals(Columns.Customers.CUSTOMER_ID)) {
        throw Errors.segmentNotAllowed(name, "each customer would be a group of one");
      }
      if (List.of(Columns.Derived.RAW, Columns.Derived.REASON, Columns.Derived.SOURCE)
          .contains(name)) {
        throw Errors.segmentNotAllowed(name, "the name is taken by a column of the quarantine;"
            + " name the segment otherwise and map the column to that name with"
            + " customers.columns.<name> = " + name);
      }
      if (name.equals(Columns.Customers.BIRTH_YEAR)) {
        throw Errors.segmentNotAllowed(name,
            "the birth year never leaves the step that reads it; test the age bands with age");
      }
      if (out.stream().anyMatch(s -> s.name().equals(name))) {
        throw Errors.badConfigValue(ConfigKey.SEGMENTS.key(), v.string(ConfigKey.SEGMENTS),
            "each segment listed once ('" + name + "' is listed twice)");
      }
      List<Integer> bands = name.equals(SegmentSpec.AGE) ? ageBands(v) : List.of();
      Optional<String> reference = Optional.ofNullable(references.get(name))
          .map(r -> r.trim().toLowerCase(Locale.ROOT));
      String referenceKey = SEGMENT_PREFIX + name + REFERENCE_SUFFIX;
      if (reference.isPresent() && reference.get().isEmpty()) {
        throw Errors.badConfigValue(referenceKey, "",
            "a level of " + name + " (or remove the key: the level with the most customers)");
      }
      if (reference.isPresent() && name.equals(SegmentSpec.AGE)) {
        List<String> labels = new AgeBands(bands).labels();
        if (!labels.contains(reference.get())) {
          throw Errors.badConfigValue(referenceKey, reference.get(),
              "one of the age bands of segment.age.bands: " + String.join(", ", labels));
        }
      }
      out.add(new SegmentSpec(name, reference, bands));
    }
    for (String name : new java.util.TreeSet<>(references.keySet())) {
      if (!names.contains(name)) {
        throw Errors.segmentKeyUnused(SEGMENT_PREFIX + name + REFERENCE_SUFFIX, name, names);
      }
    }
    if (v.raw().containsKey(ConfigKey.AGE_BANDS.key()) && !names.contains(SegmentSpec.AGE)) {
      throw Errors.segmentKeyUnused(ConfigKey.AGE_BANDS.key(), SegmentSpec.AGE, names);
    }
    for (String name : new java.util.TreeSet<>(customerMapping.keySet())) {
      if (!name.equals(Columns.Customers.CUSTOMER_ID) && !name.equals(Columns.Customers.BIRTH_YEAR)
          && !names.contains(name)) {
        throw Errors.segmentKeyUnused(CUSTOMER_MAPPING_PREFIX + name, name, names);
      }
      if (name.equals(SegmentSpec.AGE)) {
        throw Errors.badSegmentMapping(CUSTOMER_MAPPING_PREFIX + name);
      }
    }
    return out;
  }

  /** {@code segment.age.bands}: strictly increasing whole numbers above 0. */
  private static List<Integer> ageBands(Values v) {
    String value = v.string(ConfigKey.AGE_BANDS);
    List<Integer> edges = new ArrayList<>();
    try {
      for (String edge : v.list(ConfigKey.AGE_BANDS)) {
        edges.add(Integer.parseInt(edge));
      }
      new AgeBands(edges);
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw Errors.badConfigValue(ConfigKey.AGE_BANDS.key(), value,
          "strictly increasing whole numbers above 0, comma-separated, such as "
              + ConfigKey.AGE_BANDS.defaultValue());
    }
    return edges;
  }

  /** The customers columns the run reads: each from a column of its own. */
  private static List<String> customerNames(List<SegmentSpec> segments,
      Map<String, String> customerMapping) {
    Set<String> names = new java.util.TreeSet<>(customerMapping.keySet());
    names.addAll(Segments.customerColumns(segments, new ColumnMapping(customerMapping)));
    names.add(Columns.Customers.CUSTOMER_ID);
    return List.copyOf(names);
  }

  private static final Map<String, String> SEPARATORS =
      Map.of("", "", "none", "", "comma", ",", "dot", ".", "space", " ", "apostrophe", "'");

  /** The config's name of a thousands separator. */
  static String separatorName(String separator) {
    return SEPARATORS.entrySet().stream().filter(e -> e.getValue().equals(separator))
        .map(Map.Entry::getKey).filter(k -> !k.isEmpty()).sorted().findFirst().orElse("none");
  }

  private static NumberFormats numbers(Values v) {
    String decimal = v.string(ConfigKey.DECIMAL_SEPARATOR).trim();
    if (!NumberFormats.DECIMALS.contains(decimal)) {
      throw Errors.badConfigValue(ConfigKey.DECIMAL_SEPARATOR.key(), decimal, ". or ,");
    }
    String name = v.string(ConfigKey.THOUSANDS_SEPARATOR).trim().toLowerCase(Locale.ROOT);
    String thousands = SEPARATORS.get(name);
    if (thousands == null) {
      throw Errors.badConfigValue(ConfigKey.THOUSANDS_SEPARATOR.key(), name,
          "none, comma, dot, space or apostrophe");
    }
    if (thousands.equals(decimal)) {
      throw Errors.badConfigValue(ConfigKey.THOUSANDS_SEPARATOR.key(), name,
          "a separator other than the decimal separator (" + decimal + ")");
    }
    return new NumberFormats(decimal, thousands);
  }

  static String formatDuration(Duration d) {
    long s = d.getSeconds();
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    } else if (s % 3600 == 0) {
      return s / 3600 + "h";
    } else if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  private static void requireKnown(String key, String canonical, List<String> names, String origin) {
    if (!names.contains(canonical)) {
      throw Errors.unknownConfigKey(key, origin, knownKeys());
    }
  }

  /**
   * Each source column holds one contract column: two mapped to the same source column, or one
   * mapped onto the name of an unmapped contract column (which is read from the column of its own
   * name), would read one column twice and silently change what a roll-up means.
   */
  private static void requireDistinctSources(Map<String, String> mapping, List<String> names,
      String prefix, String input, String origin) {
    Map<String, String> readBy = new java.util.TreeMap<>();
    for (String canonical : new java.util.TreeSet<>(names)) {
      String source = mapping.getOrDefault(canonical, canonical);
      String other = readBy.putIfAbsent(source, canonical);
      if (other != null) {
        boolean implicit = !mapping.containsKey(canonical) || !mapping.containsKey(other);
        throw Errors.sharedSourceColumn(prefix + other, prefix + canonical, input, source, origin,
            implicit);
      }
    }
  }

  /** Properties that refuse a key given twice instead of keeping the last value. */
  private static final class UniqueKeyProperties extends Properties {
    private final String origin;

    UniqueKeyProperties(String origin) {
      this.origin = origin;
    }

    @Override
    public synchronized Object put(Object key, Object value) {
      String k = key.toString().trim();
      for (Object seen : keySet()) {
        if (seen.toString().trim().equals(k)) {
          throw Errors.duplicateConfigKey(k, origin, get(seen).toString().trim(),
              value.toString().trim());
        }
      }
      return super.put(key, value);
    }
  }

  private static List<String> knownKeys() {
    List<String> keys = new ArrayList<>();
    for (ConfigKey k : ConfigKey.values()) {
      keys.add(k.key());
    }
    keys.add(QUOTE_MAPPING_PREFIX + "<" + String.join("|", Columns.Quotes.all()) + ">");
    keys.add(PURCHASE_MAPPING_PREFIX + "<" + String.join("|", Columns.Purchases.all()) + ">");
    keys.add(CUSTOMER_MAPPING_PREFIX + "<customer_id|birth_year|a segment>");
    keys.add(SEGMENT_PREFIX + "<segment>" + REFERENCE_SUFFIX);
    return keys;
  }

  /** Typed access to scalar values, falling back to each key's default. */
  private record Values(Map<String, String> raw) {
    String string(ConfigKey k) {
      return raw.getOrDefault(k.key(), k.defaultValue());
    }

    List<String> list(ConfigKey k) {
      String s = string(k);
      if (s.isBlank()) {
        return List.of();
      }
      return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    boolean bool(ConfigKey k) {
      String s = string(k).toLowerCase(Locale.ROOT);
      if (!s.equals("true") && !s.equals("false")) {
        throw Errors.badConfigValue(k.key(), s, "true or false");
      }
      return Boolean.parseBoolean(s);
    }

    String oneOf(ConfigKey k, List<String> allowed) {
      String s = string(k).trim();
      if (!allowed.contains(s)) {
        throw Errors.badConfigValue(k.key(), s, "one of " + String.join(", ", allowed));
      }
      return s;
    }

    int positiveInt(ConfigKey k) {
      int n = integer(k);
      if (n <= 0) {
        throw Errors.badConfigValue(k.key(), string(k), "a whole number above 0");
      }
      return n;
    }

    int nonNegativeInt(ConfigKey k) {
      int n = integer(k);
      if (n < 0) {
        throw Errors.badConfigValue(k.key(), string(k), "a whole number, 0 or more");
      }
      return n;
    }

    private int integer(ConfigKey k) {
      try {
        return Integer.parseInt(string(k));
      } catch (NumberFormatException e) {
        throw Errors.badConfigValue(k.key(), string(k), "a whole number");
      }
    }

    long longValue(ConfigKey k) {
      try {
        return Long.parseLong(string(k));
      } catch (NumberFormatException e) {
        throw Errors.badConfigValue(k.key(), string(k), "a whole number");
      }
    }

    private double number(ConfigKey k) {
      try {
        double d = Double.parseDouble(string(k));
        if (!Double.isFinite(d)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw Errors.badConfigValue(k.key(), string(k), "a number");
      }
    }

    double fraction(ConfigKey k) {
      double d = number(k);
      if (d <= 0 || d >= 1) {
        throw Errors.badConfigValue(k.key(), string(k), "a number strictly between 0 and 1");
      }
      return d;
    }

    double share(ConfigKey k) {
      double d = number(k);
      if (d < 0 || d > 1) {
        throw Errors.badConfigValue(k.key(), string(k), "a number from 0 to 1");
      }
      return d;
    }

    double nonNegativeDouble(ConfigKey k) {
      double d = number(k);
      if (d < 0) {
        throw Errors.badConfigValue(k.key(), string(k), "a number, 0 or more");
      }
      return d;
    }

    double positiveDouble(ConfigKey k) {
      double d = number(k);
      if (d <= 0) {
        throw Errors.badConfigValue(k.key(), string(k), "a number above 0");
      }
      return d;
    }

    /** The canonical name of an ASCII-compatible encoding Java knows. */
    String encoding(ConfigKey k) {
      String name = string(k);
      try {
        java.nio.charset.Charset cs = java.nio.charset.Charset.forName(name);
        if (asciiCompatible(cs)) {
          return cs.name();
        }
      } catch (IllegalArgumentException e) {
        // unknown or illegal name: the message below
      }
      throw Errors.badConfigValue(k.key(), name,
          "an ASCII-compatible encoding such as UTF-8, GB18030, Big5, Shift_JIS or windows-1252");
    }

    ZoneId zone(ConfigKey k) {
      try {
        return ZoneId.of(string(k));
      } catch (DateTimeException e) {
        throw Errors.badConfigValue(k.key(), string(k), "an IANA zone id such as UTC or Asia/Shanghai");
      }
    }

    Duration duration(ConfigKey k) {
      Matcher m = DURATION.matcher(string(k).toLowerCase(Locale.ROOT));
      if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
        throw Errors.badConfigValue(k.key(), string(k), "a duration such as 15m, 1h or 1d");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }

    Optional<Instant> instant(ConfigKey k) {
      String s = string(k);
      if (s.isBlank()) {
        return Optional.empty();
      }
      try {
        return Optional.of(OffsetDateTime.parse(s).toInstant());
      } catch (DateTimeException ignored) {
        // try the next form
      }
      try {
        return Optional.of(LocalDateTime.parse(s).atZone(zone(ConfigKey.INPUT_TIMEZONE)).toInstant());
      } catch (DateTimeException ignored) {
        // try the next form
      }
      try {
        return Optional.of(LocalDate.parse(s).atStartOfDay(zone(ConfigKey.INPUT_TIMEZONE)).toInstant());
      } catch (DateTimeException e) {
        throw Errors.badConfigValue(k.key(), s, "an ISO date or timestamp such as 2024-01-01");
      }
    }
  }

  /**
   * Whether {@code encoding} writes the CSV syntax ({@code \n}, {@code \r}, {@code "}, and the
   * printable ASCII characters) as ASCII does, which the line-by-line probe relies on.
   */
  private static boolean asciiCompatible(java.nio.charset.Charset encoding) {
    StringBuilder ascii = new StringBuilder("\n\r\t");
    for (char c = 0x20; c < 0x7f; c++) {
      ascii.append(c);
    }
    byte[] expected = ascii.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return encoding.canEncode() && Arrays.equals(expected, ascii.toString().getBytes(encoding));
  }
}
