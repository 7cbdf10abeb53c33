package org.loyaltypenalty.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.segment.AgeBands;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * The segment keys of a config: {@code segments}, {@code segment.<name>.reference},
 * {@code segment.age.bands}, and the customers column mappings they make readable, checked
 * against one another into the run's {@link SegmentSpec}s.
 */
final class SegmentKeys {
  static final String SEGMENT_PREFIX = "segment.";
  static final String REFERENCE_SUFFIX = ".reference";
  /** A segment's name: it names a column ({@code segment_<name>}) and config keys. */
  private static final Pattern SEGMENT_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private SegmentKeys() {}

  /** Whether {@code key} is a {@code segment.<name>.reference} key. */
  static boolean isReference(String key) {
    return key.startsWith(SEGMENT_PREFIX) && key.endsWith(REFERENCE_SUFFIX)
        && key.length() > SEGMENT_PREFIX.length() + REFERENCE_SUFFIX.length();
  }

  /** The segment a {@code segment.<name>.reference} key names. */
  static String referenceSegment(String key) {
    return key.substring(SEGMENT_PREFIX.length(), key.length() - REFERENCE_SUFFIX.length());
  }

  /**
   * The configured segments, in the order listed: each name a lower-case identifier, listed
   * once, not {@code cohort} (the loyalty cohort is always tested); each reference key names a
   * listed segment, and the age reference is one of its band labels. The age bands are read
   * only when {@code age} is listed, and may be set only then; a customers column mapping names
   * {@code customer_id}, {@code birth_year} or a listed segment.
   */
  static List<SegmentSpec> parse(ConfigValues v, Map<String, String> references,
      Map<String, String> customerMapping) {
    List<String> names = v.list(ConfigKey.SEGMENTS);
    List<SegmentSpec> out = new ArrayList<>();
    for (String name : names) {
      if (name.equals(SegmentSpec.COHORT)) {
        throw Errors.segmentReserved(ConfigKey.SEGMENTS.key());
      }
      if (!SEGMENT_NAME.matcher(name).matches()) {
        throw Errors.badSegmentName(name);
      }
      if (name.equals(Columns.Customers.CUSTOMER_ID)) {
        throw Errors.segmentNotAllowed(name, "each customer would be a group of one");
      }
      if (List.of(Columns.Derived.RAW, Columns.Derived.REASON, Columns.Derived.SOURCE)
          .contains(name)) {
        throw Errors.segmentNotAllowed(name, "the name is taken by a column of the quarantine;"
            + " name the segment otherwise and map the column to that name with"
            + " customers.columns.<name> = " + name);
      }
      if (name.equals(Columns.Customers.BIRTH_YEAR)) {
        throw Errors.segmentNotAllowed(name,
            "the birth year never leaves the step that reads it; test the age bands with age");
      }
      if (out.stream().anyMatch(s -> s.name().equals(name))) {
        throw Errors.badConfigValue(ConfigKey.SEGMENTS.key(), v.string(ConfigKey.SEGMENTS),
            "each segment listed once ('" + name + "' is listed twice)");
      }
      List<Integer> bands = name.equals(SegmentSpec.AGE) ? ageBands(v) : List.of();
      Optional<String> reference = Optional.ofNullable(references.get(name))
          .map(r -> r.trim().toLowerCase(Locale.ROOT));
      String referenceKey = SEGMENT_PREFIX + name + REFERENCE_SUFFIX;
      if (reference.isPresent() && reference.get().isEmpty()) {
        throw Errors.badConfigValue(referenceKey, "",
            "a level of " + name + " (or remove the key: the level with the most customers)");
      }
      if (reference.isPresent() && name.equals(SegmentSpec.AGE)) {
        List<String> labels = new AgeBands(bands).labels();
        if (!labels.contains(reference.get())) {
          throw Errors.badConfigValue(referenceKey, reference.get(),
              "one of the age bands of segment.age.bands: " + String.join(", ", labels));
        }
      }
      out.add(new SegmentSpec(name, reference, bands));
    }
    for (String name : new TreeSet<>(references.keySet())) {
      if (!names.contains(name)) {
        throw Errors.segmentKeyUnused(SEGMENT_PREFIX + name + REFERENCE_SUFFIX, name, names);
      }
    }
    if (v.raw().containsKey(ConfigKey.AGE_BANDS.key()) && !names.contains(SegmentSpec.AGE)) {
      throw Errors.segmentKeyUnused(ConfigKey.AGE_BANDS.key(), SegmentSpec.AGE, names);
    }
    for (String name : new TreeSet<>(customerMapping.keySet())) {
      if (!name.equals(Columns.Customers.CUSTOMER_ID) && !name.equals(Columns.Customers.BIRTH_YEAR)
          && !names.contains(name)) {
        throw Errors.segmentKeyUnused(MappingKeys.CUSTOMER_MAPPING_PREFIX + name, name, names);
      }
      if (name.equals(SegmentSpec.AGE)) {
        throw Errors.badSegmentMapping(MappingKeys.CUSTOMER_MAPPING_PREFIX + name);
      }
    }
    return out;
  }

  /** {@code segment.age.bands}: strictly increasing whole numbers above 0. */
  private static List<Integer> ageBands(ConfigValues v) {
    String value = v.string(ConfigKey.AGE_BANDS);
    List<Integer> edges = new ArrayList<>();
    try {
      for (String edge : v.list(ConfigKey.AGE_BANDS)) {
        edges.add(Integer.parseInt(edge));
      }
      new AgeBands(edges);
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw Errors.badConfigValue(ConfigKey.AGE_BANDS.key(), value,
          "strictly increasing whole numbers above 0, comma-separated, such as "
              + ConfigKey.AGE_BANDS.defaultValue());
    }
    return edges;
  }

  /** The customers columns the run reads: each from a column of its own. */
  static List<String> customerNames(List<SegmentSpec> segments,
      Map<String, String> customerMapping) {
    Set<String> names = new TreeSet<>(customerMapping.keySet());
    names.addAll(Segments.customerColumns(segments, new ColumnMapping(customerMapping)));
    names.add(Columns.Customers.CUSTOMER_ID);
    return List.copyOf(names);
  }
}
