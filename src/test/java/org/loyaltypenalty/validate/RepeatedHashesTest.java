package org.loyaltypenalty.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;

class RepeatedHashesTest {
  /**
   * The sort-and-scan count of repeated hashes against a grouping aggregation of the same
   * values: runs at the start and end of a partition, in the middle, long and short, negative
   * values and Long.MIN_VALUE/MAX_VALUE, spread over several input partitions.
   */
  @Test
  void repeatedHashesAreTheValuesAGroupingCountsMoreThanOnce() {
    List<Long> values = new ArrayList<>();
    for (long v = -500; v < 500; v++) {
      long copies = Math.floorMod(v * 7919, 5); // 0..4 copies of each value
      for (long c = 0; c < copies; c++) {
        values.add(v * 1_000_003L);
      }
    }
    values.addAll(List.of(Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
        Long.MAX_VALUE, 0L));
    Collections.shuffle(values, new Random(7));
    Dataset<Row> hashes = TestSpark.spark()
        .createDataset(values, Encoders.LONG()).toDF(RepeatedHashes.ID_HASH)
        .repartition(5);

    Map<Long, Long> expected = new HashMap<>();
    for (Row r : hashes.groupBy(RepeatedHashes.ID_HASH).count().filter("count > 1")
        .collectAsList()) {
      expected.put(r.getLong(0), r.getLong(1));
    }
    Map<Long, Long> found = new HashMap<>();
    for (Row r : RepeatedHashes.of(hashes).collectAsList()) {
      assertNull(found.put(r.getLong(0), r.getLong(1)), "each repeated hash once");
    }
    assertEquals(3L, expected.get(Long.MAX_VALUE));
    Set<Map.Entry<Long, Long>> missing = new HashSet<>(expected.entrySet());
    missing.removeAll(found.entrySet());
    Set<Map.Entry<Long, Long>> extra = new HashSet<>(found.entrySet());
    extra.removeAll(expected.entrySet());
    assertEquals(List.of(), List.copyOf(missing), "repeated hashes not found, or miscounted");
    assertEquals(List.of(), List.copyOf(extra), "hashes found that a grouping does not repeat");
    assertEquals(expected.size(), found.size());
  }
}
