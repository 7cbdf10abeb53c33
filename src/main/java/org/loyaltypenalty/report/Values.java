package org.loyaltypenalty.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Reading the report's data back from its JSON form: maps, lists, numbers and text. */
final class Values {
  private Values() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object o) {
    return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  static Number num(Object o) {
    if (o instanceof Number n) {
      return n;
    }
    if (o == null) {
      return null;
    }
    try {
      return Long.parseLong(o.toString().trim());
    } catch (NumberFormatException e) {
      return Double.parseDouble(o.toString().trim());
    }
  }

  static Double dbl(Object o) {
    Number n = num(o);
    return n == null ? null : n.doubleValue();
  }

  static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  static String day(Object instant) {
    if (instant == null) {
      return "–";
    }
    try {
      return Instant.parse(instant.toString()).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    } catch (java.time.format.DateTimeParseException e) {
      return instant.toString();
    }
  }

  static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
