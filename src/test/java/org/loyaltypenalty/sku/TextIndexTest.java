package org.loyaltypenalty.sku;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextIndexTest {
  @Test
  void numbersEachValueOnceInTheOrderFirstSeenAsAHashMapWould() {
    Random rnd = new Random(5);
    TextIndex index = new TextIndex();
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      // many repeats, similar strings, and strings whose String.hashCode collide ("Aa", "BB")
      String value = switch (rnd.nextInt(3)) {
        case 0 -> String.format(Locale.ROOT, "C%07d", rnd.nextInt(50_000));
        case 1 -> rnd.nextBoolean() ? "Aa" + rnd.nextInt(100) : "BB" + rnd.nextInt(100);
        default -> Integer.toString(490_000 + rnd.nextInt(9_000));
      };
      int want = expected.computeIfAbsent(value, v -> expected.size());
      assertEquals(want, index.indexOf(new String(value.toCharArray())), value);
    }
    assertEquals(expected.size(), index.size());
    String[] values = index.values();
    expected.forEach((v, i) -> assertEquals(v, values[i]));
  }

  @Test
  void nullIsAValueLikeAnyOther() {
    TextIndex index = new TextIndex();
    assertEquals(0, index.indexOf("a"));
    assertEquals(1, index.indexOf(null));
    assertEquals(1, index.indexOf(null));
    assertEquals(2, index.indexOf(""));
    assertArrayEquals(new String[] {"a", null, ""}, index.values());
  }

  @Test
  void renumberingMovesEachValueToItsRankAndLookupsFollow() {
    TextIndex index = new TextIndex();
    for (String v : new String[] {"x", "y", "z", "w"}) {
      index.indexOf(v);
    }
    index.renumber(new int[] {2, 0, 3, 1});
    assertArrayEquals(new String[] {"y", "w", "x", "z"}, index.values());
    assertEquals(2, index.indexOf("x"));
    assertEquals(1, index.indexOf("w"));
    assertEquals(4, index.indexOf("v"));
    assertEquals("v", index.values()[4]);
    // growing after a renumbering keeps every number
    for (int i = 0; i < 1_000; i++) {
      assertEquals(5 + i, index.indexOf("n" + i));
    }
    assertEquals(2, index.indexOf("x"));
    assertEquals(0, index.indexOf("y"));
    assertEquals(1_005, index.size());
  }
}
