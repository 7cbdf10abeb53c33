package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.run.ExperimentReport;
import org.loyaltypenalty.run.ExperimentReport.Arm;
import org.loyaltypenalty.segment.SegmentSpec;
import org.loyaltypenalty.stats.ChiSquareIndependence;
import org.loyaltypenalty.stats.Inference;

/**
 * The randomisation check of price experiments (quotes with {@code experiment_id} and
 * {@code experiment_arm}): for each experiment and each tested segment (the loyalty cohort, then
 * each configured segment), is the arm a customer gets independent of the customer's level?
 *
 * <p>Each distinct customer of an experiment counts once, in the arm and at the level of their
 * first quote in it (earliest {@code quoted_at}, then lowest {@code quote_id}): a customer's
 * cohort grows with their purchases, and it is the level at assignment that a randomisation
 * must not depend on. Customers whose level is unknown at that quote are left out of that
 * segment's table. The table of distinct customers by arm x level is tested with Pearson's
 * chi-square test of independence ({@link ChiSquareIndependence}); its p-value joins the run's
 * Benjamini-Hochberg family ({@link FindingsBuilder}).
 *
 * <p>The price gap between arms: within each SKU and currency, the difference of the arms' mean
 * log prices, averaged over the SKUs both arms quote with weights {@code n_a n_b / (n_a + n_b)}
 * (the weights of a fit of log price on the arm with SKU fixed effects, for two arms). The
 * reference arm is the cheapest and the compared arm the dearest, by their gap to the first arm
 * by name; every arm's gap is then taken against the reference. Mean log prices are summed as
 * exact decimals (each log price rounded to 1e-18), so the gap does not depend on how Spark
 * splits the work.
 *
 * <p>Spark reduces the quotes to two small aggregates (customers per experiment, arm, segment
 * and level; quotes and summed log prices per experiment, SKU, currency and arm); the tests run
 * on the driver.
 */
public final class ExperimentCheck {
  /** The findings' {@code method} of an experiment row. */
  public static final String METHOD = "chi_square_independence";
  /** The findings' {@code level} of an experiment row. */
  public static final String LEVEL = "experiment";
  private static final String SEGMENT_LEVEL = "__level";
  private static final String FIRST = "__first";
  private static final String PAIR = "__pair";
  private static final String CUSTOMERS = "__customers";
  private static final String QUOTES = "__quotes";
  private static final String SUM_LOG = "__sum_log";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExperimentCheck() {}

  /** Distinct customers of one (experiment, arm, segment, level) at their first quote in it. */
  public record LevelCount(String experimentId, String arm, String segment, String level,
      long customers) {}

  /** Quotes of one (experiment, SKU, currency, arm) and the exact sum of their log prices. */
  public record ArmPrices(String experimentId, String skuId, String currency, String arm,
      long quotes, BigDecimal sumLog) {}

  /**
   * The check of one experiment in one segment.
   *
   * @param levels the segment's levels seen in the experiment, in order (cohorts new, repeat,
   *     loyal; other segments sorted)
   * @param arms every arm of the experiment, sorted by name
   * @param reference the cheapest arm
   * @param compared the dearest arm
   * @param gapLog the compared arm's price gap to the reference, log scale; null when unknown
   * @param skus SKU-currency pairs both of these arms quote
   * @param test the test of independence, null when the table has fewer than two arms or two
   *     levels with customers
   */
  public record Result(String experimentId, String segment, List<String> levels, List<Arm> arms,
      String reference, String compared, Double gapLog, int skus, ChiSquareIndependence test) {

    public Arm arm(String name) {
      return arms.stream().filter(a -> a.arm().equals(name)).findFirst().orElseThrow();
    }

    /** The report's record of this check, with its outcome in the findings. */
    public ExperimentReport report(Double qValue, boolean flagged, String status) {
      return new ExperimentReport(experimentId, segment, levels, reference, compared,
          gapLog == null ? null : Inference.percent(gapLog), skus,
          test == null ? null : test.statistic(),
          test == null ? null : test.degreesOfFreedom(), test == null ? null : test.pValue(),
          qValue, flagged, status, arms);
    }
  }

  /**
   * The checks of every experiment in {@code analysed} (analysed quotes with their cohort, one
   * {@link Derived#segment} column per configured segment, and {@code log_price}), by experiment
   * id, then segment in the order given (the cohort first).
   *
   * @param segments the configured segments' names, in order
   */
  public static List<Result> check(Dataset<Row> analysed, List<String> segments) {
    Dataset<Row> inExperiment = analysed.filter(col(Quotes.EXPERIMENT_ID).isNotNull());
    List<Column> firstFields = new ArrayList<>(List.of(col(Quotes.QUOTED_AT),
        col(Quotes.QUOTE_ID), col(Quotes.EXPERIMENT_ARM), col(Derived.COHORT)));
    List<Column> pairs = new ArrayList<>(List.of(struct(lit(SegmentSpec.COHORT).as(
        Findings.SEGMENT), col(FIRST + "." + Derived.COHORT).as(SEGMENT_LEVEL))));
    for (String s : segments) {
      firstFields.add(col(Derived.segment(s)));
      pairs.add(struct(lit(s).as(Findings.SEGMENT),
          col(FIRST + "." + Derived.segment(s)).as(SEGMENT_LEVEL)));
    }
    List<LevelCount> counts = new ArrayList<>();
    for (Row r : inExperiment
        .groupBy(col(Quotes.EXPERIMENT_ID), col(Quotes.CUSTOMER_ID))
        .agg(min(struct(firstFields.toArray(Column[]::new))).as(FIRST))
        .select(col(Quotes.EXPERIMENT_ID), col(FIRST + "." + Quotes.EXPERIMENT_ARM)
            .as(Quotes.EXPERIMENT_ARM), explode(array(pairs.toArray(Column[]::new))).as(PAIR))
        .filter(col(PAIR + "." + SEGMENT_LEVEL).isNotNull())
        .groupBy(col(Quotes.EXPERIMENT_ID), col(Quotes.EXPERIMENT_ARM),
            col(PAIR + "." + Findings.SEGMENT).as(Findings.SEGMENT),
            col(PAIR + "." + SEGMENT_LEVEL).as(SEGMENT_LEVEL))
        .agg(count(lit(1)).as(CUSTOMERS))
        .collectAsList()) {
      counts.add(new LevelCount(r.getString(0), r.getString(1), r.getString(2),
          r.getString(3), r.getLong(4)));
    }
    List<ArmPrices> prices = new ArrayList<>();
    for (Row r : inExperiment
        .groupBy(col(Quotes.EXPERIMENT_ID), col(Quotes.SKU_ID), col(Quotes.CURRENCY),
            col(Quotes.EXPERIMENT_ARM))
        .agg(count(lit(1)).as(QUOTES),
            sum(col(Derived.LOG_PRICE).cast(DataTypes.createDecimalType(38, 18))).as(SUM_LOG))
        .collectAsList()) {
      prices.add(new ArmPrices(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
          r.getLong(4), r.getDecimal(5)));
    }
    return evaluate(counts, prices, segments);
  }

  /** {@link #check} on the aggregates: plain Java, independent of their order. */
  static List<Result> evaluate(List<LevelCount> counts, List<ArmPrices> prices,
      List<String> segments) {
    // experiment -> arm -> (sku, currency) -> prices
    Map<String, TreeMap<String, TreeMap<String, ArmPrices>>> byArm = new TreeMap<>();
    for (ArmPrices p : prices) {
      byArm.computeIfAbsent(p.experimentId(), k -> new TreeMap<>())
          .computeIfAbsent(p.arm(), k -> new TreeMap<>())
          .put(p.skuId() + '\u0000' + p.currency(), p);
    }
    // experiment -> segment -> arm -> level -> customers
    Map<String, Map<String, TreeMap<String, TreeMap<String, Long>>>> tables = new TreeMap<>();
    for (LevelCount c : counts) {
      tables.computeIfAbsent(c.experimentId(), k -> new TreeMap<>())
          .computeIfAbsent(c.segment(), k -> new TreeMap<>())
          .computeIfAbsent(c.arm(), k -> new TreeMap<>())
          .merge(c.level(), c.customers(), Long::sum);
    }
    List<String> order = new ArrayList<>();
    order.add(SegmentSpec.COHORT);
    order.addAll(segments);
    List<Result> out = new ArrayList<>();
    for (var experiment : byArm.entrySet()) {
      TreeMap<String, TreeMap<String, ArmPrices>> arms = experiment.getValue();
      List<String> armNames = new ArrayList<>(arms.keySet());
      String base = armNames.get(0);
      // each arm's gap to the first arm: the cheapest is the reference, the dearest compared
      Map<String, Double> toBase = new LinkedHashMap<>();
      for (String a : armNames) {
        Double g = a.equals(base) ? Double.valueOf(0.0) : gap(arms.get(a), arms.get(base)).log();
        if (g != null) {
          toBase.put(a, g);
        }
      }
      String reference = base;
      for (var e : toBase.entrySet()) {
        if (e.getValue() < toBase.get(reference)) {
          reference = e.getKey();
        }
      }
      String compared = null;
      for (var e : toBase.entrySet()) {
        if (!e.getKey().equals(reference)
            && (compared == null || e.getValue() > toBase.get(compared))) {
          compared = e.getKey();
        }
      }
      if (compared == null) {
        // one arm, or no other arm quotes a SKU the first arm quotes
        compared = armNames.size() > 1 ? armNames.get(1) : base;
      }
      Gap rowGap = compared.equals(reference) ? new Gap(null, 0)
          : gap(arms.get(compared), arms.get(reference));
      Map<String, TreeMap<String, TreeMap<String, Long>>> bySegment =
          tables.getOrDefault(experiment.getKey(), Map.of());
      for (String segment : order) {
        TreeMap<String, TreeMap<String, Long>> table = bySegment.getOrDefault(segment,
            new TreeMap<>());
        List<String> levels = levels(segment, table);
        long[][] cells = new long[armNames.size()][levels.size()];
        List<Arm> armRows = new ArrayList<>();
        for (int i = 0; i < armNames.size(); i++) {
          String a = armNames.get(i);
          Map<String, Long> row = table.getOrDefault(a, new TreeMap<>());
          long total = 0;
          for (int j = 0; j < levels.size(); j++) {
            cells[i][j] = row.getOrDefault(levels.get(j), 0L);
            total += cells[i][j];
          }
          Map<String, Double> shares = new LinkedHashMap<>();
          for (int j = 0; j < levels.size(); j++) {
            shares.put(levels.get(j), total == 0 ? null : (double) cells[i][j] / total);
          }
          long quotes = arms.get(a).values().stream().mapToLong(ArmPrices::quotes).sum();
          Double gapLog = a.equals(reference) ? Double.valueOf(0.0)
              : gap(arms.get(a), arms.get(reference)).log();
          armRows.add(new Arm(a, total, quotes, shares,
              gapLog == null ? null : Inference.percent(gapLog)));
        }
        ChiSquareIndependence test = ChiSquareIndependence.testable(cells)
            ? ChiSquareIndependence.test(cells) : null;
        out.add(new Result(experiment.getKey(), segment, levels, armRows, reference, compared,
            rowGap.log(), rowGap.skus(), test));
      }
    }
    return out;
  }

  /** The levels of a segment's table, in order: the cohorts' own, else sorted. */
  private static List<String> levels(String segment, Map<String, TreeMap<String, Long>> table) {
    TreeSet<String> seen = new TreeSet<>();
    table.values().forEach(row -> seen.addAll(row.keySet()));
    if (!segment.equals(SegmentSpec.COHORT)) {
      return new ArrayList<>(seen);
    }
    List<String> out = new ArrayList<>();
    for (Cohort c : Cohort.values()) {
      if (seen.remove(c.code())) {
        out.add(c.code());
      }
    }
    out.addAll(seen);
    return out;
  }

  /** A price gap on the log scale (null when unknown) and the SKUs it rests on. */
  private record Gap(Double log, int skus) {}

  /**
   * Arm {@code a}'s price gap to arm {@code b}: the weighted mean over shared (SKU, currency) of
   * the difference of mean log prices, weights {@code n_a n_b / (n_a + n_b)}.
   */
  private static Gap gap(Map<String, ArmPrices> a, Map<String, ArmPrices> b) {
    double weighted = 0;
    double weights = 0;
    int skus = 0;
    for (var e : new TreeMap<>(a).entrySet()) {
      ArmPrices other = b.get(e.getKey());
      if (other == null) {
        continue;
      }
      ArmPrices mine = e.getValue();
      double d = mean(mine) - mean(other);
      double w = (double) mine.quotes() * other.quotes() / (mine.quotes() + other.quotes());
      weighted += w * d;
      weights += w;
      skus++;
    }
    return skus == 0 ? new Gap(null, 0) : new Gap(weighted / weights, skus);
  }

  private static double mean(ArmPrices p) {
    return p.sumLog().divide(BigDecimal.valueOf(p.quotes()), MathContext.DECIMAL128)
        .doubleValue();
  }

  /**
   * The experiment rows of the findings, before the false discovery rate control: the columns
   * {@link FindingsBuilder} unions with the SKU and merchant tests, and {@code experiment_id},
   * {@code chi_square} and {@code arms}. {@code penalty_pct} is the compared (dearest) arm's
   * price gap to the reference (cheapest) arm; {@code n_*} and {@code customers_*} are those two
   * arms' quotes and distinct customers of known level.
   */
  public static Dataset<Row> findingsRows(SparkSession spark, List<Result> results) {
    StructType schema = new StructType()
        .add(Findings.LEVEL, DataTypes.StringType)
        .add(Findings.COMPARISON, DataTypes.StringType)
        .add(Findings.MERCHANT_ID, DataTypes.StringType)
        .add(Findings.SKU_ID, DataTypes.StringType)
        .add(Findings.CURRENCY, DataTypes.StringType)
        .add(Findings.CONTEXT, DataTypes.StringType)
        .add(Findings.N_REFERENCE, DataTypes.LongType)
        .add(Findings.N_COMPARED, DataTypes.LongType)
        .add(Findings.CUSTOMERS_REFERENCE, DataTypes.LongType)
        .add(Findings.CUSTOMERS_COMPARED, DataTypes.LongType)
        .add(Findings.PENALTY_PCT, DataTypes.DoubleType)
        .add(Findings.CI_LOW_PCT, DataTypes.DoubleType)
        .add(Findings.CI_HIGH_PCT, DataTypes.DoubleType)
        .add(Findings.P_VALUE, DataTypes.DoubleType)
        .add(Findings.METHOD, DataTypes.StringType)
        .add(Findings.ESTIMATE_LOG, DataTypes.DoubleType)
        .add(Findings.STD_ERROR_LOG, DataTypes.DoubleType)
        .add(Findings.DEGREES_OF_FREEDOM, DataTypes.DoubleType)
        .add(Findings.CELLS_WITH_BOTH, DataTypes.LongType)
        .add(Findings.MDE_PCT, DataTypes.DoubleType)
        .add(Findings.UPPER_BOUND_PCT, DataTypes.DoubleType)
        .add(Findings.SEGMENT, DataTypes.StringType)
        .add(Findings.COMPARED, DataTypes.StringType)
        .add(Findings.REFERENCE, DataTypes.StringType)
        .add(Findings.ADJUSTED_PENALTY_PCT, DataTypes.DoubleType)
        .add(Findings.ADJUSTED_CI_LOW_PCT, DataTypes.DoubleType)
        .add(Findings.ADJUSTED_CI_HIGH_PCT, DataTypes.DoubleType)
        .add(Findings.EXPERIMENT_ID, DataTypes.StringType)
        .add(Findings.CHI_SQUARE, DataTypes.DoubleType)
        .add(Findings.ARMS, DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (Result r : results) {
      Arm reference = r.arm(r.reference());
      Arm compared = r.arm(r.compared());
      ChiSquareIndependence t = r.test();
      rows.add(RowFactory.create(LEVEL, r.compared() + "_vs_" + r.reference(), null, null, null,
          context(r), reference.quotes(), compared.quotes(), reference.customers(),
          compared.customers(), r.gapLog() == null ? null : Inference.percent(r.gapLog()), null,
          null, t == null ? null : t.pValue(), METHOD, r.gapLog(), null,
          t == null ? null : (double) t.degreesOfFreedom(), null, null, null, r.segment(),
          r.compared(), r.reference(), null, null, null, r.experimentId(),
          t == null ? null : t.statistic(), json(r.arms())));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** What the row tested, in the findings' words. */
  private static String context(Result r) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "arms held fixed in the fits; randomisation: distinct customers by arm x %s level at"
            + " their first quote in the experiment; price gap %s over %s over %d SKUs",
        r.segment(), r.compared(), r.reference(), r.skus()));
    if (r.test() == null) {
      s.append("; not tested: fewer than two arms or two levels with customers");
    } else if (r.test().minExpected() < 5) {
      s.append(String.format(Locale.ROOT,
          "; smallest expected count %.2f (the chi-square approximation is rough below 5)",
          r.test().minExpected()));
    }
    return s.toString();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
