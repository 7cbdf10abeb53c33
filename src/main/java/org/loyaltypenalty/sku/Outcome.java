package org.loyaltypenalty.sku;

import java.util.Locale;

/**
 * What a comparison compares: the findings' {@code outcome} column. {@link #PRICE} is the unit
 * price on the log scale (a percentage gap); the others are money per unit, in the quote's
 * currency, compared with the same fixed effects and clustering, and put in % of the reference
 * group's mean {@link #TOTAL}. Every money outcome is signed so that a positive gap is what the
 * compared group pays more: {@code total = price + fee + coupon} part by part, where the coupon
 * part is the coupon taken off, negated.
 */
public enum Outcome {
  /** The unit price, {@code log(price)}: today's comparison. */
  PRICE,
  /** The total paid per unit, {@code (price * quantity + fee - coupon) / quantity}. */
  TOTAL,
  /** The fee per unit, {@code fee / quantity}. */
  FEE,
  /** The coupon per unit, negated: {@code -coupon / quantity} (a smaller coupon is dearer). */
  COUPON;

  /** The code written to data: the name in lower case. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant of a {@link #code}. */
  public static Outcome ofCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
