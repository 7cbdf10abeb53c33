package org.loyaltypenalty.sku;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.stats.FixedEffectsRegression;

/**
 * The report's figures of one SKU, from the fit it is tested with. They describe each quote's
 * log price with the context removed: its residual from the SKU's fixed-effects fit plus its
 * cohort's coefficient. The residuals sum to zero over each cohort (they are orthogonal to the
 * cohort indicators and to every fixed-effect level), so new customers average exactly 0 and
 * each compared cohort exactly its estimate; quantiles are exact (R type 7, Commons Math).
 * Quotes dropped as singletons do not count. When every quote of a SKU has a list price, the
 * same model is fitted to log list price; the fit is linear in the response, so the estimate
 * minus that coefficient is the coefficient of log(price / list price), the discount part
 * ({@code FixedEffectsRegressionTest} pins the linearity).
 */
final class SkuFigures {
  /** Prior purchases at or above this are one tenure bucket. */
  static final int TENURE_CAP = 10;
  /** The quantiles of {@code distribution} figures. */
  static final double[] QUANTILES = {5, 25, 50, 75, 95};

  private SkuFigures() {}

  /** What a figure aggregates. */
  enum Kind {
    /** Per cohort: quantiles, mean and sd. */
    DISTRIBUTION,
    /** Per prior-purchase bucket, capped at {@value #TENURE_CAP}. */
    TENURE,
    /** Per context column, value and cohort. */
    HOLDS,
    /** Per comparison: the estimate fitted to log list price and to log discount. */
    SPLIT;

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One figure row; values on the log scale. Fields a kind does not use are null.
   *
   * @param quantilesLog {@link #QUANTILES} of a distribution
   */
  record Figure(Kind kind, Cohort cohort, String dimension, String value, Integer priorPurchases,
      Double meanLog, Double sdLog, Long quotes, Long customers, double[] quantilesLog,
      Comparison comparison, Double listGapLog, Double discountGapLog, Long customersReference,
      Long customersCompared) {}

  /**
   * The figures of {@code quotes} from their log-price {@code fit}.
   *
   * @param estimates the comparisons tested from the same fit (their customer counts label the
   *     list/discount split)
   * @param dimensions the context dimensions, in the order of {@code quotes}' levels
   */
  static List<Figure> of(SkuQuotes quotes, FixedEffectsRegression.Fit fit,
      List<Estimate> estimates, List<String> dimensions, double priceUnit) {
    int n = quotes.n;
    int[][] fe = quotes.fe;
    double[] effect = new double[Cohort.values().length];
    effect[Cohort.REPEAT.ordinal()] = Double.isNaN(fit.coefficients()[0]) ? 0 : fit.coefficients()[0];
    effect[Cohort.LOYAL.ordinal()] = Double.isNaN(fit.coefficients()[1]) ? 0 : fit.coefficients()[1];
    // one figure per cohort, per tenure bucket, and per (dimension, level, cohort), in arrays
    int cohorts = Cohort.values().length;
    List<String[]> levelNames = quotes.levelNames();
    Aggregate[] distribution = new Aggregate[cohorts];
    Aggregate[] tenure = new Aggregate[TENURE_CAP + 1];
    Aggregate[][] holds = new Aggregate[fe.length][];
    for (int k = 0; k < fe.length; k++) {
      holds[k] = new Aggregate[levelNames.get(k).length * cohorts];
    }
    int r = 0;
    for (int i = 0; i < n; i++) {
      if (!fit.kept()[i]) {
        continue;
      }
      double adjusted = fit.residuals()[r++] + effect[quotes.cohort[i]];
      Cohort cohort = Cohort.values()[quotes.cohort[i]];
      if (distribution[quotes.cohort[i]] == null) {
        distribution[quotes.cohort[i]] = new Aggregate(Kind.DISTRIBUTION, cohort, null, null, null);
      }
      distribution[quotes.cohort[i]].add(adjusted, quotes.customer[i]);
      int bucket = Math.min(quotes.prior[i], TENURE_CAP);
      if (tenure[bucket] == null) {
        tenure[bucket] = new Aggregate(Kind.TENURE, null, null, null, bucket);
      }
      tenure[bucket].add(adjusted, quotes.customer[i]);
      for (int k = 0; k < fe.length; k++) {
        String dimension = dimensions.get(k);
        if (dimension.equals(Derived.TIME_BUCKET)) {
          continue;
        }
        int slot = fe[k][i] * cohorts + quotes.cohort[i];
        if (holds[k][slot] == null) {
          holds[k][slot] = new Aggregate(Kind.HOLDS, cohort, dimension,
              levelNames.get(k)[fe[k][i]], null);
        }
        holds[k][slot].add(adjusted, quotes.customer[i]);
      }
    }
    List<Figure> out = new ArrayList<>();
    Stream.concat(Stream.of(distribution), Stream.of(tenure))
        .filter(Objects::nonNull).forEach(f -> out.add(f.figure()));
    for (Aggregate[] dimension : holds) {
      Stream.of(dimension).filter(Objects::nonNull).forEach(f -> out.add(f.figure()));
    }
    out.addAll(split(quotes, fit, estimates, priceUnit));
    return out;
  }

  /** The estimate split into list price and discount, when every quote has a list price. */
  private static List<Figure> split(SkuQuotes quotes, FixedEffectsRegression.Fit fit,
      List<Estimate> estimates, double priceUnit) {
    if (!quotes.hasListPrice) {
      return List.of();
    }
    double[] logList = new double[quotes.n];
    for (int i = 0; i < quotes.n; i++) {
      if (!(quotes.list[i] > 0)) {
        return List.of();
      }
      logList[i] = Math.log(quotes.list[i]);
    }
    // the fit is linear in the response: fitting log(price / list) = y - log list would give
    // the estimate minus the list part, so that part is not fitted a third time
    FixedEffectsRegression.Fit listFit = CohortFit.fit(quotes, logList, priceUnit);
    List<Figure> out = new ArrayList<>();
    for (Estimate e : estimates) {
      Comparison comparison = Comparison.of(e.contrast());
      int j = CohortFit.coefficient(comparison);
      if (!fit.identified()[j]) {
        continue;
      }
      out.add(new Figure(Kind.SPLIT, null, null, null, null, null, null, null, null, null,
          comparison, listFit.coefficients()[j],
          fit.coefficients()[j] - listFit.coefficients()[j], e.customersReference(),
          e.customersCompared()));
    }
    return out;
  }

  /** One aggregate of context-adjusted log prices, and the customers behind it. */
  private static final class Aggregate {
    private final Kind kind;
    private final Cohort cohort;
    private final String dimension;
    private final String value;
    private final Integer bucket;
    private final BitSet customers = new BitSet();
    private double[] values;
    private long count;
    private double sum;
    private double sumOfSquares;

    Aggregate(Kind kind, Cohort cohort, String dimension, String value, Integer bucket) {
      this.kind = kind;
      this.cohort = cohort;
      this.dimension = dimension;
      this.value = value;
      this.bucket = bucket;
      this.values = kind == Kind.DISTRIBUTION ? new double[16] : null;
    }

    void add(double x, int customerIndex) {
      if (values != null) {
        if (count == values.length) {
          values = Arrays.copyOf(values, values.length * 2);
        }
        values[(int) count] = x;
      }
      count++;
      sum += x;
      sumOfSquares += x * x;
      customers.set(customerIndex);
    }

    Figure figure() {
      double mean = sum / count;
      Double sd = count > 1
          ? Math.sqrt(Math.max(0, (sumOfSquares - count * mean * mean) / (count - 1))) : null;
      double[] quantiles = null;
      if (values != null) {
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        percentile.setData(Arrays.copyOf(values, (int) count));
        quantiles = new double[QUANTILES.length];
        for (int q = 0; q < QUANTILES.length; q++) {
          quantiles[q] = percentile.evaluate(QUANTILES[q]);
        }
      }
      return new Figure(kind, cohort, dimension, value, bucket, mean, sd, count,
          (long) customers.cardinality(), quantiles, null, null, null, null, null);
    }
  }
}
