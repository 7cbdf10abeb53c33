package org.loyaltypenalty.config;

import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.translate;

import java.io.Serializable;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/**
 * The numbers an input may hold as text (prices, list prices, quantities): an optional sign,
 * digits with an optional decimal separator ({@code 12}, {@code 12.5}, {@code 12.}, {@code .5}),
 * and an optional exponent ({@code 1.5e2}); with a thousands separator configured, the digits
 * before the decimal separator may also be grouped by threes ({@code 1,250.00}, or
 * {@code 1.250,00} with a decimal comma). Java's {@code Double.parseDouble}, behind Spark's
 * cast, also accepts a type suffix ({@code 50d}, {@code 50f}), hexadecimal floating point
 * ({@code 0x1p3}) and {@code Infinity}; those are unparseable here.
 *
 * @param decimal the decimal separator: {@code .} (default) or {@code ,}
 * @param thousands the thousands separator, or empty for none (default)
 */
public record NumberFormats(String decimal, String thousands) implements Serializable {
  /** The decimal separators a config may name. */
  public static final java.util.List<String> DECIMALS = java.util.List.of(".", ",");

  /** Plain numbers with a decimal point and no grouping. */
  public static final NumberFormats DEFAULT = new NumberFormats(".", "");

  /** The accepted form, on the trimmed text (a regular expression for Spark's {@code rlike}). */
  public String accepted() {
    String d = Pattern.quote(decimal);
    String whole = thousands.isEmpty() ? "\\d+"
        : "(\\d{1,3}(" + Pattern.quote(thousands) + "\\d{3})+|\\d+)";
    return "^[+-]?(" + whole + "(" + d + "\\d*)?|" + d + "\\d+)([eE][+-]?\\d{1,3})?$";
  }

  /** {@code text} (in the accepted form) as Spark's cast reads it: no grouping, a decimal point. */
  public Column normalised(Column text) {
    Column out = thousands.isEmpty() ? text : regexp_replace(text, Pattern.quote(thousands), "");
    return decimal.equals(".") ? out : translate(out, decimal, ".");
  }
}
