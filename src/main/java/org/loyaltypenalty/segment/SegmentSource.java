package org.loyaltypenalty.segment;

/** Where a segment's levels come from. */
public enum SegmentSource {
  /** A quotes column, as of the quote's time ({@code member_tier}, {@code device_os}, ...). */
  QUOTES,
  /** A column of the customers input, joined on {@code customer_id}. */
  CUSTOMERS,
  /** The age band: the quote's year less the customers input's {@code birth_year}. */
  AGE
}
