package org.loyaltypenalty;

import java.util.List;

/**
 * The data contract: every column name the tool reads or writes, in one place.
 *
 * <p>Inputs are renamed to these canonical names by the column mapping of the configuration
 * (for example {@code columns.sku_id = StockCode}) before anything else touches them.
 */
public final class Columns {
  private Columns() {}

  /** Canonical columns of the quotes input. */
  public static final class Quotes {
    private Quotes() {}

    public static final String QUOTE_ID = "quote_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String SKU_ID = "sku_id";
    public static final String QUOTED_AT = "quoted_at";
    public static final String PRICE = "price";
    public static final String CURRENCY = "currency";
    public static final String MERCHANT_ID = "merchant_id";
    public static final String CHANNEL = "channel";
    public static final String DEVICE_OS = "device_os";
    public static final String REGION = "region";
    public static final String QUANTITY = "quantity";
    public static final String LIST_PRICE = "list_price";
    public static final String ORDER_ID = "order_id";
    public static final String PURCHASED = "purchased";
    /** The customer's membership tier at the quote's time, as the platform's log records it. */
    public static final String MEMBER_TIER = "member_tier";
    /** A delivery or service fee charged with the quote, in its currency (empty: none). */
    public static final String FEE = "fee";
    /** A coupon amount applied to the quote, in its currency (empty: none). */
    public static final String COUPON = "coupon";

    /**
     * The promotion a quote was given, as the platform's log names it: a disclosed offer when
     * {@code offers.disclosed} lists it (publicly announced), else a personalised one.
     */
    public static final String OFFER_ID = "offer_id";
    /** The price experiment (A/B test) a quote was shown under; empty outside any experiment. */
    public static final String EXPERIMENT_ID = "experiment_id";
    /** The experiment's arm the quote was shown in; given exactly when experiment_id is. */
    public static final String EXPERIMENT_ARM = "experiment_arm";

    public static final List<String> REQUIRED =
        List.of(QUOTE_ID, CUSTOMER_ID, SKU_ID, QUOTED_AT, PRICE, CURRENCY);
    public static final List<String> OPTIONAL = List.of(MERCHANT_ID, CHANNEL, DEVICE_OS, REGION,
        QUANTITY, LIST_PRICE, ORDER_ID, PURCHASED, MEMBER_TIER, FEE, COUPON,
        OFFER_ID, EXPERIMENT_ID, EXPERIMENT_ARM);
    /** Optional columns that can be a tested segment ({@code segments = member_tier, ...}). */
    public static final List<String> SEGMENTS = List.of(MEMBER_TIER, DEVICE_OS, CHANNEL, REGION);
    /** Optional columns that can describe the transaction context. */
    public static final List<String> CONTEXT =
        List.of(MERCHANT_ID, CHANNEL, DEVICE_OS, REGION, QUANTITY);

    public static List<String> all() {
      return java.util.stream.Stream.concat(REQUIRED.stream(), OPTIONAL.stream()).toList();
    }
  }

  /** Canonical columns of the optional purchases input. */
  public static final class Purchases {
    private Purchases() {}

    public static final String CUSTOMER_ID = "customer_id";
    public static final String PURCHASED_AT = "purchased_at";
    public static final String ORDER_ID = "order_id";

    public static final List<String> REQUIRED = List.of(CUSTOMER_ID, PURCHASED_AT);
    public static final List<String> OPTIONAL = List.of(ORDER_ID);

    public static List<String> all() {
      return List.of(CUSTOMER_ID, PURCHASED_AT, ORDER_ID);
    }
  }

  /**
   * Canonical columns of the optional customers input: {@code customer_id}, {@code birth_year}
   * (for the segment {@code age}) and any attribute a segment names. Only the columns the
   * configured segments need are read.
   */
  public static final class Customers {
    private Customers() {}

    public static final String CUSTOMER_ID = "customer_id";
    /** The customer's year of birth (a whole number); read only for the segment age. */
    public static final String BIRTH_YEAR = "birth_year";
  }

  /** Columns the tool derives while it works. */
  public static final class Derived {
    private Derived() {}

    public static final String LOG_PRICE = "log_price";
    public static final String PRIOR_PURCHASES = "prior_purchases";
    public static final String COHORT = "cohort";
    public static final String TIME_BUCKET = "time_bucket";
    public static final String CENSORED = "cohort_censored";
    public static final String RAW = "raw";
    /**
     * SHA-256 of a whole quotes row as read (customer id pseudonymised when a key is set), from
     * which an id is derived for quotes without one.
     */
    public static final String ROW_DIGEST = "__row_digest";
    public static final String REASON = "reason";
    public static final String SOURCE = "source";
    /** Which half of the new customers a quote's customer falls in, for the placebo check. */
    public static final String PSEUDO_LOYAL = "__pseudo_loyal";

    /**
     * The context dimension of price experiments: a quote's (experiment_id, experiment_arm) as
     * one level, so that the fits hold the arms fixed; quotes outside any experiment share one
     * level.
     */
    public static final String EXPERIMENT = "experiment";

    /**
     * A quote's level in a tested segment (string, lower case, null when unknown): a quotes
     * column, a customers column, or the age band, as of the quote's time.
     */
    public static String segment(String name) {
      return "segment_" + name;
    }

    /** The level of a quote with no value in a context dimension. */
    public static final String NO_LEVEL = "(none)";

    /** The string column of a context dimension's levels, as the fits and cells group by. */
    public static String fixedEffect(String dimension) {
      return "fe_" + dimension;
    }
  }

  /**
   * Columns of the per-SKU pass's estimate rows (one per SKU, currency and comparison), besides
   * the findings columns they share ({@link Findings#SKU_ID} ... {@link Findings#P_VALUE}).
   */
  public static final class Estimates {
    private Estimates() {}

    public static final String MERCHANTS = "merchants";
    public static final String CI_LOW_LOG = "ci_low_log";
    public static final String CI_HIGH_LOG = "ci_high_log";
    /** The minimum detectable effect on the log scale. */
    public static final String MDE_LOG = "mde_log";
    /** The upper one-sided confidence bound on the log scale. */
    public static final String UPPER_BOUND_LOG = "upper_bound_log";
    public static final String TESTED = "tested";
    /** An {@code UntestedReason} code, null when tested. */
    public static final String UNTESTED_REASON = "untested_reason";
    public static final String OBSERVATIONS = "observations";
    public static final String QUOTES_IN_SKU = "quotes_in_sku";
    /** The adjusted view's estimate and interval on the log scale (see the findings' columns). */
    public static final String ADJUSTED_LOG = "adjusted_log";
    public static final String ADJUSTED_CI_LOW_LOG = "adjusted_ci_low_log";
    public static final String ADJUSTED_CI_HIGH_LOG = "adjusted_ci_high_log";

    /** A money outcome's gap split: the list-price part, per unit (null when absent). */
    public static final String PART_LIST = "part_list";
    /** The personalised-discount part, {@code price - list_price}. */
    public static final String PART_DISCOUNT = "part_discount";
    /** The price part, without a list price. */
    public static final String PART_PRICE = "part_price";
    /** The fee part, {@code fee / quantity}. */
    public static final String PART_FEE = "part_fee";
    /** The coupon part, {@code -coupon / quantity}. */
    public static final String PART_COUPON = "part_coupon";
  }

  /** Columns of the nightly history tables and of the penalty status derived from them. */
  public static final class History {
    private History() {}

    /** The night a row belongs to (the partition column of every history table). */
    public static final String RUN_DATE = "run_date";
    public static final String STREAK = "streak";
    public static final String NIGHTS_FLAGGED = "nights_flagged";
    public static final String FIRST_FLAGGED = "first_flagged";
    public static final String LAST_FLAGGED = "last_flagged";
    public static final String CONFIRMED = "confirmed";
    public static final String NEWLY_CONFIRMED = "newly_confirmed";
    /** A {@code StatusChange} code, null when nothing changed and nothing continues. */
    public static final String CHANGE_TONIGHT = "change_tonight";
    public static final String PENALTY_PCT_PREVIOUS = "penalty_pct_previous";
    /** Distinct customers of the smaller group of a comparison, tonight. */
    public static final String MIN_CUSTOMERS = "customers_min";
    public static final String MIN_CUSTOMERS_PREVIOUS = "customers_min_previous";
  }

  /** Columns of the per-SKU pass's figure rows (the report's figures), on the log scale. */
  public static final class Figures {
    private Figures() {}

    public static final String KIND = "kind";
    public static final String DIMENSION = "dimension";
    public static final String VALUE = "value";
    public static final String MEAN_LOG = "mean_log";
    public static final String SD_LOG = "sd_log";
    public static final String QUOTES = "quotes";
    public static final String CUSTOMERS = "customers";
    public static final String QUANTILES_LOG = "quantiles_log";
    public static final String LIST_GAP_LOG = "list_gap_log";
    public static final String DISCOUNT_GAP_LOG = "discount_gap_log";
  }

  /** Columns of the findings table. */
  public static final class Findings {
    private Findings() {}

    public static final String RUN_ID = "run_id";
    public static final String LEVEL = "level";
    public static final String COMPARISON = "comparison";
    /** The attribute compared: {@code cohort} (the loyalty cohort) or a configured segment. */
    public static final String SEGMENT = "segment";
    /** The segment's level compared with the reference, e.g. {@code loyal}, {@code diamond}. */
    public static final String COMPARED = "compared";
    /** The segment's reference level, e.g. {@code new}, {@code none}. */
    public static final String REFERENCE = "reference";
    public static final String MERCHANT_ID = "merchant_id";
    public static final String SKU_ID = "sku_id";
    public static final String CURRENCY = "currency";
    public static final String CONTEXT = "context";
    public static final String N_REFERENCE = "n_reference";
    public static final String N_COMPARED = "n_compared";
    public static final String CUSTOMERS_REFERENCE = "customers_reference";
    public static final String CUSTOMERS_COMPARED = "customers_compared";
    public static final String PENALTY_PCT = "penalty_pct";
    public static final String CI_LOW_PCT = "ci_low_pct";
    public static final String CI_HIGH_PCT = "ci_high_pct";
    public static final String P_VALUE = "p_value";
    public static final String Q_VALUE = "q_value";
    public static final String FLAGGED = "flagged";
    public static final String STATUS = "status";
    public static final String METHOD = "method";
    public static final String ESTIMATE_LOG = "estimate_log";
    public static final String STD_ERROR_LOG = "std_error_log";
    public static final String DEGREES_OF_FREEDOM = "degrees_of_freedom";
    public static final String CELLS_WITH_BOTH = "cells_with_both";
    /** The smallest penalty the test would flag with 80% probability, in %. */
    public static final String MDE_PCT = "mde_pct";
    /** The upper one-sided bound at test.confidence of the penalty, in %. */
    public static final String UPPER_BOUND_PCT = "upper_bound_pct";
    /** The penalty with every tested segment held fixed for the others, in %. */
    public static final String ADJUSTED_PENALTY_PCT = "adjusted_penalty_pct";
    public static final String ADJUSTED_CI_LOW_PCT = "adjusted_ci_low_pct";
    public static final String ADJUSTED_CI_HIGH_PCT = "adjusted_ci_high_pct";

    /** What is compared: {@code price}, {@code total}, {@code fee} or {@code coupon}. */
    public static final String OUTCOME = "outcome";
    /** A money outcome's estimate, per unit in the quote's currency (null for price rows). */
    public static final String ESTIMATE_MONEY = "estimate_money";
    /** Its standard error, clustered by customer. */
    public static final String STD_ERROR_MONEY = "std_error_money";
    /** The reference group's mean total paid per unit: a money gap in % is of this. */
    public static final String REFERENCE_MEAN = "reference_mean";
    /**
     * A flagged SKU comparison re-estimated without the quotes that carry a disclosed offer
     * ({@code offers.disclosed}): its penalty, interval and p-value then; null where no
     * re-estimate was made.
     */
    public static final String PENALTY_PCT_WITHOUT_DISCLOSED = "penalty_pct_without_disclosed";
    public static final String CI_LOW_PCT_WITHOUT_DISCLOSED = "ci_low_pct_without_disclosed";
    public static final String CI_HIGH_PCT_WITHOUT_DISCLOSED = "ci_high_pct_without_disclosed";
    public static final String P_VALUE_WITHOUT_DISCLOSED = "p_value_without_disclosed";
    /** A price experiment's id, on its randomisation rows ({@code level = experiment}). */
    public static final String EXPERIMENT_ID = "experiment_id";
    /** The randomisation test's chi-square statistic, on {@code experiment} rows. */
    public static final String CHI_SQUARE = "chi_square";
    /**
     * Per arm, its distinct customers, the share of each level among them and its price gap to
     * the reference (cheapest) arm, as JSON, on {@code experiment} rows.
     */
    public static final String ARMS = "arms";
  }

  /**
   * Columns of the matched pairs of the evidence annex ({@code evidence-pairs-data.csv}): quote
   * against quote, the same SKU in the same exact context and time bucket, one from each group
   * of a flagged comparison. Quote ids only: never a customer id.
   */
  public static final class Pairs {
    private Pairs() {}

    /** The comparison's penalty (%), as the findings have it. */
    public static final String SKU_PENALTY_PCT = "sku_penalty_pct";
    /** The pair's rank in its comparison: 1 is the closest in time. */
    public static final String PAIR = "pair";
    /** The most pairs a flagged comparison has: its ranks run from 1 to this. */
    public static final int PER_COMPARISON = 5;
    public static final String REFERENCE_QUOTE_ID = "reference_quote_id";
    public static final String REFERENCE_QUOTED_AT = "reference_quoted_at";
    public static final String REFERENCE_PRICE = "reference_price";
    public static final String COMPARED_QUOTE_ID = "compared_quote_id";
    public static final String COMPARED_QUOTED_AT = "compared_quoted_at";
    public static final String COMPARED_PRICE = "compared_price";
    /** Seconds between the two quotes. */
    public static final String SECONDS_APART = "seconds_apart";
    /** How much more (%) the compared quote's price is than the reference quote's. */
    public static final String PRICE_GAP_PCT = "price_gap_pct";
  }
}
