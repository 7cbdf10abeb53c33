package org.loyaltypenalty.generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.io.OutputWriter;

/**
 * Writes a synthetic quote log, its purchase history and the truth, at any size: customers are
 * simulated in parallel by {@link CustomerSimulator}, so generation runs on the executors.
 *
 * <p>Outputs under the directory: {@code quotes.csv}, {@code purchases.csv} and
 * {@code customers.csv} (single files) or {@code quotes/}, {@code purchases/} and
 * {@code customers/} (directories of parts, for large sizes), and {@code truth.csv}: one row per
 * (SKU, currency, segment, comparison) with the planted penalty and the comparison's role (see
 * {@link SkuPlan#truthRole}), for the loyalty cohort and every {@link Segment} level against its
 * reference.
 *
 * <p>With {@link Spec#defences}, six head SKUs carry a platform's defences and two fee
 * penalties, one of loyal customers and one of a membership tier (see {@link SkuPlan.Role#OFFER_DISCLOSED} and after) and the quotes the columns
 * {@link CustomerSimulator#DEFENCE_COLUMNS}; the offer to disclose is
 * {@value SkuPlan#DISCLOSED_OFFER}. Every other column is the same as without.
 */
public final class SampleGenerator {
  /** Mean quotes per customer before segment weighting. */
  public static final double QUOTES_PER_CUSTOMER = 20;

  /** The size and shape of a generated log. */
  public record Spec(long quotes, int skus, int days, Instant start, long seed,
      double penalisedShare, boolean defences) {
    /** A sample whose penalties are the fixed plan's only ({@code penalisedShare} 0). */
    public Spec(long quotes, int skus, int days, Instant start, long seed) {
      this(quotes, skus, days, start, seed, 0);
    }

    /** A sample without the defence roles and their columns. */
    public Spec(long quotes, int skus, int days, Instant start, long seed,
        double penalisedShare) {
      this(quotes, skus, days, start, seed, penalisedShare, false);
    }

    /** The same sample with the defence roles ({@link SkuPlan#plan(int, double, boolean)}). */
    public Spec withDefences() {
      return new Spec(quotes, skus, days, start, seed, penalisedShare, true);
    }

    public long customers() {
      return Math.max(20, Math.round(quotes / (QUOTES_PER_CUSTOMER * 1.068)));
    }
  }

  private SampleGenerator() {}

  /** How the quotes and purchases are written. */
  public enum Output {
    /** {@code quotes.csv}, {@code purchases.csv}: one file each. */
    CSV_FILE,
    /** {@code quotes/}, {@code purchases/}: directories of CSV parts. */
    CSV_PARTS,
    /** {@code quotes/}, {@code purchases/}: Parquet, with the values still strings as in a CSV. */
    PARQUET
  }

  public static void generate(SparkSession spark, Spec spec, String outDir, Output output) {
    List<SkuPlan> plans = SkuPlan.plan(spec.skus(), spec.penalisedShare(), spec.defences());
    CustomerSimulator simulator = new CustomerSimulator(plans, spec.start(), spec.days(),
        QUOTES_PER_CUSTOMER, spec.seed(), spec.defences());
    int partitions = (int) Math.max(2, Math.min(2000, spec.quotes() / 500_000));
    Dataset<Long> customers = spark.range(0, spec.customers(), 1, partitions).as(Encoders.LONG());
    OutputWriter writer = new OutputWriter(spark, outDir);
    for (boolean purchases : new boolean[] {false, true}) {
      String[] columns = purchases ? CustomerSimulator.PURCHASE_COLUMNS : simulator.quoteColumns();
      Dataset<Row> rows = customers.flatMap((FlatMapFunction<Long, Row>) i -> {
        List<Row> out = new ArrayList<>();
        for (CustomerSimulator.Output o : simulator.simulate(i)) {
          if (o.purchase() == purchases) {
            out.add(RowFactory.create((Object[]) o.values()));
          }
        }
        return out.iterator();
      }, Encoders.row(strings(columns)));
      write(writer, rows, purchases ? "purchases" : "quotes", output);
    }
    Dataset<Row> profiles = customers.flatMap((FlatMapFunction<Long, Row>) i -> {
      List<Row> out = new ArrayList<>();
      for (String[] values : simulator.customerRows(i)) {
        out.add(RowFactory.create((Object[]) values));
      }
      return out.iterator();
    }, Encoders.row(strings(CustomerSimulator.CUSTOMER_COLUMNS)));
    write(writer, profiles, "customers", output);
    writer.writeText("truth.csv", truth(plans));
  }

  private static StructType strings(String[] columns) {
    StructType schema = new StructType();
    for (String c : columns) {
      schema = schema.add(c, DataTypes.StringType);
    }
    return schema;
  }

  private static void write(OutputWriter writer, Dataset<Row> rows, String name, Output output) {
    switch (output) {
      case CSV_FILE -> writer.writeCsvAsIs(rows, name + ".csv");
      case CSV_PARTS -> writer.writeCsvParts(rows, name);
      case PARQUET -> writer.writeParquet(rows, name);
    }
  }

  static String truth(List<SkuPlan> plans) {
    StringBuilder sb = new StringBuilder("sku_id,currency,merchant_id,comparison,role,"
        + "true_penalty_pct,popularity_rank,tail,segment,compared,reference\n");
    for (SkuPlan p : plans) {
      for (String currency : p.currencies()) {
        for (Segment segment : Segment.values()) {
          for (String level : segment.compared()) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%.1f,%d,%b,%s,%s,%s%n", p.skuId(),
                currency, p.merchantId(), segment.comparison(level),
                p.truthRole(segment, level),
                p.truePenaltyPct(segment, level), p.index(), p.index() > plans.size() / 2,
                segment.code(), level, segment.reference()));
          }
        }
      }
    }
    return sb.toString();
  }
}
