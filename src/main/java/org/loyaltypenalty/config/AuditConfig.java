package org.loyaltypenalty.config;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.loyaltypenalty.stats.FlagRule;

/**
 * The effective configuration of one audit: immutable, validated once by {@link ConfigLoader}.
 * See {@link ConfigKey} for what each field means and its default.
 */
public record AuditConfig(
    ColumnMapping quoteColumns,
    ColumnMapping purchaseColumns,
    ZoneId timezone,
    String csvDelimiter,
    String csvEncoding,
    String purchasesCsvDelimiter,
    String purchasesCsvEncoding,
    org.loyaltypenalty.config.NumberFormats numbers,
    Optional<String> defaultCurrency,
    boolean generateQuoteId,
    Set<String> excludedSkus,
    int lookbackDays,
    int repeatMin,
    int loyalMin,
    Optional<Instant> historyStart,
    Duration timeBucket,
    List<String> contextColumns,
    double fdrQ,
    double materialityPct,
    double confidence,
    int minQuotesPerCohort,
    int minCustomersPerCohort,
    double priceUnit,
    long placeboSeed,
    int cellsPerSku,
    int persistenceRuns,
    java.util.OptionalInt shufflePartitions,
    String reportLang,
    int reportMinCustomers,
    int reportFigureSkus,
    int reportAnnexQuotes,
    double maxQuarantineShare,
    List<org.loyaltypenalty.segment.SegmentSpec> segments,
    ColumnMapping customerColumns,
    String customersCsvDelimiter,
    String customersCsvEncoding,
    Privacy privacy,
    int familyMinCustomers,
    Set<String> disclosedOffers,
    SignOff signOff)
    implements Serializable {

  /**
   * How the run treats personal data.
   *
   * @param keyFile the pseudonymisation key's file ({@code privacy.key_file}); empty: ids are
   *     used as they arrive
   * @param allowDirectIdentifiers run even when a column read holds direct identifiers
   * @param retainDays nightly: nights of row-level data kept; 0 keeps every night
   */
  public record Privacy(Optional<String> keyFile, boolean allowDirectIdentifiers, int retainDays)
      implements Serializable {}

  /**
   * The report's sign-off block ({@code report.organisation}, {@code report.auditor},
   * {@code report.statement}): each empty when unset; the report prints the block when any is set.
   */
  public record SignOff(Optional<String> organisation, Optional<String> auditor,
      Optional<String> statement) implements Serializable {
    /** No sign-off block. */
    public static final SignOff NONE = new SignOff(Optional.empty(), Optional.empty(),
        Optional.empty());

    /** Whether any part is set, so the report prints the block. */
    public boolean present() {
      return organisation.isPresent() || auditor.isPresent() || statement.isPresent();
    }
  }

  public AuditConfig {
    excludedSkus = Set.copyOf(excludedSkus);
    contextColumns = List.copyOf(contextColumns);
    segments = List.copyOf(segments);
    disclosedOffers = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(
        disclosedOffers));
  }

  public static AuditConfig defaults() {
    return ConfigLoader.fromMap(Map.of(), "defaults");
  }

  /** Effective values of every key, for the manifest (mapping keys included). */
  public Map<String, String> asMap() {
    Map<String, String> out = new TreeMap<>();
    quoteColumns.asSortedMap().forEach((k, v) -> out.put("columns." + k, v));
    purchaseColumns.asSortedMap().forEach((k, v) -> out.put("purchases.columns." + k, v));
    out.put(ConfigKey.INPUT_TIMEZONE.key(), timezone.getId());
    out.put(ConfigKey.CSV_DELIMITER.key(), csvDelimiter);
    out.put(ConfigKey.CSV_ENCODING.key(), csvEncoding);
    out.put(ConfigKey.PURCHASES_CSV_DELIMITER.key(), purchasesCsvDelimiter);
    out.put(ConfigKey.PURCHASES_CSV_ENCODING.key(), purchasesCsvEncoding);
    out.put(ConfigKey.DECIMAL_SEPARATOR.key(), numbers.decimal());
    out.put(ConfigKey.THOUSANDS_SEPARATOR.key(), ConfigValues.separatorName(numbers.thousands()));
    out.put(ConfigKey.DEFAULT_CURRENCY.key(), defaultCurrency.orElse(""));
    out.put(ConfigKey.GENERATE_QUOTE_ID.key(), Boolean.toString(generateQuoteId));
    out.put(ConfigKey.EXCLUDE_SKUS.key(), String.join(",", new java.util.TreeSet<>(excludedSkus)));
    out.put(ConfigKey.LOOKBACK_DAYS.key(), Integer.toString(lookbackDays));
    out.put(ConfigKey.REPEAT_MIN.key(), Integer.toString(repeatMin));
    out.put(ConfigKey.LOYAL_MIN.key(), Integer.toString(loyalMin));
    out.put(ConfigKey.HISTORY_START.key(), historyStart.map(Instant::toString).orElse(""));
    out.put(ConfigKey.TIME_BUCKET.key(), timeBucketLabel());
    out.put(ConfigKey.CONTEXT_COLUMNS.key(), String.join(",", contextColumns));
    out.put(ConfigKey.FDR_Q.key(), Double.toString(fdrQ));
    out.put(ConfigKey.MATERIALITY_PCT.key(), Double.toString(materialityPct));
    out.put(ConfigKey.CONFIDENCE.key(), Double.toString(confidence));
    out.put(ConfigKey.MIN_QUOTES.key(), Integer.toString(minQuotesPerCohort));
    out.put(ConfigKey.MIN_CUSTOMERS.key(), Integer.toString(minCustomersPerCohort));
    out.put(ConfigKey.FAMILY_MIN_CUSTOMERS.key(), Integer.toString(familyMinCustomers));
    out.put(ConfigKey.PRICE_UNIT.key(), Double.toString(priceUnit));
    out.put(ConfigKey.PLACEBO_SEED.key(), Long.toString(placeboSeed));
    out.put(ConfigKey.CELLS_PER_SKU.key(), Integer.toString(cellsPerSku));
    out.put(ConfigKey.PERSISTENCE_RUNS.key(), Integer.toString(persistenceRuns));
    out.put(ConfigKey.SHUFFLE_PARTITIONS.key(), shufflePartitions.isPresent()
        ? Integer.toString(shufflePartitions.getAsInt()) : "");
    out.put(ConfigKey.REPORT_LANG.key(), reportLang);
    out.put(ConfigKey.REPORT_MIN_CUSTOMERS.key(), Integer.toString(reportMinCustomers));
    out.put(ConfigKey.REPORT_FIGURE_SKUS.key(), Integer.toString(reportFigureSkus));
    out.put(ConfigKey.REPORT_ANNEX_QUOTES.key(), Integer.toString(reportAnnexQuotes));
    out.put(ConfigKey.MAX_QUARANTINE_SHARE.key(), Double.toString(maxQuarantineShare));
    customerColumns.asSortedMap().forEach((k, v) -> out.put("customers.columns." + k, v));
    out.put(ConfigKey.CUSTOMERS_CSV_DELIMITER.key(), customersCsvDelimiter);
    out.put(ConfigKey.CUSTOMERS_CSV_ENCODING.key(), customersCsvEncoding);
    out.put(ConfigKey.PRIVACY_KEY_FILE.key(), privacy.keyFile().orElse(""));
    out.put(ConfigKey.ALLOW_DIRECT_IDENTIFIERS.key(),
        Boolean.toString(privacy.allowDirectIdentifiers()));
    out.put(ConfigKey.RETAIN_DAYS.key(), Integer.toString(privacy.retainDays()));
    out.put(ConfigKey.SEGMENTS.key(), String.join(",",
        segments.stream().map(org.loyaltypenalty.segment.SegmentSpec::name).toList()));
    for (org.loyaltypenalty.segment.SegmentSpec s : segments) {
      s.reference().ifPresent(r -> out.put("segment." + s.name() + ".reference", r));
      if (s.name().equals(org.loyaltypenalty.segment.SegmentSpec.AGE)) {
        out.put(ConfigKey.AGE_BANDS.key(), String.join(",",
            s.bands().stream().map(String::valueOf).toList()));
      }
    }
    if (!disclosedOffers.isEmpty()) {
      // set only when given: a run without disclosed offers keeps its config (and its hash)
      out.put(ConfigKey.DISCLOSED_OFFERS.key(), String.join(",", disclosedOffers));
    }
    // set only: a run without a sign-off keeps the config (and config_sha256) it had before
    signOff.organisation().ifPresent(v -> out.put(ConfigKey.REPORT_ORGANISATION.key(), v));
    signOff.auditor().ifPresent(v -> out.put(ConfigKey.REPORT_AUDITOR.key(), v));
    signOff.statement().ifPresent(v -> out.put(ConfigKey.REPORT_STATEMENT.key(), v));
    return out;
  }

  /** How a CSV input is read: its field separator and encoding. */
  public record CsvOptions(String delimiter, String encoding) implements Serializable {}

  /** The CSV options of the input {@code quotes}, {@code purchases} or {@code customers}. */
  public CsvOptions csv(String input) {
    return switch (input) {
      case "purchases" -> new CsvOptions(purchasesCsvDelimiter, purchasesCsvEncoding);
      case "customers" -> new CsvOptions(customersCsvDelimiter, customersCsvEncoding);
      default -> new CsvOptions(csvDelimiter, csvEncoding);
    };
  }

  /** The time bucket as written in the config: 15m, 1h, 1d. */
  /** The rule that flags a penalty, from {@code test.fdr_q} and {@code test.materiality_pct}. */
  public FlagRule flagRule() {
    return new FlagRule(fdrQ, materialityPct);
  }

  /** The independent filter of the false discovery rate family ({@code test.family_min_customers}). */
  public org.loyaltypenalty.stats.FamilyFilter familyFilter() {
    return new org.loyaltypenalty.stats.FamilyFilter(familyMinCustomers);
  }

  public String timeBucketLabel() {
    return ConfigValues.formatDuration(timeBucket);
  }

  /** Seconds in one time bucket. */
  public long timeBucketSeconds() {
    return timeBucket.getSeconds();
  }
}
