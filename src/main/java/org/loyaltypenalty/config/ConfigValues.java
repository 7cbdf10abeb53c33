package org.loyaltypenalty.config;

import java.nio.charset.Charset;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.loyaltypenalty.Errors;

/**
 * The scalar keys of a config ({@link ConfigKey}), read as typed values: each falls back to its
 * key's default, and a value of the wrong kind fails with a message naming the key and the
 * values it takes.
 *
 * @param raw the scalar keys as given, by key
 */
record ConfigValues(Map<String, String> raw) {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhd])");

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

  /** Free text, trimmed; empty when unset or blank. */
  Optional<String> text(ConfigKey k) {
    String s = string(k).strip();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
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
      Charset cs = Charset.forName(name);
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

  private static final Map<String, String> SEPARATORS =
      Map.of("", "", "none", "", "comma", ",", "dot", ".", "space", " ", "apostrophe", "'");

  /** The config's name of a thousands separator. */
  static String separatorName(String separator) {
    return SEPARATORS.entrySet().stream().filter(e -> e.getValue().equals(separator))
        .map(Map.Entry::getKey).filter(k -> !k.isEmpty()).sorted().findFirst().orElse("none");
  }

  /** {@code number.decimal_separator} and {@code number.thousands_separator}, checked together. */
  NumberFormats numberFormats() {
    String decimal = string(ConfigKey.DECIMAL_SEPARATOR).trim();
    if (!NumberFormats.DECIMALS.contains(decimal)) {
      throw Errors.badConfigValue(ConfigKey.DECIMAL_SEPARATOR.key(), decimal, ". or ,");
    }
    String name = string(ConfigKey.THOUSANDS_SEPARATOR).trim().toLowerCase(Locale.ROOT);
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

  /** {@code d} as the config writes it: the largest whole unit of s, m, h and d. */
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

  /**
   * Whether {@code encoding} writes the CSV syntax ({@code \n}, {@code \r}, {@code "}, and the
   * printable ASCII characters) as ASCII does, which the line-by-line probe relies on.
   */
  private static boolean asciiCompatible(Charset encoding) {
    StringBuilder ascii = new StringBuilder("\n\r\t");
    for (char c = 0x20; c < 0x7f; c++) {
      ascii.append(c);
    }
    byte[] expected = ascii.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return encoding.canEncode() && Arrays.equals(expected, ascii.toString().getBytes(encoding));
  }
}
