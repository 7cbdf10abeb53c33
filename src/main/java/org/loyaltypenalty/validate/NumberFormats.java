package org.loyaltypenalty.validate;

/**
 * The numbers an input may hold as text (prices, list prices, quantities): an optional sign,
 * digits with an optional decimal point ({@code 12}, {@code 12.5}, {@code 12.}, {@code .5}),
 * and an optional exponent ({@code 1.5e2}). Java's {@code Double.parseDouble}, behind Spark's
 * cast, also accepts a type suffix ({@code 50d}, {@code 50f}), hexadecimal floating point
 * ({@code 0x1p3}) and {@code Infinity}; those are unparseable here. Decimal commas and thousands
 * separators are not accepted.
 */
public final class NumberFormats {
  private NumberFormats() {}

  /** The accepted form, on the trimmed text (a regular expression for Spark's {@code rlike}). */
  public static final String ACCEPTED = "^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,3})?$";
}
