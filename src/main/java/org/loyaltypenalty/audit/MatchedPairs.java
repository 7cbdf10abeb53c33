package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.xxhash64;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Queue;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Pairs;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * Matched pairs for the evidence annex: for each flagged SKU comparison, quotes of its two
 * groups (compared and reference) paired in the same exact cell: the same SKU and currency, the
 * same time bucket and the same value of every other context dimension the comparison's fit
 * held fixed (a segment's own dimension is not one, as in {@link CellEvidence}). Each pair is
 * what a party can check by hand: two quotes of the same goods under the same conditions, one
 * to each group, minutes apart, at different prices.
 *
 * <p><b>Which pairs.</b> Within a cell, each quote's nearest quote of the other group in time is
 * the last one before it or the first one after it (the quotes ordered by time, then quote id);
 * the nearer of the two, ties to the smaller quote id. A pair is two quotes that are each
 * other's nearest (mutual nearest neighbours), so no quote is in two pairs. Of a comparison's
 * pairs, the {@value Pairs#PER_COMPARISON} closest in time are kept (ties by the compared, then the
 * reference quote id): the same pairs on every run. The quotes are shuffled by a 64-bit hash of
 * their cell and sorted by it alone, which Spark does as a radix sort of one number; each cell's
 * quotes are then put in time order on their own and read twice ({@link NearestPairs}): no
 * pairwise join, and after the sorts a time linear in a cell's quotes.
 *
 * <p>Quote ids, times and prices only: never a customer id or its pseudonym. The comparison's
 * distinct customers per group come last, for the report to withhold a comparison below k
 * when it publishes the pairs, as it does the annex.
 */
public final class MatchedPairs {
  private static final String LEVEL = "__level";
  private static final String SIDE = "__side";
  private static final String MICROS = "__micros";
  private static final String REF_MICROS = "__reference_micros";
  private static final String CMP_MICROS = "__compared_micros";
  private static final String CELL_HASH = "__cell_hash";
  private static final String SKU_REFERENCE = "__sku_customers_reference";
  private static final String SKU_COMPARED = "__sku_customers_compared";

  private final AuditConfig config;
  private final List<String> dimensions;

  /** @param dimensions the context dimensions the run's fits hold fixed (time bucket first) */
  public MatchedPairs(AuditConfig config, List<String> dimensions) {
    this.config = config;
    this.dimensions = List.copyOf(dimensions);
  }

  /**
   * The matched pairs of every flagged {@code sku} comparison of {@code findings}, ordered by
   * the comparison's penalty (largest first), SKU, currency, segment, comparison and pair.
   *
   * @param analysed the analysed quotes: quote id, time, price, cohort, segment columns and the
   *     fixed-effect column of each dimension
   */
  public Dataset<Row> pairs(Dataset<Row> analysed, Dataset<Row> findings) {
    Dataset<Row> flagged = findings
        .filter(col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED)))
        .select(col(Findings.SKU_ID).as(Quotes.SKU_ID), col(Findings.CURRENCY).as(Quotes.CURRENCY),
            col(Findings.SEGMENT), col(Findings.COMPARISON), col(Findings.COMPARED),
            col(Findings.REFERENCE), col(Findings.PENALTY_PCT).as(Pairs.SKU_PENALTY_PCT),
            col(Findings.Q_VALUE), col(Findings.CUSTOMERS_REFERENCE).as(SKU_REFERENCE),
            col(Findings.CUSTOMERS_COMPARED).as(SKU_COMPARED));
    List<String> segments = new ArrayList<>(List.of("cohort"));
    config.segments().stream().map(SegmentSpec::name).forEach(segments::add);
    Dataset<Row> out = null;
    for (String segment : segments) {
      Dataset<Row> some = pairs(analysed, flagged.filter(col(Findings.SEGMENT).equalTo(segment)),
          segment);
      out = out == null ? some : out.unionByName(some);
    }
    return out.orderBy(col(Pairs.SKU_PENALTY_PCT).desc(), col(Quotes.SKU_ID),
        col(Quotes.CURRENCY), col(Findings.SEGMENT), col(Findings.COMPARISON), col(Pairs.PAIR));
  }

  /**
   * The pairs of one segment's flagged comparisons ({@code cohort}: the loyalty cohort). Only
   * the cell, the side and the quote travel through the shuffle; each cell's quotes, sorted by
   * time, go to {@link NearestPairs}; the comparison's figures join the few pairs at the end.
   */
  private Dataset<Row> pairs(Dataset<Row> analysed, Dataset<Row> flagged, String segment) {
    List<String> held = dimensions.stream().filter(d -> !d.equals(segment)).toList();
    List<String> cell = new ArrayList<>(List.of(Quotes.SKU_ID, Quotes.CURRENCY,
        Findings.COMPARISON));
    held.forEach(d -> cell.add(ContextFrame.feColumn(d)));
    String level = segment.equals("cohort") ? Derived.COHORT : Derived.segment(segment);
    List<Column> quoteColumns = new ArrayList<>(List.of(col(Quotes.SKU_ID), col(Quotes.CURRENCY),
        col(level).as(LEVEL), col(Quotes.QUOTE_ID), col(Quotes.QUOTED_AT), col(Quotes.PRICE)));
    held.forEach(d -> quoteColumns.add(col(ContextFrame.feColumn(d))));
    Dataset<Row> sides = analysed.select(quoteColumns.toArray(Column[]::new))
        .join(broadcast(flagged.select(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON,
            Findings.COMPARED, Findings.REFERENCE)), seq(Quotes.SKU_ID, Quotes.CURRENCY))
        .filter(col(LEVEL).equalTo(col(Findings.COMPARED))
            .or(col(LEVEL).equalTo(col(Findings.REFERENCE))));
    // the cell's hash first: one long places and sorts the rows (a radix sort: a sort on more
    // keys would compare the cell's values and times row against row), the cell's values
    // confirm it, and each cell is put in time order in CellScan
    List<Column> layout = new ArrayList<>(List.of(
        xxhash64(cell.stream().map(functions::col).toArray(Column[]::new)).as(CELL_HASH)));
    cell.forEach(c -> layout.add(col(c)));
    layout.addAll(List.of(unix_micros(col(Quotes.QUOTED_AT)).as(MICROS), col(Quotes.QUOTE_ID),
        col(Quotes.PRICE), col(LEVEL).equalTo(col(Findings.COMPARED)).as(SIDE)));
    Dataset<Row> sorted = sides.select(layout.toArray(Column[]::new))
        .repartition(col(CELL_HASH))
        .sortWithinPartitions(col(CELL_HASH));
    StructType found = new StructType();
    for (String c : cell) {
      found = found.add(c, DataTypes.StringType);
    }
    found = found.add(REF_MICROS, DataTypes.LongType).add(Pairs.REFERENCE_QUOTE_ID,
            DataTypes.StringType).add(Pairs.REFERENCE_PRICE, DataTypes.DoubleType)
        .add(CMP_MICROS, DataTypes.LongType).add(Pairs.COMPARED_QUOTE_ID, DataTypes.StringType)
        .add(Pairs.COMPARED_PRICE, DataTypes.DoubleType);
    Dataset<Row> mutual = sorted.mapPartitions(new CellScan(cell.size()), Encoders.row(found));

    return mutual
        .join(broadcast(flagged), seq(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON))
        .withColumn(Findings.CONTEXT, CellEvidence.context(config, held))
        .withColumn(Pairs.SECONDS_APART, abs(col(CMP_MICROS).minus(col(REF_MICROS))).divide(1e6))
        .withColumn(Pairs.PAIR, row_number().over(Window
            .partitionBy(col(Quotes.SKU_ID), col(Quotes.CURRENCY), col(Findings.SEGMENT),
                col(Findings.COMPARISON))
            .orderBy(col(Pairs.SECONDS_APART), col(Pairs.COMPARED_QUOTE_ID),
                col(Pairs.REFERENCE_QUOTE_ID))))
        .filter(col(Pairs.PAIR).leq(Pairs.PER_COMPARISON))
        .select(col(Quotes.SKU_ID), col(Quotes.CURRENCY), col(Findings.SEGMENT),
            col(Findings.COMPARISON), col(Pairs.SKU_PENALTY_PCT), col(Findings.Q_VALUE),
            col(Findings.CONTEXT), col(Pairs.PAIR), col(Pairs.REFERENCE_QUOTE_ID),
            timestamp_micros(col(REF_MICROS)).as(Pairs.REFERENCE_QUOTED_AT),
            col(Pairs.REFERENCE_PRICE), col(Pairs.COMPARED_QUOTE_ID),
            timestamp_micros(col(CMP_MICROS)).as(Pairs.COMPARED_QUOTED_AT),
            col(Pairs.COMPARED_PRICE), col(Pairs.SECONDS_APART),
            col(Pairs.COMPARED_PRICE).divide(col(Pairs.REFERENCE_PRICE)).minus(1).multiply(100)
                .as(Pairs.PRICE_GAP_PCT),
            col(SKU_REFERENCE).as(Findings.CUSTOMERS_REFERENCE),
            col(SKU_COMPARED).as(Findings.CUSTOMERS_COMPARED));
  }

  /**
   * Reads a partition of quotes sorted by their cell's hash (cell hash, the cell's
   * {@code cellColumns} values, micros, quote id, price, compared side) and writes the mutual
   * nearest pairs of each cell: the cell's values, then the reference quote's micros, id and
   * price, then the compared quote's. The quotes of one hash are split by the cell's values (two
   * cells of one hash stay apart) and each cell is put in order of time, then quote id (as
   * Spark SQL orders strings), before it is read.
   */
  static final class CellScan implements MapPartitionsFunction<Row, Row> {
    private final int cellColumns;
    /** Where a read row holds its time; its quote id, price and side follow. */
    private final int micros;

    CellScan(int cellColumns) {
      this.cellColumns = cellColumns;
      this.micros = cellColumns + 1;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      // one hash at a time: a partition's pairs are never all held at once
      return new Iterator<>() {
        private final ArrayDeque<Row> pending = new ArrayDeque<>();
        private final List<Row> group = new ArrayList<>();

        @Override
        public boolean hasNext() {
          while (pending.isEmpty() && (rows.hasNext() || !group.isEmpty())) {
            while (rows.hasNext()) {
              Row r = rows.next();
              boolean next = !group.isEmpty() && group.get(0).getLong(0) != r.getLong(0);
              if (next) {
                emitGroup(group, pending);
                group.clear();
              }
              group.add(r);
              if (next) {
                break;
              }
            }
            if (!rows.hasNext() && !group.isEmpty() && pending.isEmpty()) {
              emitGroup(group, pending);
              group.clear();
            }
          }
          return !pending.isEmpty();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return pending.poll();
        }
      };
    }

    /**
     * The pairs of the quotes of one hash: of one cell, but for a collision of two cells, which
     * are split by their values ({@link #sameCell}) and paired apart.
     */
    private void emitGroup(List<Row> group, Queue<Row> out) {
      List<List<Row>> cells = new ArrayList<>(1);
      for (Row r : group) {
        List<Row> cell = null;
        for (List<Row> c : cells) {
          if (sameCell(c.get(0), r)) {
            cell = c;
            break;
          }
        }
        if (cell == null) {
          cell = new ArrayList<>();
          cells.add(cell);
        }
        cell.add(r);
      }
      for (List<Row> cell : cells) {
        emit(inTimeOrder(cell), out);
      }
    }

    private boolean sameCell(Row a, Row b) {
      for (int i = 1; i <= cellColumns; i++) {
        if (!Objects.equals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }

    /** {@code cell} sorted by time, then quote id, in place. */
    private List<Row> inTimeOrder(List<Row> cell) {
      cell.sort((a, b) -> {
        int byTime = Long.compare(a.getLong(micros), b.getLong(micros));
        return byTime != 0 ? byTime
            : NearestPairs.compareUtf8(a.getString(micros + 1), b.getString(micros + 1));
      });
      return cell;
    }

    private void emit(List<Row> cell, Queue<Row> out) {
      int n = cell.size();
      boolean[] compared = new boolean[n];
      long[] times = new long[n];
      String[] ids = new String[n];
      for (int i = 0; i < n; i++) {
        Row r = cell.get(i);
        times[i] = r.getLong(micros);
        ids[i] = r.getString(micros + 1);
        compared[i] = r.getBoolean(micros + 3);
      }
      for (int[] pair : NearestPairs.of(compared, times, ids, n)) {
        Row cmp = cell.get(pair[0]);
        Row ref = cell.get(pair[1]);
        Object[] values = new Object[cellColumns + 6];
        for (int i = 0; i < cellColumns; i++) {
          values[i] = cmp.get(i + 1);
        }
        values[cellColumns] = times[pair[1]];
        values[cellColumns + 1] = ids[pair[1]];
        values[cellColumns + 2] = ref.getDouble(micros + 2);
        values[cellColumns + 3] = times[pair[0]];
        values[cellColumns + 4] = ids[pair[0]];
        values[cellColumns + 5] = cmp.getDouble(micros + 2);
        out.add(RowFactory.create(values));
      }
    }
  }
}
