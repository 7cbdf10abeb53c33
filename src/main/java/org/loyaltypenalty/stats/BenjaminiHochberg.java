package org.loyaltypenalty.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Benjamini-Hochberg adjusted p-values (q-values) over every row of a dataset that has a
 * p-value, computed without ever bringing the p-values to one place.
 *
 * <p>Method (Benjamini &amp; Hochberg 1995, JRSS B 57(1); as R {@code p.adjust(p, "BH")}): with
 * m tests sorted by p, {@code q_(i) = min_{j >= i} min(1, m p_(j) / j)}. Rejecting every test
 * with {@code q <= alpha} controls the false discovery rate at alpha for independent or
 * positively dependent tests. Ties get the same q.
 *
 * <p>Distributed: a range-partitioned sort gives each partition a contiguous run of ranks; one
 * job counts each partition's rows, which numbers them (its first rank is the count before
 * it); the running minimum from the top is taken inside each partition and carried across
 * partitions through one small array of per-partition minima. The driver sees a count and a
 * minimum per partition.
 */
public final class BenjaminiHochberg {
  private BenjaminiHochberg() {}

  /**
   * @return {@code in} with a double column {@code qColumn}: the BH q-value where
   *     {@code pColumn} is not null, null elsewhere
   */
  public static Dataset<Row> adjust(Dataset<Row> in, String pColumn, String qColumn) {
    SparkSession spark = in.sparkSession();
    Dataset<Row> tested = in.filter(col(pColumn).isNotNull());
    Dataset<Row> untested = in.filter(col(pColumn).isNull())
        .withColumn(qColumn, lit(null).cast(DataTypes.DoubleType));
    StructType schema = tested.schema().add(qColumn, DataTypes.DoubleType);
    int pIndex = tested.schema().fieldIndex(pColumn);

    JavaRDD<Row> sorted = tested.sort(col(pColumn)).javaRDD()
        .persist(StorageLevel.MEMORY_AND_DISK());
    // each partition's first rank: its rows are a contiguous run of the sorted p-values
    List<Tuple2<Integer, Long>> sizes = sorted.mapPartitionsWithIndex(
        (Integer part, Iterator<Row> it) -> {
          long n = 0;
          for (; it.hasNext(); it.next()) {
            n++;
          }
          return List.of(new Tuple2<>(part, n)).iterator();
        }, true).collect();
    int parts = sorted.getNumPartitions();
    long[] first = new long[parts + 1];
    sizes.forEach(t -> first[t._1() + 1] = t._2());
    for (int i = 0; i < parts; i++) {
      first[i + 1] += first[i];
    }
    long m = first[parts];
    if (m == 0) {
      sorted.unpersist();
      return untested;
    }
    List<Tuple2<Integer, Double>> minima = sorted.mapPartitionsWithIndex(
        (Integer part, Iterator<Row> it) -> {
          double min = Double.POSITIVE_INFINITY;
          for (long rank = first[part]; it.hasNext(); rank++) {
            min = Math.min(min, raw(it.next().getDouble(pIndex), rank, m));
          }
          return List.of(new Tuple2<>(part, min)).iterator();
        }, true).collect();
    double[] carry = new double[parts + 1];
    carry[parts] = Double.POSITIVE_INFINITY;
    double[] partMin = new double[parts];
    java.util.Arrays.fill(partMin, Double.POSITIVE_INFINITY);
    minima.forEach(t -> partMin[t._1()] = t._2());
    for (int i = parts - 1; i >= 0; i--) {
      carry[i] = Math.min(carry[i + 1], partMin[i]);
    }
    JavaRDD<Row> adjusted = sorted.mapPartitionsWithIndex(
        (Integer part, Iterator<Row> it) -> {
          List<Row> rows = new ArrayList<>();
          it.forEachRemaining(rows::add);
          double running = carry[part + 1];
          Row[] out = new Row[rows.size()];
          for (int i = rows.size() - 1; i >= 0; i--) {
            running = Math.min(running, raw(rows.get(i).getDouble(pIndex), first[part] + i, m));
            out[i] = append(rows.get(i), running);
          }
          return java.util.Arrays.asList(out).iterator();
        }, true);
    Dataset<Row> result = spark.createDataFrame(adjusted, schema);
    return result.unionByName(untested);
  }

  private static double raw(double p, long zeroBasedRank, long m) {
    return Math.min(1.0, p * m / (zeroBasedRank + 1));
  }

  private static Row append(Row row, double value) {
    Object[] values = new Object[row.length() + 1];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    values[row.length()] = value;
    return RowFactory.create(values);
  }
}
