package org.loyaltypenalty.sku;

import java.util.Arrays;
import java.util.Objects;

/**
 * Dense numbers (0, 1, 2, ...) of text values, in the order the values are first seen: the
 * index of a SKU's customers, context levels and merchants while its quotes are read. An
 * open-addressing table of indices beside arrays of the values and their hashes: a lookup
 * compares hashes in an int array before it touches a string, and nothing is allocated per value
 * but its slot (a {@code HashMap<String, Integer>} allocates a node and a boxed index per value
 * and follows a pointer per probe). A null value is a value like any other.
 */
final class TextIndex {
  private String[] values = new String[16];
  private int[] hashes = new int[16];
  /** Index + 1 of the value in each slot, 0 for an empty slot; a power of two long. */
  private int[] slots = new int[32];
  private int size;

  /** The index of {@code value}, numbering it next when it is new. */
  int indexOf(String value) {
    int hash = hash(value);
    int mask = slots.length - 1;
    int slot = hash & mask;
    while (true) {
      int at = slots[slot] - 1;
      if (at < 0) {
        break;
      }
      if (hashes[at] == hash && Objects.equals(values[at], value)) {
        return at;
      }
      slot = (slot + 1) & mask;
    }
    int at = size++;
    if (at == values.length) {
      values = Arrays.copyOf(values, at * 2);
      hashes = Arrays.copyOf(hashes, at * 2);
    }
    values[at] = value;
    hashes[at] = hash;
    slots[slot] = at + 1;
    if (size * 2 > slots.length) {
      grow();
    }
    return at;
  }

  /** How many values are numbered. */
  int size() {
    return size;
  }

  /** The values, at their indices. */
  String[] values() {
    return Arrays.copyOf(values, size);
  }

  /**
   * Renumbers the values: the value numbered i is numbered {@code rank[i]} from here on
   * ({@code rank} a permutation of 0..size-1).
   */
  void renumber(int[] rank) {
    String[] renumbered = new String[values.length];
    int[] renumberedHashes = new int[hashes.length];
    for (int i = 0; i < size; i++) {
      renumbered[rank[i]] = values[i];
      renumberedHashes[rank[i]] = hashes[i];
    }
    values = renumbered;
    hashes = renumberedHashes;
    rehash(slots.length);
  }

  private void grow() {
    rehash(slots.length * 2);
  }

  private void rehash(int length) {
    slots = new int[length];
    int mask = length - 1;
    for (int at = 0; at < size; at++) {
      int slot = hashes[at] & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = at + 1;
    }
  }

  /** The value's hash code, its bits mixed so that similar strings spread over the table. */
  private static int hash(String value) {
    int h = value == null ? 0 : value.hashCode();
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
