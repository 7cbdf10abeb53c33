package org.loyaltypenalty.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.Partition;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;
import scala.jdk.javaapi.CollectionConverters;

class OrderKeepingCoalesceTest {

  @Test
  void fewerPartitionsHoldTheRowsInTheirOrder() {
    Dataset<Row> data = TestSpark.spark().range(0, 1000, 1, 13).toDF("id");
    Dataset<Row> fewer = OrderKeepingCoalesce.of(data, 4);
    assertEquals(4, fewer.rdd().getNumPartitions());
    List<Long> expected = LongStream.range(0, 1000).boxed().collect(Collectors.toList());
    assertEquals(expected, fewer.collectAsList().stream().map(r -> r.getLong(0)).toList());
  }

  @Test
  void eachGroupIsARunOfConsecutivePartitionsWhateverTheirLocations() {
    Dataset<Row> data = TestSpark.spark().range(0, 100, 1, 10).toDF("id");
    PartitionGroup[] groups = new OrderKeepingCoalesce().coalesce(3, data.rdd());
    List<List<Integer>> indices = new ArrayList<>();
    for (PartitionGroup g : groups) {
      indices.add(CollectionConverters.asJava(g.partitions()).stream()
          .map(Partition::index).toList());
    }
    assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8, 9)), indices);
  }

  @Test
  void aDatasetWithFewEnoughPartitionsIsReturnedAsItIs() {
    Dataset<Row> data = TestSpark.spark().range(0, 10, 1, 2).toDF("id");
    assertEquals(data, OrderKeepingCoalesce.of(data, 8));
  }
}
