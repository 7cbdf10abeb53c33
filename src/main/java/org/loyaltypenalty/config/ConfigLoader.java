package org.loyaltypenalty.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * Reads a Java properties file into an {@link AuditConfig}. Unknown keys and bad values fail at
 * start-up with a message naming the key; nothing is silently ignored. Each key is read by the
 * kind it is: a scalar key by {@link ConfigValues}, an input mapping by {@link MappingKeys}, a
 * segment key by {@link SegmentKeys}; this class sorts them and checks the keys that constrain
 * one another.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Loads {@code file}, or the defaults when {@code file} is null. */
  public static AuditConfig load(Path file) {
    if (file == null) {
      return fromMap(Map.of(), "defaults");
    }
    Properties props = new UniqueKeyProperties(file.toString());
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (org.loyaltypenalty.UserException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw Errors.configUnreadable(file.toString(), e.getMessage());
    }
    Map<String, String> values = new HashMap<>();
    props.stringPropertyNames().forEach(k -> values.put(k.trim(), props.getProperty(k).trim()));
    return fromMap(values, file.toString());
  }

  /** Builds a config from key/value pairs; {@code origin} names them in error messages. */
  public static AuditConfig fromMap(Map<String, String> values, String origin) {
    Map<String, String> quoteMapping = new HashMap<>();
    Map<String, String> purchaseMapping = new HashMap<>();
    Map<String, String> customerMapping = new HashMap<>();
    Map<String, String> references = new HashMap<>();
    Map<String, String> scalars = new HashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(MappingKeys.PURCHASE_MAPPING_PREFIX)) {
        String canonical = key.substring(MappingKeys.PURCHASE_MAPPING_PREFIX.length());
        requireKnown(key, canonical, Columns.Purchases.all(), origin);
        purchaseMapping.put(canonical, e.getValue());
      } else if (key.startsWith(MappingKeys.QUOTE_MAPPING_PREFIX)) {
        String canonical = key.substring(MappingKeys.QUOTE_MAPPING_PREFIX.length());
        requireKnown(key, canonical, Columns.Quotes.all(), origin);
        quoteMapping.put(canonical, e.getValue());
      } else if (key.startsWith(MappingKeys.CUSTOMER_MAPPING_PREFIX)) {
        customerMapping.put(key.substring(MappingKeys.CUSTOMER_MAPPING_PREFIX.length()), e.getValue());
      } else if (ConfigKey.of(key).isPresent()) {
        scalars.put(key, e.getValue());
      } else if (SegmentKeys.isReference(key)) {
        references.put(SegmentKeys.referenceSegment(key), e.getValue());
      } else {
        throw Errors.unknownConfigKey(key, origin, knownKeys());
      }
    }
    MappingKeys.requireDistinctSources(quoteMapping, Columns.Quotes.all(), MappingKeys.QUOTE_MAPPING_PREFIX, "quotes", origin);
    MappingKeys.requireDistinctSources(
        purchaseMapping, Columns.Purchases.all(), MappingKeys.PURCHASE_MAPPING_PREFIX, "purchases", origin);
    ConfigValues v = new ConfigValues(scalars);
    List<SegmentSpec> segments = SegmentKeys.parse(v, references, customerMapping);
    MappingKeys.requireDistinctSources(customerMapping,
        SegmentKeys.customerNames(segments, customerMapping),
        MappingKeys.CUSTOMER_MAPPING_PREFIX, "customers", origin);
    String currency = v.string(ConfigKey.DEFAULT_CURRENCY).toUpperCase(Locale.ROOT);
    if (!currency.isEmpty() && !currency.matches("[A-Z]{3}")) {
      throw Errors.badConfigValue(
          ConfigKey.DEFAULT_CURRENCY.key(), currency, "a three-letter ISO 4217 code such as GBP");
    }
    int repeatMin = v.positiveInt(ConfigKey.REPEAT_MIN);
    int loyalMin = v.positiveInt(ConfigKey.LOYAL_MIN);
    if (loyalMin <= repeatMin) {
      throw Errors.badConfigValue(
          ConfigKey.LOYAL_MIN.key(), Integer.toString(loyalMin),
          "a number larger than cohort.repeat_min (" + repeatMin + ")");
    }
    List<String> context = v.list(ConfigKey.CONTEXT_COLUMNS);
    for (String c : context) {
      if (!Columns.Quotes.CONTEXT.contains(c)) {
        throw Errors.badConfigValue(
            ConfigKey.CONTEXT_COLUMNS.key(), c,
            "a list drawn from " + String.join(",", Columns.Quotes.CONTEXT));
      }
    }
    String delimiter =
        v.string(ConfigKey.CSV_DELIMITER).isEmpty() ? "," : v.string(ConfigKey.CSV_DELIMITER);
    String encoding = v.encoding(ConfigKey.CSV_ENCODING);
    return new AuditConfig(
        new ColumnMapping(quoteMapping),
        new ColumnMapping(purchaseMapping),
        v.zone(ConfigKey.INPUT_TIMEZONE),
        delimiter,
        encoding,
        v.string(ConfigKey.PURCHASES_CSV_DELIMITER).isEmpty() ? delimiter
            : v.string(ConfigKey.PURCHASES_CSV_DELIMITER),
        v.string(ConfigKey.PURCHASES_CSV_ENCODING).isEmpty() ? encoding
            : v.encoding(ConfigKey.PURCHASES_CSV_ENCODING),
        v.numberFormats(),
        currency.isEmpty() ? Optional.empty() : Optional.of(currency),
        v.bool(ConfigKey.GENERATE_QUOTE_ID),
        new LinkedHashSet<>(v.list(ConfigKey.EXCLUDE_SKUS)),
        v.positiveInt(ConfigKey.LOOKBACK_DAYS),
        repeatMin,
        loyalMin,
        v.instant(ConfigKey.HISTORY_START),
        v.duration(ConfigKey.TIME_BUCKET),
        context,
        v.fraction(ConfigKey.FDR_Q),
        v.nonNegativeDouble(ConfigKey.MATERIALITY_PCT),
        v.fraction(ConfigKey.CONFIDENCE),
        v.positiveInt(ConfigKey.MIN_QUOTES),
        v.positiveInt(ConfigKey.MIN_CUSTOMERS),
        v.positiveDouble(ConfigKey.PRICE_UNIT),
        v.longValue(ConfigKey.PLACEBO_SEED),
        v.nonNegativeInt(ConfigKey.CELLS_PER_SKU),
        v.positiveInt(ConfigKey.PERSISTENCE_RUNS),
        v.raw().containsKey(ConfigKey.SHUFFLE_PARTITIONS.key())
            ? java.util.OptionalInt.of(v.positiveInt(ConfigKey.SHUFFLE_PARTITIONS))
            : java.util.OptionalInt.empty(),
        v.oneOf(ConfigKey.REPORT_LANG, List.of("en", "zh-CN")),
        v.positiveInt(ConfigKey.REPORT_MIN_CUSTOMERS),
        v.nonNegativeInt(ConfigKey.REPORT_FIGURE_SKUS),
        v.nonNegativeInt(ConfigKey.REPORT_ANNEX_QUOTES),
        v.share(ConfigKey.MAX_QUARANTINE_SHARE),
        segments,
        new ColumnMapping(customerMapping),
        v.string(ConfigKey.CUSTOMERS_CSV_DELIMITER).isEmpty() ? delimiter
            : v.string(ConfigKey.CUSTOMERS_CSV_DELIMITER),
        v.string(ConfigKey.CUSTOMERS_CSV_ENCODING).isEmpty() ? encoding
            : v.encoding(ConfigKey.CUSTOMERS_CSV_ENCODING),
        new AuditConfig.Privacy(
            v.string(ConfigKey.PRIVACY_KEY_FILE).isEmpty() ? Optional.empty()
                : Optional.of(v.string(ConfigKey.PRIVACY_KEY_FILE)),
            v.bool(ConfigKey.ALLOW_DIRECT_IDENTIFIERS),
            v.nonNegativeInt(ConfigKey.RETAIN_DAYS)),
        v.nonNegativeInt(ConfigKey.FAMILY_MIN_CUSTOMERS),
        new LinkedHashSet<>(v.list(ConfigKey.DISCLOSED_OFFERS)),
        new AuditConfig.SignOff(v.text(ConfigKey.REPORT_ORGANISATION),
            v.text(ConfigKey.REPORT_AUDITOR), v.text(ConfigKey.REPORT_STATEMENT)));
  }



  private static void requireKnown(String key, String canonical, List<String> names, String origin) {
    if (!names.contains(canonical)) {
      throw Errors.unknownConfigKey(key, origin, knownKeys());
    }
  }


  /** Properties that refuse a key given twice instead of keeping the last value. */
  private static final class UniqueKeyProperties extends Properties {
    private final String origin;

    UniqueKeyProperties(String origin) {
      this.origin = origin;
    }

    @Override
    public synchronized Object put(Object key, Object value) {
      String k = key.toString().trim();
      for (Object seen : keySet()) {
        if (seen.toString().trim().equals(k)) {
          throw Errors.duplicateConfigKey(k, origin, get(seen).toString().trim(),
              value.toString().trim());
        }
      }
      return super.put(key, value);
    }
  }

  private static List<String> knownKeys() {
    List<String> keys = new ArrayList<>();
    for (ConfigKey k : ConfigKey.values()) {
      keys.add(k.key());
    }
    keys.add(MappingKeys.QUOTE_MAPPING_PREFIX + "<" + String.join("|", Columns.Quotes.all()) + ">");
    keys.add(MappingKeys.PURCHASE_MAPPING_PREFIX + "<" + String.join("|", Columns.Purchases.all()) + ">");
    keys.add(MappingKeys.CUSTOMER_MAPPING_PREFIX + "<customer_id|birth_year|a segment>");
    keys.add(SegmentKeys.SEGMENT_PREFIX + "<segment>" + SegmentKeys.REFERENCE_SUFFIX);
    return keys;
  }

}
