package org.loyaltypenalty.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text from the data as a reader is shown it: bidirectional controls made visible, and runs too
 * long to read shortened. The full values stay in the findings, the annex and report-data.json;
 * only what is displayed changes.
 *
 * <p>Bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) reorder
 * the text around them: {@code M5\u202Egnp.exe} displays as {@code M5exe.png}. Each is shown as
 * its code point in brackets, {@code [U+202E]}, so it can neither reorder the value nor leak
 * into the text after it (Unicode Technical Standard #39, section 4; Boucher and Anderson,
 * "Trojan Source", 2021).
 *
 * <p>A run of more than {@link #MAX_RUN} characters without white space or CJK characters (an
 * id or a path, never a sentence: Chinese writes none between words)
 * is shown as its first {@link #KEPT_HEAD} characters, an ellipsis, its last {@link #KEPT_TAIL}
 * characters and its length; a text longer than {@link #MAX_TEXT} characters in all is cut
 * there. One 100,000-character SKU id otherwise made an 8-page PDF 323 pages long.
 */
public final class DisplayText {
  /** Longest run without white space shown as it is. */
  public static final int MAX_RUN = 160;
  static final int KEPT_HEAD = 64;
  static final int KEPT_TAIL = 16;
  /** Longest text shown as it is. */
  public static final int MAX_TEXT = 20_000;

  private static final Pattern BIDI_CONTROL =
      Pattern.compile("[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]");
  /** The bidirectional controls, as a regular expression (for Spark's regexp_replace). */
  public static final String BIDI_CONTROLS = BIDI_CONTROL.pattern();
  /** A run of characters that are neither white space nor CJK (Chinese sentences have no spaces). */
  private static final Pattern LONG_RUN = Pattern.compile(
      "[^\\s\\p{IsHan}\u3000-\u303F\uFF00-\uFFEF]{" + (MAX_RUN + 1) + ",}");

  private DisplayText() {}

  /** {@code text} as displayed. */
  public static String of(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = visibleControls(text);
    Matcher m = LONG_RUN.matcher(s);
    if (m.find()) {
      StringBuilder out = new StringBuilder();
      do {
        String run = m.group();
        m.appendReplacement(out, Matcher.quoteReplacement(run.substring(0, KEPT_HEAD) + "\u2026"
            + run.substring(run.length() - KEPT_TAIL) + " (" + run.length() + " characters)"));
      } while (m.find());
      m.appendTail(out);
      s = out.toString();
    }
    return s.length() > MAX_TEXT
        ? s.substring(0, MAX_TEXT) + "\u2026 (" + s.length() + " characters)" : s;
  }

  /** {@code text} with each bidirectional control shown as {@code [U+XXXX]}. */
  public static String visibleControls(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = BIDI_CONTROL.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    do {
      m.appendReplacement(out, Matcher.quoteReplacement(marker(m.group().charAt(0))));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }

  /** How the control {@code c} is shown: {@code [U+202E]}. */
  public static String marker(char c) {
    return String.format("[U+%04X]", (int) c);
  }
}
