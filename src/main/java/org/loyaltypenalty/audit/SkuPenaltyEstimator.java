package org.loyaltypenalty.audit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.stats.FixedEffectsRegression;
import org.loyaltypenalty.stats.Inference;

/**
 * One regression per (SKU, currency), run on the executors: log price on indicators of the
 * repeat and loyal cohorts (new customers are the reference), with additive fixed effects for
 * every context dimension held fixed, standard errors clustered by customer. See
 * {@link FixedEffectsRegression} for the maths and its sources.
 *
 * <p>Input: {@link ContextFrame#prepare} output. Output: one row per (SKU, currency,
 * comparison) with the counts of the estimation sample, the estimate on the log scale, its
 * standard error, degrees of freedom, one-sided p-value for a penalty and the confidence
 * interval, or the reason it could not be tested.
 */
public final class SkuPenaltyEstimator implements Serializable {
  public static final String METHOD = "fe_ols_cluster_customer";

  public static final StructType SCHEMA = new StructType()
      .add("sku_id", DataTypes.StringType)
      .add("currency", DataTypes.StringType)
      .add("merchant_id", DataTypes.StringType)
      .add("merchants", DataTypes.IntegerType)
      .add("comparison", DataTypes.StringType)
      .add("n_reference", DataTypes.LongType)
      .add("n_compared", DataTypes.LongType)
      .add("customers_reference", DataTypes.LongType)
      .add("customers_compared", DataTypes.LongType)
      .add("estimate_log", DataTypes.DoubleType)
      .add("std_error_log", DataTypes.DoubleType)
      .add("degrees_of_freedom", DataTypes.DoubleType)
      .add("p_value", DataTypes.DoubleType)
      .add("ci_low_log", DataTypes.DoubleType)
      .add("ci_high_log", DataTypes.DoubleType)
      .add("tested", DataTypes.BooleanType)
      .add("note", DataTypes.StringType)
      .add("observations", DataTypes.LongType)
      .add("quotes_in_sku", DataTypes.LongType);

  private final int minQuotes;
  private final int minCustomers;
  private final double confidence;
  private final double priceUnit;
  private final List<String> fixedEffects;

  public SkuPenaltyEstimator(AuditConfig config, List<String> fixedEffects) {
    this.minQuotes = config.minQuotesPerCohort();
    this.minCustomers = config.minCustomersPerCohort();
    this.confidence = config.confidence();
    this.priceUnit = config.priceUnit();
    this.fixedEffects = List.copyOf(fixedEffects);
  }

  public Dataset<Row> estimate(Dataset<Row> prepared) {
    return estimate(prepared, Derived.LOG_PRICE);
  }

  /**
   * The same estimates with another response than the log price (the report splits the gap
   * into log list price and log discount: the fit is linear in the response, so the two
   * coefficients add up to the log-price coefficient exactly).
   */
  public Dataset<Row> estimate(Dataset<Row> prepared, String response) {
    return bySku(prepared).flatMapGroups((FlatMapGroupsFunction<String, Row, Row>)
        (key, rows) -> group(rows, response).map(Group::results).orElse(List.of()).iterator(),
        Encoders.row(SCHEMA));
  }

  /** Columns of {@link #adjustedPrices}. */
  public static final StructType ADJUSTED = new StructType()
      .add(Quotes.SKU_ID, DataTypes.StringType)
      .add(Quotes.CURRENCY, DataTypes.StringType)
      .add(Derived.COHORT, DataTypes.StringType)
      .add(Derived.PRIOR_PURCHASES, DataTypes.IntegerType)
      .add(Quotes.CUSTOMER_ID, DataTypes.StringType)
      .add("adjusted_log", DataTypes.DoubleType)
      .add("context_values", DataTypes.createArrayType(DataTypes.StringType));

  /**
   * Each quote's log price with the context removed: its residual from the SKU's fixed-effects
   * fit plus its cohort's coefficient. New customers' values average exactly 0 and each compared
   * cohort's exactly its estimate (the residuals sum to zero over each cohort), so their spread
   * shows the distributions behind the estimate. Quotes dropped as singletons are not returned.
   */
  public Dataset<Row> adjustedPrices(Dataset<Row> prepared) {
    return bySku(prepared).flatMapGroups((FlatMapGroupsFunction<String, Row, Row>)
        (key, rows) -> group(rows, Derived.LOG_PRICE).map(Group::adjusted).orElse(List.of())
            .iterator(),
        Encoders.row(ADJUSTED));
  }

  private static org.apache.spark.sql.KeyValueGroupedDataset<String, Row> bySku(
      Dataset<Row> prepared) {
    int sku = prepared.schema().fieldIndex(Quotes.SKU_ID);
    int currency = prepared.schema().fieldIndex(Quotes.CURRENCY);
    return prepared.groupByKey(
        (MapFunction<Row, String>) r -> r.getString(sku) + '\u0001' + r.getString(currency),
        Encoders.STRING());
  }

  private java.util.Optional<Group> group(Iterator<Row> rows, String response) {
    Group g = null;
    while (rows.hasNext()) {
      Row r = rows.next();
      if (g == null) {
        g = new Group(r, fixedEffects.size(), response);
      }
      g.add(r);
    }
    return java.util.Optional.ofNullable(g);
  }

  /** The quotes of one (SKU, currency), as primitive arrays. */
  private final class Group {
    private final String skuId;
    private final String currencyCode;
    private final int cohortIdx;
    private final int customerIdx;
    private final int logPriceIdx;
    private final int priceIdx;
    private final int merchantIdx;
    private final int priorIdx;
    private final int[] feIdx;
    private final Set<String> merchants = new HashSet<>();
    private final List<Map<String, Integer>> feLevels = new ArrayList<>();
    private final Map<String, Integer> customers = new HashMap<>();
    private double[] y = new double[64];
    private double[] price = new double[64];
    private byte[] cohort = new byte[64];
    private int[] prior = new int[64];
    private int[] customer = new int[64];
    private int[][] fe;
    private int n;

    Group(Row first, int dims, String response) {
      StructType s = first.schema();
      skuId = first.getString(s.fieldIndex(Quotes.SKU_ID));
      currencyCode = first.getString(s.fieldIndex(Quotes.CURRENCY));
      cohortIdx = s.fieldIndex(Derived.COHORT);
      customerIdx = s.fieldIndex(Quotes.CUSTOMER_ID);
      logPriceIdx = s.fieldIndex(response);
      priorIdx = s.getFieldIndex(Derived.PRIOR_PURCHASES).isDefined()
          ? s.fieldIndex(Derived.PRIOR_PURCHASES) : -1;
      priceIdx = s.fieldIndex(Quotes.PRICE);
      merchantIdx = s.fieldIndex(Quotes.MERCHANT_ID);
      feIdx = new int[dims];
      fe = new int[dims][64];
      for (int k = 0; k < dims; k++) {
        feIdx[k] = s.fieldIndex(ContextFrame.feColumn(fixedEffects.get(k)));
        feLevels.add(new HashMap<>());
      }
    }

    void add(Row r) {
      if (n == y.length) {
        int cap = n * 2;
        y = Arrays.copyOf(y, cap);
        price = Arrays.copyOf(price, cap);
        cohort = Arrays.copyOf(cohort, cap);
        prior = Arrays.copyOf(prior, cap);
        customer = Arrays.copyOf(customer, cap);
        for (int k = 0; k < fe.length; k++) {
          fe[k] = Arrays.copyOf(fe[k], cap);
        }
      }
      y[n] = r.getDouble(logPriceIdx);
      price[n] = r.getDouble(priceIdx);
      prior[n] = priorIdx < 0 || r.isNullAt(priorIdx) ? 0 : r.getInt(priorIdx);
      cohort[n] = (byte) Cohort.valueOf(r.getString(cohortIdx).toUpperCase(java.util.Locale.ROOT)).ordinal();
      customer[n] = customers.computeIfAbsent(r.getString(customerIdx), c -> customers.size());
      for (int k = 0; k < fe.length; k++) {
        Map<String, Integer> levels = feLevels.get(k);
        fe[k][n] = levels.computeIfAbsent(r.getString(feIdx[k]), v -> levels.size());
      }
      if (!r.isNullAt(merchantIdx)) {
        merchants.add(r.getString(merchantIdx));
      }
      n++;
    }

    List<Row> results() {
      FixedEffectsRegression.Fit fit = fit();
      List<Row> out = new ArrayList<>();
      for (Comparison c : Comparison.values()) {
        out.add(row(c, fit, c == Comparison.REPEAT_VS_NEW ? 0 : 1));
      }
      return out;
    }

    List<Row> adjusted() {
      FixedEffectsRegression.Fit fit = fit();
      String[] customerIds = new String[customers.size()];
      customers.forEach((id, index) -> customerIds[index] = id);
      double repeatEffect = Double.isNaN(fit.coefficients()[0]) ? 0 : fit.coefficients()[0];
      double loyalEffect = Double.isNaN(fit.coefficients()[1]) ? 0 : fit.coefficients()[1];
      String[][] levelNames = new String[fe.length][];
      for (int k = 0; k < fe.length; k++) {
        String[] names = new String[feLevels.get(k).size()];
        feLevels.get(k).forEach((value, index) -> names[index] = value);
        levelNames[k] = names;
      }
      List<Row> out = new ArrayList<>();
      int r = 0;
      for (int i = 0; i < n; i++) {
        if (!fit.kept()[i]) {
          continue;
        }
        double effect = cohort[i] == Cohort.REPEAT.ordinal() ? repeatEffect
            : cohort[i] == Cohort.LOYAL.ordinal() ? loyalEffect : 0;
        String[] context = new String[fe.length];
        for (int k = 0; k < fe.length; k++) {
          context[k] = levelNames[k][fe[k][i]];
        }
        out.add(RowFactory.create(skuId, currencyCode,
            Cohort.values()[cohort[i]].code(), prior[i], customerIds[customer[i]],
            fit.residuals()[r++] + effect,
            scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(context)).toSeq()));
      }
      return out;
    }

    private FixedEffectsRegression.Fit fit() {
      double[] repeat = new double[n];
      double[] loyal = new double[n];
      for (int i = 0; i < n; i++) {
        repeat[i] = cohort[i] == Cohort.REPEAT.ordinal() ? 1 : 0;
        loyal[i] = cohort[i] == Cohort.LOYAL.ordinal() ? 1 : 0;
      }
      int[][] levels = new int[fe.length][];
      for (int k = 0; k < fe.length; k++) {
        levels[k] = Arrays.copyOf(fe[k], n);
      }
      double[] measurement = new double[n];
      for (int i = 0; i < n; i++) {
        double rel = priceUnit / price[i];
        measurement[i] = rel * rel / 12;
      }
      FixedEffectsRegression.Fit fit = FixedEffectsRegression.fit(
          Arrays.copyOf(y, n), new double[][] {repeat, loyal}, levels, Arrays.copyOf(customer, n),
          measurement, FixedEffectsRegression.Options.DEFAULT);
      return fit;
    }

    private Row row(Comparison c, FixedEffectsRegression.Fit fit, int coefficient) {
      long nRef = 0;
      long nCmp = 0;
      Set<Integer> custRef = new HashSet<>();
      Set<Integer> custCmp = new HashSet<>();
      int cmp = c.compared().ordinal();
      int ref = Comparison.reference().ordinal();
      for (int i = 0; i < n; i++) {
        if (!fit.kept()[i]) {
          continue;
        }
        if (cohort[i] == ref) {
          nRef++;
          custRef.add(customer[i]);
        } else if (cohort[i] == cmp) {
          nCmp++;
          custCmp.add(customer[i]);
        }
      }
      String note = null;
      if (nRef < minQuotes || nCmp < minQuotes) {
        note = String.format("fewer than %d quotes per cohort in matched contexts", minQuotes);
      } else if (custRef.size() < minCustomers || custCmp.size() < minCustomers) {
        note = String.format("fewer than %d distinct customers per cohort in matched contexts",
            minCustomers);
      } else if (!fit.identified()[coefficient]) {
        note = "the cohorts never share a context: no like-for-like comparison";
      } else if (fit.degreesOfFreedom() < 1 || !Double.isFinite(fit.standardErrors()[coefficient])) {
        note = "too few observations left after the fixed effects to estimate a standard error";
      }
      boolean tested = note == null;
      Double estimate = null;
      Double se = null;
      Double df = null;
      Double p = null;
      Double low = null;
      Double high = null;
      if (tested) {
        estimate = fit.coefficients()[coefficient];
        se = fit.standardErrors()[coefficient];
        df = (double) fit.degreesOfFreedom();
        p = Inference.oneSidedPenaltyP(estimate, se, df);
        double[] ci = Inference.interval(estimate, se, df, confidence);
        low = ci[0];
        high = ci[1];
      }
      String merchant = merchants.size() == 1 ? merchants.iterator().next() : null;
      return RowFactory.create(skuId, currencyCode, merchant, merchants.size(), c.code(), nRef, nCmp,
          (long) custRef.size(), (long) custCmp.size(), estimate, se, df, p, low, high, tested,
          note, (long) fit.observations(), (long) n);
    }
  }
}
