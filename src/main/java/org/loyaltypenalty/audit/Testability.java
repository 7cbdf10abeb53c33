package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;
import static org.loyaltypenalty.spark.ColumnNames.seq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.run.TestabilityAdvice;

/**
 * Counts, rather than guesses, how many of the loyalty cohort's untested comparisons a coarser
 * time bucket would make testable ({@link TestabilityAdvice}). At the next coarser bucket (1
 * day, else 7 days) each quote of new customers and of the compared cohort is put in its exact
 * context cell (SKU, currency, coarser bucket, every other dimension held fixed); the quotes in
 * cells holding both groups are counted per group, quotes and distinct customers, and checked
 * against the minimum-data rules. The driver sees one row.
 *
 * <p>The count is a lower bound: the fit holds the dimensions fixed additively and keeps every
 * quote that is not a singleton, so it keeps at least the quotes of cells holding both groups.
 */
final class Testability {
  static final List<Duration> COARSER = List.of(Duration.ofDays(1), Duration.ofDays(7));

  private final AuditConfig config;
  private final List<String> dimensions;

  Testability(AuditConfig config, List<String> dimensions) {
    this.config = config;
    this.dimensions = List.copyOf(dimensions);
  }

  /** The next coarser bucket than the run's, or null when there is none. */
  Duration coarser() {
    return COARSER.stream().filter(d -> d.compareTo(config.timeBucket()) > 0).findFirst()
        .orElse(null);
  }

  /**
   * @param analysed the analysed quotes (cohort, context levels)
   * @param findings the loyalty cohort's findings rows
   */
  TestabilityAdvice advise(Dataset<Row> analysed, Dataset<Row> findings) {
    Column untested = col(Findings.STATUS).equalTo(Status.INSUFFICIENT_DATA.code());
    Column inconclusive = col(Findings.STATUS).equalTo(Status.INCONCLUSIVE.code());
    Dataset<Row> candidates = findings.filter(col(Findings.LEVEL).equalTo("sku")
        .and(untested.or(inconclusive)));
    Row counts = candidates.agg(sum(when(untested, 1).otherwise(0)),
        sum(when(inconclusive, 1).otherwise(0)),
        sum(when(org.apache.spark.sql.functions.coalesce(col(Findings.CELLS_WITH_BOTH), lit(0L))
            .equalTo(0), 1).otherwise(0))).first();
    long nUntested = counts.isNullAt(0) ? 0 : counts.getLong(0);
    long nInconclusive = counts.isNullAt(1) ? 0 : counts.getLong(1);
    long withoutCell = counts.isNullAt(2) ? 0 : counts.getLong(2);
    Duration coarser = coarser();
    if (coarser == null) {
      return new TestabilityAdvice(config.timeBucketLabel(), null, nUntested, nInconclusive,
          withoutCell, null, null);
    }
    if (nUntested + nInconclusive == 0) {
      return new TestabilityAdvice(config.timeBucketLabel(), coarser.toDays() + "d", 0, 0,
          withoutCell, 0L, 0L);
    }
    // only the candidates' SKUs: the counts are joined to them, and they are usually few
    Dataset<Row> matched = matchedCounts(analysed, coarser.getSeconds(),
        candidates.select(col(Findings.SKU_ID).as(Quotes.SKU_ID),
            col(Findings.CURRENCY).as(Quotes.CURRENCY)));
    Column smaller = least(col("customers_ref"), col("customers_cmp"));
    Column testable = col("quotes_ref").geq(config.minQuotesPerCohort())
        .and(col("quotes_cmp").geq(config.minQuotesPerCohort()))
        .and(smaller.geq(config.minCustomersPerCohort()));
    Row r = candidates.select(col(Findings.SKU_ID).as(Quotes.SKU_ID),
            col(Findings.CURRENCY).as(Quotes.CURRENCY), col(Findings.COMPARISON),
            col(Findings.STATUS), least(col(Findings.CUSTOMERS_REFERENCE),
                col(Findings.CUSTOMERS_COMPARED)).as("__smaller_now"))
        .join(matched, seq(Quotes.SKU_ID, Quotes.CURRENCY, Findings.COMPARISON))
        .agg(sum(when(untested.and(testable), 1).otherwise(0)),
            sum(when(inconclusive.and(smaller.gt(col("__smaller_now"))), 1).otherwise(0)))
        .first();
    return new TestabilityAdvice(config.timeBucketLabel(), coarser.toDays() + "d",
        nUntested, nInconclusive, withoutCell, r.isNullAt(0) ? 0L : r.getLong(0),
        r.isNullAt(1) ? 0L : r.getLong(1));
  }

  /**
   * Per (SKU, currency, comparison) of the SKUs in {@code keys}: quotes and distinct customers of
   * each group in the exact cells at a bucket of {@code seconds} that hold both groups; a
   * comparison with no such cell has no row. Columns: SKU, currency, comparison,
   * {@code quotes_ref}, {@code quotes_cmp}, {@code customers_ref}, {@code customers_cmp},
   * {@code __quotes} (both groups).
   *
   * <p>One shuffle: each SKU's quotes are gathered in one task, sorted by SKU, and counted there
   * ({@link SkuCells}), one SKU at a time; as in the per-SKU pass, a SKU's quotes are held in
   * memory together.
   *
   * @param keys the SKUs (SKU and currency columns) to count
   */
  Dataset<Row> matchedCounts(Dataset<Row> analysed, long seconds, Dataset<Row> keys) {
    Column localSeconds = unix_seconds(
        from_utc_timestamp(col(Quotes.QUOTED_AT), config.timezone().getId()));
    List<Column> columns = new ArrayList<>(List.of(col(Quotes.SKU_ID), col(Quotes.CURRENCY),
        col(Derived.COHORT), col(Quotes.CUSTOMER_ID),
        floor(localSeconds.divide(seconds)).as("__bucket")));
    List<String> held = dimensions.stream().filter(d -> !d.equals(ContextFrame.TIME_BUCKET))
        .toList();
    held.forEach(d -> columns.add(col(ContextFrame.feColumn(d))));
    Dataset<Row> quotes = analysed.select(columns.toArray(Column[]::new))
        .join(broadcast(keys.select(Quotes.SKU_ID, Quotes.CURRENCY).distinct()),
            seq(Quotes.SKU_ID, Quotes.CURRENCY), "left_semi");
    StructType counts = new StructType()
        .add(Quotes.SKU_ID, DataTypes.StringType).add(Quotes.CURRENCY, DataTypes.StringType)
        .add(Findings.COMPARISON, DataTypes.StringType)
        .add("quotes_ref", DataTypes.LongType).add("quotes_cmp", DataTypes.LongType)
        .add("customers_ref", DataTypes.LongType).add("customers_cmp", DataTypes.LongType)
        .add("__quotes", DataTypes.LongType);
    return quotes.repartition(col(Quotes.SKU_ID), col(Quotes.CURRENCY))
        .sortWithinPartitions(Quotes.SKU_ID, Quotes.CURRENCY)
        .mapPartitions(new SkuCells(held.size()), Encoders.row(counts));
  }

  /**
   * Reads a partition of quotes sorted by SKU and currency (SKU, currency, cohort, customer,
   * bucket, then the held dimensions' levels) and writes, per SKU and comparison, the counts of
   * {@link #matchedCounts}.
   */
  private static final class SkuCells implements MapPartitionsFunction<Row, Row> {
    private static final int COHORT = 2;
    private static final int CUSTOMER = 3;
    private static final int CELL = 4;
    private final int held;

    SkuCells(int held) {
      this.held = held;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      List<Row> out = new ArrayList<>();
      List<Row> sku = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        if (!sku.isEmpty() && !(sku.get(0).get(0).equals(r.get(0))
            && sku.get(0).get(1).equals(r.get(1)))) {
          count(sku, out);
          sku.clear();
        }
        sku.add(r);
      }
      if (!sku.isEmpty()) {
        count(sku, out);
      }
      return out.iterator();
    }

    /** One SKU's quotes: a row per comparison that has a cell holding both groups. */
    private void count(List<Row> quotes, List<Row> out) {
      String reference = Comparison.reference().code();
      List<List<Object>> cellOf = new ArrayList<>(quotes.size());
      quotes.forEach(q -> cellOf.add(cell(q)));
      for (Comparison c : Comparison.values()) {
        String compared = c.compared().code();
        // 1: the reference group is in the cell, 2: the compared group, 3: both
        Map<List<Object>, Integer> cells = new HashMap<>();
        for (int i = 0; i < quotes.size(); i++) {
          String cohort = quotes.get(i).getString(COHORT);
          if (cohort.equals(reference) || cohort.equals(compared)) {
            cells.merge(cellOf.get(i), cohort.equals(reference) ? 1 : 2, (a, b) -> a | b);
          }
        }
        long quotesRef = 0;
        long quotesCmp = 0;
        Set<String> customersRef = new HashSet<>();
        Set<String> customersCmp = new HashSet<>();
        for (int i = 0; i < quotes.size(); i++) {
          Row q = quotes.get(i);
          String cohort = q.getString(COHORT);
          boolean ref = cohort.equals(reference);
          if ((ref || cohort.equals(compared)) && cells.get(cellOf.get(i)) == 3) {
            if (ref) {
              quotesRef++;
              customersRef.add(q.getString(CUSTOMER));
            } else {
              quotesCmp++;
              customersCmp.add(q.getString(CUSTOMER));
            }
          }
        }
        if (quotesRef + quotesCmp > 0) {
          Row first = quotes.get(0);
          out.add(RowFactory.create(first.get(0), first.get(1), c.code(), quotesRef, quotesCmp,
              (long) customersRef.size(), (long) customersCmp.size(), quotesRef + quotesCmp));
        }
      }
    }

    /** The quote's exact cell within its SKU: the bucket and the held dimensions' levels. */
    private List<Object> cell(Row q) {
      Object[] key = new Object[held + 1];
      for (int i = 0; i <= held; i++) {
        key[i] = q.get(CELL + i);
      }
      return java.util.Arrays.asList(key);
    }
  }
}
