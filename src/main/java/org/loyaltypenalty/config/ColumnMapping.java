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
