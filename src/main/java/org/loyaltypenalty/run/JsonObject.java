package org.loyaltypenalty.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON object whose keys keep the order given. {@code Map.of} iterates in an order that
 * changes from one JVM to the next, so a file written from it would differ between two runs of
 * the same audit.
 */
public final class JsonObject {
  private JsonObject() {}

  /** The object {@code {k1: v1, k2: v2, ...}}, in that order (values may be null). */
  public static Map<String, Object> of(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }
}
