package org.loyaltypenalty.validate;

import java.util.Locale;

/**
 * Why a row was set aside. A row gets the first reason, in this order, that applies to it; the
 * code (lower case) is what the quarantine table and the manifest carry.
 */
public enum QuarantineReason {
  MISSING_QUOTE_ID("a quote without quote_id"),
  MISSING_CUSTOMER_ID("no customer id: a guest is not a new customer, so it cannot be placed in a cohort"),
  MISSING_SKU_ID("a quote without sku_id"),
  MISSING_QUOTED_AT("a quote without quoted_at"),
  MISSING_PRICE("a quote without price"),
  MISSING_CURRENCY("a quote without currency (set defaults.currency for single-currency exports)"),
  UNPARSEABLE_QUOTED_AT("quoted_at is not a timestamp in an accepted form"),
  INCOMPLETE_QUOTED_AT("quoted_at has no date, or no day (a time alone, a year, a year and month)"),
  AMBIGUOUS_QUOTED_AT_ZONE("quoted_at names its zone by an abbreviation (CST, IST, ...) that"
      + " stands for several zones: write an offset (+08:00) or a zone id (Asia/Shanghai)"),
  IMPLAUSIBLE_QUOTED_AT("quoted_at is outside the plausible window 1990-01-01 to 2099-12-31 (UTC)"),
  UNPARSEABLE_PRICE("price is not a finite number"),
  MALFORMED_CURRENCY("currency is not a three-letter ISO 4217 code"),
  NON_POSITIVE_PRICE("price is 0 or negative"),
  UNPARSEABLE_QUANTITY("quantity is not a whole number"),
  NON_POSITIVE_QUANTITY("quantity is 0 or negative (returns, cancellations)"),
  UNPARSEABLE_LIST_PRICE("list_price is not a finite number"),
  NON_POSITIVE_LIST_PRICE("list_price is 0 or negative"),
  UNPARSEABLE_PURCHASED("purchased is not a boolean (true/false, 1/0, yes/no)"),
  EXCLUDED_SKU("the SKU is listed in exclude.sku_ids (fees, postage, adjustments)"),
  DUPLICATE_QUOTE_ID("a second row with a quote_id already seen (the earliest is kept)"),
  MISSING_PURCHASED_AT("a purchase without purchased_at"),
  UNPARSEABLE_PURCHASED_AT("purchased_at is not a timestamp in an accepted form"),
  INCOMPLETE_PURCHASED_AT(
      "purchased_at has no date, or no day (a time alone, a year, a year and month)"),
  AMBIGUOUS_PURCHASED_AT_ZONE("purchased_at names its zone by an abbreviation (CST, IST, ...)"
      + " that stands for several zones: write an offset (+08:00) or a zone id (Asia/Shanghai)"),
  IMPLAUSIBLE_PURCHASED_AT(
      "purchased_at is outside the plausible window 1990-01-01 to 2099-12-31 (UTC)"),
  UNPARSEABLE_BIRTH_YEAR("birth_year is not a whole number"),
  IMPLAUSIBLE_BIRTH_YEAR("birth_year is before 1900 or after the year of the audit's last quote"),
  CONFLICTING_CUSTOMER_ID("a customer_id listed more than once with different values: every row"
      + " of it is set aside, and the customer's attributes are unknown"),

  EXPERIMENT_ARM_WITHOUT_ID("experiment_arm is given but experiment_id is empty"),
  EXPERIMENT_ID_WITHOUT_ARM("experiment_id is given but experiment_arm is empty"),
  UNPARSEABLE_FEE("fee is not a finite number"),
  NEGATIVE_FEE("fee is negative"),
  UNPARSEABLE_COUPON("coupon is not a finite number"),
  NEGATIVE_COUPON("coupon is negative");

  private final String description;

  QuarantineReason(String description) {
    this.description = description;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String description() {
    return description;
  }
}
