package org.loyaltypenalty.config;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical column name -> the name in the user's file, for one input. Unmapped canonical names
 * are looked up under their own name.
 */
public record ColumnMapping(Map<String, String> sourceByCanonical) implements Serializable {
  public ColumnMapping {
    sourceByCanonical = Map.copyOf(sourceByCanonical);
  }

  /**
   * The config key that maps canonical column {@code canonical} of {@code input} ("quotes" or
   * "purchases"): {@code columns.<name>} or {@code purchases.columns.<name>}.
   */
  public static String key(String input, String canonical) {
    return (input.equals("purchases") ? MappingKeys.PURCHASE_MAPPING_PREFIX
        : MappingKeys.QUOTE_MAPPING_PREFIX) + canonical;
  }

  /** The name of the canonical column in the user's file. */
  public String source(String canonical) {
    return sourceByCanonical.getOrDefault(canonical, canonical);
  }

  public boolean isMapped(String canonical) {
    return sourceByCanonical.containsKey(canonical);
  }

  /** Sorted view, for the manifest. */
  public Map<String, String> asSortedMap() {
    return new TreeMap<>(sourceByCanonical);
  }
}
