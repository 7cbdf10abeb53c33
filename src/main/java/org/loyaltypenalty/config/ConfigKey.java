package org.loyaltypenalty.config;

/**
 * Every scalar configuration key, its default and what it means. Column mapping keys
 * ({@code columns.<name>}, {@code purchases.columns.<name>}, {@code customers.columns.<name>})
 * are handled by {@link ColumnMapping}, and a segment's reference level
 * ({@code segment.<name>.reference}) by {@link ConfigLoader}.
 *
 * <p>Precedence: command-line option &gt; config file &gt; the default listed here.
 */
public enum ConfigKey {
  INPUT_TIMEZONE("input.timezone", "UTC",
      "zone for timestamps without an offset, and for time buckets (IANA id, e.g. Europe/London)"),
  CSV_DELIMITER("csv.delimiter", ",", "field separator of CSV inputs"),
  CSV_ENCODING("csv.encoding", "UTF-8",
      "character encoding of CSV inputs (ASCII-compatible: UTF-8, GB18030, GBK, Big5, Shift_JIS,"
          + " windows-1252, ...); a file not valid in it stops the run"),
  PURCHASES_CSV_DELIMITER("purchases.csv.delimiter", "",
      "field separator of a CSV purchases input when it differs from csv.delimiter"),
  PURCHASES_CSV_ENCODING("purchases.csv.encoding", "",
      "encoding of a CSV purchases input when it differs from csv.encoding"),
  CUSTOMERS_CSV_DELIMITER("customers.csv.delimiter", "",
      "field separator of a CSV customers input when it differs from csv.delimiter"),
  CUSTOMERS_CSV_ENCODING("customers.csv.encoding", "",
      "encoding of a CSV customers input when it differs from csv.encoding"),
  DECIMAL_SEPARATOR("number.decimal_separator", ".",
      "decimal separator of numbers in text inputs: . or , (12,50)"),
  THOUSANDS_SEPARATOR("number.thousands_separator", "",
      "thousands separator of numbers in text inputs: none, comma, dot, space or apostrophe"
          + " (write comma, dot, space or apostrophe)"),
  DEFAULT_CURRENCY("defaults.currency", "",
      "ISO 4217 code used when the quotes have no currency column (single-currency exports)"),
  GENERATE_QUOTE_ID("quote_id.generate", "false",
      "true: quotes have no id column; derive one from the row's content (exact duplicate lines"
          + " are then quarantined as duplicate_quote_id)"),
  EXCLUDE_SKUS("exclude.sku_ids", "",
      "comma-separated SKU ids that are not goods (fees, postage, adjustments); their rows are"
          + " quarantined with reason excluded_sku"),
  LOOKBACK_DAYS("cohort.lookback_days", "365", "purchases in [t - lookback, t) define the cohort"),
  REPEAT_MIN("cohort.repeat_min", "1", "prior purchases from which a customer is 'repeat'"),
  LOYAL_MIN("cohort.loyal_min", "5", "prior purchases from which a customer is 'loyal'"),
  HISTORY_START("cohort.history_start", "",
      "first instant the purchase history covers (ISO date or timestamp); default: the earliest"
          + " purchase. Quotes before history_start + lookback have an incomplete history and"
          + " are not compared (counted as cohort_censored)"),
  TIME_BUCKET("context.time_bucket", "1h",
      "width of the time bucket held fixed in comparisons: 15m, 1h, 6h, 1d, ..."),
  CONTEXT_COLUMNS("context.columns", "merchant_id,channel,device_os,region,quantity",
      "context columns held fixed when the input has them"),
  SEGMENTS("segments", "",
      "customer attributes tested besides the loyalty cohort, comma-separated: age (needs"
          + " --customers with birth_year), a quotes column (member_tier, device_os, channel,"
          + " region) or a customers column (customers.columns.<name>)"),
  AGE_BANDS("segment.age.bands", "18,30,45,60,70",
      "edges of the age bands of the segment age, strictly increasing whole numbers above 0:"
          + " 18,30,45,60,70 gives <18, 18-29, 30-44, 45-59, 60-69, 70+"),
  FDR_Q("test.fdr_q", "0.05", "Benjamini-Hochberg false discovery rate across all tests of a run"),
  MATERIALITY_PCT("test.materiality_pct", "1.0", "smallest penalty (in %) that is flagged"),
  CONFIDENCE("test.confidence", "0.95", "level of the two-sided confidence intervals"),
  MIN_QUOTES("test.min_quotes_per_cohort", "1",
      "fewer quotes than this in a cohort of a SKU: insufficient_data (an extra floor: the rule"
          + " that matters is the customers one, the clusters of the standard errors)"),
  MIN_CUSTOMERS("test.min_customers_per_cohort", "5",
      "fewer distinct customers than this in a cohort of a SKU: insufficient_data"),
  FAMILY_MIN_CUSTOMERS("test.family_min_customers", "10",
      "independent filter of the false discovery rate family (Bourgon et al. 2010): a tested"
          + " comparison with fewer distinct customers on its smaller side keeps its p-value and"
          + " interval but is left out of the Benjamini-Hochberg family and never flagged;"
          + " 0 keeps every test"),
  PRICE_UNIT("test.price_unit", "0.01",
      "smallest price increment; its rounding error floors the variance so that a cell where"
          + " everyone pays the same price never divides by zero"),
  PLACEBO_SEED("test.placebo_seed", "20240315",
      "seed of the random split of new customers in the placebo check"),
  CELLS_PER_SKU("findings.cells_per_sku", "20",
      "most exact-context cells written as evidence per SKU and comparison"),
  PERSISTENCE_RUNS("nightly.persistence_runs", "3",
      "nightly: consecutive runs a penalty must be flagged before it is confirmed and alerted"),
  RETAIN_DAYS("nightly.retain_days", "0",
      "nightly: nights of row-level data (the quarantine) kept; older nights are deleted and"
          + " their files removed from disk. 0 keeps every night. Findings (aggregates) are kept"),
  PRIVACY_KEY_FILE("privacy.key_file", "",
      "file holding a secret key (16 bytes or more): customer ids are replaced by their keyed"
          + " hash (HMAC-SHA-256) as they are read, so no output holds a raw id. Keep the key:"
          + " the same key gives the same pseudonyms in every run"),
  ALLOW_DIRECT_IDENTIFIERS("privacy.allow_direct_identifiers", "false",
      "true: run even when a column read holds mobile numbers, resident ID numbers or e-mail"
          + " addresses (recorded in the manifest and the report)"),
  REPORT_LANG("report.lang", "en",
      "language of the report the audit writes: en or zh-CN (jobs/report.sh renders the other)"),
  REPORT_MIN_CUSTOMERS("report.min_customers", "10",
      "k: a published figure computed over fewer distinct customers (in any cohort it compares)"
          + " is suppressed and marked as such"),
  REPORT_FIGURE_SKUS("report.figure_skus", "12",
      "flagged SKU comparisons (largest penalty first) that get their own price charts"),
  REPORT_ANNEX_QUOTES("report.annex_quotes_per_cohort", "3",
      "evidence annex: example quote ids per cohort in each matched cell of a flagged SKU"),
  SHUFFLE_PARTITIONS("spark.shuffle_partitions", "8",
      "spark.sql.shuffle.partitions for the run; unset, a local run whose inputs are local files"
          + " takes one per 16 MiB of input, at least one per core, up to the default; a session"
          + " that already exists (a notebook's, a test's) keeps its own unless this is set"),
  MAX_QUARANTINE_SHARE("quality.max_quarantine_share", "0.05",
      "a larger share of the quotes (or of the purchases) quarantined is a warning in the summary"
          + " and in the manifest (results.quality.warnings): the findings cover only the valid"
          + " rows; 0 to 1"),

  DISCLOSED_OFFERS("offers.disclosed", "",
      "comma-separated offer ids (the quotes column offer_id) that were publicly announced: a"
          + " new-user coupon, a published member price, a campaign. Each flagged comparison is"
          + " re-estimated without the quotes that carry one; any other offer_id is personalised"
          + " and stays in"),
  // the report's sign-off block: printed on its first page when any of these is set
  REPORT_ORGANISATION("report.organisation", "",
      "sign-off: the organisation the audit is made for or by, printed on the report's first"
          + " page and carried in report.json"),
  REPORT_AUDITOR("report.auditor", "",
      "sign-off: the person (or team) answering for the audit, printed on the report's first page"),
  REPORT_STATEMENT("report.statement", "",
      "sign-off: a statement printed above the signature line, such as the purpose of the audit"
          + " and who it is handed to");

  private final String key;
  private final String defaultValue;
  private final String description;

  ConfigKey(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public static java.util.Optional<ConfigKey> of(String key) {
    for (ConfigKey k : values()) {
      if (k.key.equals(key)) {
        return java.util.Optional.of(k);
      }
    }
    return java.util.Optional.empty();
  }
}
