package org.loyaltypenalty.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.loyaltypenalty.Errors;

/**
 * The input mapping keys of a config: {@code columns.<name>} (quotes),
 * {@code purchases.columns.<name>} and {@code customers.columns.<name>}, each naming the column
 * of the user's file that holds a contract column.
 */
final class MappingKeys {
  static final String QUOTE_MAPPING_PREFIX = "columns.";
  static final String PURCHASE_MAPPING_PREFIX = "purchases.columns.";
  static final String CUSTOMER_MAPPING_PREFIX = "customers.columns.";

  private MappingKeys() {}

  /**
   * Each source column holds one contract column: two mapped to the same source column, or one
   * mapped onto the name of an unmapped contract column (which is read from the column of its own
   * name), would read one column twice and silently change what a roll-up means.
   */
  static void requireDistinctSources(Map<String, String> mapping, List<String> names,
      String prefix, String input, String origin) {
    Map<String, String> readBy = new TreeMap<>();
    for (String canonical : new TreeSet<>(names)) {
      String source = mapping.getOrDefault(canonical, canonical);
      String other = readBy.putIfAbsent(source, canonical);
      if (other != null) {
        boolean implicit = !mapping.containsKey(canonical) || !mapping.containsKey(other);
        throw Errors.sharedSourceColumn(prefix + other, prefix + canonical, input, source, origin,
            implicit);
      }
    }
  }
}
