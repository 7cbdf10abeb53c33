package org.loyaltypenalty.validate;

import java.time.Instant;

/**
 * The timestamps an input may hold as text, and the window of plausible quote and purchase
 * times. Spark's string-to-timestamp cast is more lenient than an audit can be: it gives a time
 * alone the current date (a run would depend on the day it ran), reads {@code 2026} and
 * {@code 2026-01} as midnight on the first, and resolves zone abbreviations by Java's legacy table
 * ({@code CST} becomes US Central, never China Standard Time). So a value is cast only when it
 * matches {@link #ACCEPTED}:
 *
 * <ul>
 *   <li>a date {@code yyyy-M-d} (one or two digits for month and day), read as midnight in
 *       {@code input.timezone};
 *   <li>a date, {@code T} or one space, and a time {@code H:mm}, {@code H:mm:ss} or
 *       {@code H:mm:ss.fraction} (up to 9 digits; Spark keeps microseconds), read in
 *       {@code input.timezone} unless a zone follows;
 *   <li>a zone after the time: {@code Z}; an offset {@code +08:00}, {@code +0800} or {@code +08}, optionally after a space;
 *       {@code UTC} or {@code GMT}, optionally with an offset ({@code UTC+8}); or, after a space,
 *       an IANA zone id ({@code Asia/Shanghai}).
 * </ul>
 *
 * <p>The rest is quarantined with the reason that says what is wrong: {@link #INCOMPLETE} (a time
 * without a date, a year, a year and month), {@link #ABBREVIATED_ZONE} (an abbreviation such as
 * {@code CST}, {@code IST} or {@code BST}, each of which names several zones), or else
 * unparseable. A value that parses but lies outside [{@link #EARLIEST}, {@link #LATEST}) is not a
 * plausible time for an online quote or purchase (placeholders such as 1970-01-01 or 9999-12-31,
 * Excel's 1900 dates, typing errors) and is quarantined as implausible. Typed timestamps (Parquet,
 * Delta) are held to the same window.
 */
public final class TimestampFormats {
  private TimestampFormats() {}

  private static final String DATE = "\\d{4}-\\d{1,2}-\\d{1,2}";
  private static final String TIME = "\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?";
  private static final String OFFSET = "[+-]\\d{2}(:?\\d{2})?";
  private static final String ZONE = "(Z| ?" + OFFSET + "| ?(?i:UTC|GMT)([+-]\\d{1,2}(:?\\d{2})?)?"
      + "| [A-Za-z]+(/[A-Za-z0-9_+-]+)+)";

  /** The accepted forms, on the trimmed text (a regular expression for Spark's {@code rlike}). */
  public static final String ACCEPTED = "^" + DATE + "([T ]" + TIME + ZONE + "?)?$";

  /** A time without a date, a year alone, or a year and month. */
  public static final String INCOMPLETE = "^(T?\\d{1,2}:\\d{2}.*|\\d{4}(-\\d{1,2})?)$";

  /** A date and time followed by a zone abbreviation (letters only, not UTC or GMT). */
  public static final String ABBREVIATED_ZONE = "^" + DATE + "[T ]" + TIME + " ?[A-Za-z]{2,5}$";

  /** The first plausible instant: 1990-01-01T00:00:00Z. */
  public static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");

  /** The first instant past the plausible window: 2100-01-01T00:00:00Z. */
  public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
}
