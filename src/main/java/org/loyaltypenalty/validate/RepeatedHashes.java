package org.loyaltypenalty.validate;

import static org.apache.spark.sql.functions.col;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The 64-bit hashes of quote ids that occur more than once, found by sorting them: the first
 * step of {@link QuoteValidator}'s search for duplicate ids, which reads only the id column.
 */
final class RepeatedHashes {
  /** The input's one column: a hash of each id. */
  static final String ID_HASH = "__id_hash";
  /** How many rows carry a repeated hash. */
  static final String CANDIDATE_ROWS = "__candidate_rows";

  private RepeatedHashes() {}

  /**
   * The hashes of {@code hashes} (one long column, {@link #ID_HASH}) seen more than once, with
   * how many rows carry each ({@link #CANDIDATE_ROWS}). The hashes are shuffled by value and
   * sorted within each partition, and one scan counts the runs of equal values. Almost every
   * hash is unique, so a grouping aggregation would gain nothing from its partial aggregation
   * before the shuffle and pay for a hash map as large as its input on both sides of it (Spark
   * 4.1 cannot skip that step); sorting longs is cheaper.
   */
  static Dataset<Row> of(Dataset<Row> hashes) {
    StructType out = new StructType()
        .add(ID_HASH, DataTypes.LongType, false)
        .add(CANDIDATE_ROWS, DataTypes.LongType, false);
    return hashes.repartition(col(ID_HASH)).sortWithinPartitions(col(ID_HASH))
        .as(Encoders.LONG())
        .mapPartitions((MapPartitionsFunction<Long, Row>) RepeatedHashes::runsOfRepeats,
            Encoders.row(out));
  }

  /**
   * (value, run length) of each run longer than one in {@code sorted}, lazily: when most ids
   * repeat, a partition's runs are as many as its rows.
   */
  private static Iterator<Row> runsOfRepeats(Iterator<Long> sorted) {
    return new Iterator<>() {
      private long value;
      private long length;
      private boolean started;
      private Row next = advance();

      private Row advance() {
        while (sorted.hasNext()) {
          long v = sorted.next();
          if (started && v == value) {
            length++;
            continue;
          }
          Row run = started && length > 1 ? RowFactory.create(value, length) : null;
          value = v;
          length = 1;
          started = true;
          if (run != null) {
            return run;
          }
        }
        Row last = started && length > 1 ? RowFactory.create(value, length) : null;
        started = false;
        return last;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Row r = next;
        next = advance();
        return r;
      }
    };
  }
}
