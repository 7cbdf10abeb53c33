package org.loyaltypenalty.spark;

import java.io.Serializable;
import org.apache.spark.Partition;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Option;

/**
 * Fewer partitions of a small dataset, without a shuffle, in the same row order on every
 * deployment: partition {@code j} of the result is the parent's partitions
 * {@code [j * p / n, (j + 1) * p / n)}, consecutive and in order, so reading the result's
 * partitions in turn reads the parent's rows in their order.
 *
 * <p>Why not {@link Dataset#coalesce}: Spark's default coalescer groups the parent partitions by
 * their preferred locations, which on one machine are all the same (the order is kept) and on a
 * cluster are not (it is not). For a dataset of a few thousand rows (the findings) the trip
 * through an RDD of rows costs nothing that matters.
 */
public final class OrderKeepingCoalesce implements PartitionCoalescer, Serializable {
  private static final long serialVersionUID = 1L;

  /** {@code data} in at most {@code partitions} partitions, its rows in their order. */
  public static Dataset<Row> of(Dataset<Row> data, int partitions) {
    RDD<Row> rows = data.rdd();
    if (rows.getNumPartitions() <= partitions) {
      return data;
    }
    RDD<Row> fewer = rows.coalesce(partitions, false,
        Option.apply(new OrderKeepingCoalesce()), null);
    return data.sparkSession().createDataFrame(fewer, data.schema());
  }

  @Override
  public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
    Partition[] parts = parent.partitions();
    int n = Math.min(maxPartitions, parts.length);
    PartitionGroup[] groups = new PartitionGroup[n];
    for (int j = 0; j < n; j++) {
      groups[j] = new PartitionGroup(Option.empty());
      int from = (int) ((long) j * parts.length / n);
      int to = (int) ((long) (j + 1) * parts.length / n);
      for (int i = from; i < to; i++) {
        groups[j].partitions().addOne(parts[i]);
      }
    }
    return groups;
  }
}
