package org.loyaltypenalty.sku;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueOrderTest {
  /** Numbers the values in the order given, as a group's rows would first show them. */
  private static TextIndex seen(List<String> values) {
    TextIndex index = new TextIndex();
    values.forEach(index::indexOf);
    return index;
  }

  /** Each value's new number. */
  private static Map<String, Integer> ranks(List<String> values) {
    String[] seen = seen(values).values();
    int[] rank = ValueOrder.renumber(seen);
    Map<String, Integer> out = new HashMap<>();
    for (int old = 0; old < seen.length; old++) {
      out.put(seen[old], rank[old]);
    }
    return out;
  }

  @Test
  void theNumbersDependOnTheValuesNotOnTheOrderTheyWereSeenIn() {
    // "Aa" and "BB" share a String.hashCode, as do "AaAa", "BBBB", "AaBB" and "BBAa"
    List<String> values = List.of("C0000012", "BB", "Aa", "M3", "BBBB", "AaAa", "BBAa", "AaBB");
    Map<String, Integer> forwards = ranks(values);
    List<String> reversed = new ArrayList<>(values);
    Collections.reverse(reversed);
    Map<String, Integer> backwards = ranks(reversed);
    assertEquals(forwards, backwards);
    assertEquals(values.size(), forwards.values().stream().distinct().count(), "dense and distinct");
  }

  @Test
  void valuesAreOrderedByHashThenByValueWhereHashesTieWithNullFirst() {
    List<String> values = new ArrayList<>(List.of("BB", "b", "Aa", "a"));
    values.add(1, null);
    Map<String, Integer> rank = ranks(values);
    // null (hash taken as the smallest int), then "Aa" = "BB" (2112) by value, then "a" (97) is
    // below both: hashCode order is 97 ("a"), 98 ("b"), 2112 ("Aa", "BB")
    assertEquals(0, rank.get(null));
    assertEquals(1, rank.get("a"));
    assertEquals(2, rank.get("b"));
    assertEquals(3, rank.get("Aa"));
    assertEquals(4, rank.get("BB"));
  }
}
