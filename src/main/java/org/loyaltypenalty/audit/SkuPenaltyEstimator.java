package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
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
 *
 * <p>The audit calls {@link #analyse} once: the same shuffle of each SKU's quotes also yields
 * the placebo estimate and the exact cells, so neither costs a pass over the quotes of its own.
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
  private final long placeboSeed;
  private final double fdrQ;
  private final double materialityPct;
  private final StructType cellSchema;
  private final StructType passSchema;

  /** Column of {@link #analyse}: which kind of row. */
  public static final String KIND = "kind";
  static final String ESTIMATE = "estimate";
  static final String PLACEBO = "placebo";
  static final String CELL = "cell";
  static final String FIGURE = "figure";
  /**
   * Relative slack on the FDR level when choosing the SKUs whose figures the pass computes: a
   * q-value is never below its p-value in exact arithmetic, but {@code m p / j} in doubles can
   * fall one unit in the last place below {@code p} when {@code j = m}.
   */
  private static final double FIGURE_SLACK = 1e-9;
  private static final int P_VALUE = SCHEMA.fieldIndex(Findings.P_VALUE);
  private static final int ESTIMATE_LOG = SCHEMA.fieldIndex(Findings.ESTIMATE_LOG);
  private static final String PSEUDO_LOYAL = "__pseudo_loyal";

  public SkuPenaltyEstimator(AuditConfig config, List<String> fixedEffects) {
    this.minQuotes = config.minQuotesPerCohort();
    this.minCustomers = config.minCustomersPerCohort();
    this.confidence = config.confidence();
    this.priceUnit = config.priceUnit();
    this.fixedEffects = List.copyOf(fixedEffects);
    this.placeboSeed = config.placeboSeed();
    this.fdrQ = config.fdrQ();
    this.materialityPct = config.materialityPct();
    StructType cell = new StructType()
        .add(Quotes.SKU_ID, DataTypes.StringType)
        .add(Quotes.CURRENCY, DataTypes.StringType);
    for (String d : this.fixedEffects) {
      cell = cell.add(ContextFrame.feColumn(d), DataTypes.StringType);
    }
    this.cellSchema = cell
        .add(Findings.N_REFERENCE, DataTypes.LongType)
        .add(Findings.CUSTOMERS_REFERENCE, DataTypes.LongType)
        .add(Quotes.MERCHANT_ID, DataTypes.StringType)
        .add(Findings.N_COMPARED, DataTypes.LongType)
        .add(Findings.CUSTOMERS_COMPARED, DataTypes.LongType)
        .add(Findings.COMPARISON, DataTypes.StringType)
        .add(Findings.ESTIMATE_LOG, DataTypes.DoubleType);
    this.passSchema = new StructType()
        .add(KIND, DataTypes.StringType)
        .add(ESTIMATE, SCHEMA)
        .add(CELL, cellSchema)
        .add(FIGURE, FIGURES);
  }

  /**
   * The per-SKU estimates ({@link #SCHEMA}) of the quotes' own cohorts (the whole
   * {@link #analyse} pass, of which only the estimates are kept).
   */
  public Dataset<Row> estimate(Dataset<Row> prepared) {
    return estimates(analyse(prepared));
  }

  /**
   * One pass over each (SKU, currency)'s quotes — one shuffle — that yields everything the
   * audit needs from them, one row each, {@code kind} saying which:
   * <ul>
   *   <li>{@code estimate}: the FE estimate of each comparison ({@link #estimates});
   *   <li>{@code placebo}: the same estimate with the SKU's new customers split at random into
   *       two pseudo-cohorts ({@link #placebo}, see {@link PlaceboCheck});
   *   <li>{@code cell}: every exact cell (every context value equal) that holds new customers
   *       and a compared cohort, with both sides' quotes, distinct customers and the difference
   *       of their mean log prices ({@link #cells}, see {@link CellEvidence}). Cells count every
   *       analysed quote, singletons of the FE fit included.
   *   <li>{@code figure}: the report's figures ({@link #FIGURES}, as {@link #figures} computes
   *       them, from the same fit as the estimates) of every SKU with a comparison whose p-value
   *       is at most the FDR level and whose penalty is material: every SKU the FDR step can
   *       flag, since a Benjamini-Hochberg q-value is never below its p-value. The report picks
   *       its figure SKUs among the flagged ones ({@link #figureRows}) instead of fitting them
   *       again.
   * </ul>
   * Small enough to persist: a few rows per SKU, one per cell with both cohorts, and the figure
   * rows (a few per cohort, tenure bucket and context level) of the candidate SKUs.
   */
  public Dataset<Row> analyse(Dataset<Row> prepared) {
    Dataset<Row> withPlacebo = prepared.withColumn(PSEUDO_LOYAL,
        PlaceboCheck.pseudoLoyal(col(Quotes.CUSTOMER_ID), placeboSeed));
    return bySku(narrow(withPlacebo)).flatMapGroups((FlatMapGroupsFunction<String, Row, Row>)
        (key, rows) -> group(rows).map(Group::pass).orElse(List.of()).iterator(),
        Encoders.row(passSchema));
  }

  /** The {@code estimate} rows of {@link #analyse}, in {@link #SCHEMA}. */
  public static Dataset<Row> estimates(Dataset<Row> pass) {
    return pass.filter(col(KIND).equalTo(ESTIMATE)).select(col(ESTIMATE + ".*"));
  }

  /** The {@code figure} rows of {@link #analyse}, in {@link #FIGURES}. */
  public static Dataset<Row> figureRows(Dataset<Row> pass) {
    return pass.filter(col(KIND).equalTo(FIGURE)).select(col(FIGURE + ".*"));
  }

  /** The {@code placebo} rows of {@link #analyse} (loyal_vs_new only), in {@link #SCHEMA}. */
  public static Dataset<Row> placebo(Dataset<Row> pass) {
    return pass.filter(col(KIND).equalTo(PLACEBO)).select(col(ESTIMATE + ".*"));
  }

  /**
   * The {@code cell} rows of {@link #analyse}: sku_id, currency, one {@code fe_<dimension>}
   * per dimension, n_reference, customers_reference, merchant_id (of the first reference quote
   * in the canonical order, see {@code Group.canonicalise}), n_compared, customers_compared,
   * comparison, estimate_log.
   */
  public static Dataset<Row> cells(Dataset<Row> pass) {
    return pass.filter(col(KIND).equalTo(CELL)).select(col(CELL + ".*"));
  }

  /** Only the columns a group reads go through the shuffle. */
  private Dataset<Row> narrow(Dataset<Row> prepared) {
    List<String> present = Arrays.asList(prepared.columns());
    List<org.apache.spark.sql.Column> keep = new ArrayList<>();
    for (String c : List.of(Quotes.SKU_ID, Quotes.CURRENCY, Derived.COHORT, Quotes.CUSTOMER_ID,
        Derived.LOG_PRICE, Quotes.PRICE, Quotes.MERCHANT_ID, Derived.PRIOR_PURCHASES,
        Quotes.LIST_PRICE, PSEUDO_LOYAL)) {
      if (present.contains(c)) {
        keep.add(col(c));
      }
    }
    fixedEffects.forEach(d -> keep.add(col(ContextFrame.feColumn(d))));
    return prepared.select(keep.toArray(org.apache.spark.sql.Column[]::new));
  }

  /**
   * Columns of {@link #figures}: one row per aggregate, {@code kind} saying which:
   * {@code distribution} (per cohort: quantiles, mean, sd), {@code tenure} (per prior-purchase
   * bucket, capped at {@value #TENURE_CAP}), {@code holds} (per context column, value and
   * cohort) of the context-adjusted log price, and {@code split} (per comparison: the estimate
   * fitted to log list price and to log discount). Values are on the log scale.
   */
  public static final StructType FIGURES = new StructType()
      .add(Quotes.SKU_ID, DataTypes.StringType)
      .add(Quotes.CURRENCY, DataTypes.StringType)
      .add("kind", DataTypes.StringType)
      .add(Derived.COHORT, DataTypes.StringType)
      .add("dimension", DataTypes.StringType)
      .add("value", DataTypes.StringType)
      .add(Derived.PRIOR_PURCHASES, DataTypes.IntegerType)
      .add("mean_log", DataTypes.DoubleType)
      .add("sd_log", DataTypes.DoubleType)
      .add("quotes", DataTypes.LongType)
      .add("customers", DataTypes.LongType)
      .add("quantiles_log", DataTypes.createArrayType(DataTypes.DoubleType))
      .add("comparison", DataTypes.StringType)
      .add("list_gap_log", DataTypes.DoubleType)
      .add("discount_gap_log", DataTypes.DoubleType)
      .add("customers_reference", DataTypes.LongType)
      .add("customers_compared", DataTypes.LongType);

  /** Prior purchases at or above this are one tenure bucket. */
  public static final int TENURE_CAP = 10;
  /** The quantiles of {@code distribution} rows. */
  public static final double[] QUANTILES = {5, 25, 50, 75, 95};

  /**
   * The report's figures for every SKU of {@code prepared}, each from a fit of its own (one
   * shuffle, a few rows per SKU back). The audit does not call this: {@link #analyse} emits the
   * same rows for the SKUs the FDR step can flag, from the fit it tests with, and the report
   * reads those ({@link #figureRows}); this refit is the reference the tests hold them to, bit
   * for bit. The figures describe each quote's log price
   * with the context removed: its residual from the SKU's fixed-effects fit plus its cohort's
   * coefficient. The residuals sum to zero over each cohort (they are orthogonal to the cohort
   * indicators and to every fixed-effect level), so new customers average exactly 0 and each
   * compared cohort exactly its estimate; quantiles are exact (R type 7, Commons Math).
   * Quotes dropped as singletons do not count. When every quote of a SKU has a list price, the
   * same model is fitted to log list price; the fit is linear in the response, so the estimate
   * minus that coefficient is the coefficient of log(price / list price), the discount part
   * ({@code FixedEffectsRegressionTest} pins the linearity).
   */
  Dataset<Row> figures(Dataset<Row> prepared) {
    return bySku(narrow(prepared)).flatMapGroups((FlatMapGroupsFunction<String, Row, Row>)
        (key, rows) -> group(rows).map(Group::figures).orElse(List.of()).iterator(),
        Encoders.row(FIGURES));
  }

  /** Whether the product of the level counts fits in a long (then one key per quote serves). */
  static boolean fitsOneKey(int[] radix) {
    long span = 1;
    for (int r : radix) {
      if (span > Long.MAX_VALUE / r) {
        return false;
      }
      span *= r;
    }
    return true;
  }

  /**
   * Dense ids 0..C-1 of the exact cells (quotes with every level equal), numbered in the
   * levels' lexicographic order. With {@code oneKey}, each quote's levels are read as one
   * mixed-radix number (digit k its level in dimension k, base {@code radix[k]}), sorted and
   * deduplicated, one search per quote; otherwise one dimension at a time, (id so far, level)
   * packed in a long. Both give the same ids; no object per cell, memory stays a few arrays of n.
   */
  static int[] cellIds(int[][] fe, int n, int[] radix, boolean oneKey) {
    int[] cellOf = new int[n];
    long[] packed = new long[n];
    if (oneKey) {
      for (int i = 0; i < n; i++) {
        long key = 0;
        for (int d = 0; d < fe.length; d++) {
          key = key * radix[d] + fe[d][i];
        }
        packed[i] = key;
      }
      denseIds(packed, cellOf);
      return cellOf;
    }
    for (int k = 0; k < fe.length; k++) {
      for (int i = 0; i < n; i++) {
        packed[i] = ((long) cellOf[i] << 32) | (fe[k][i] & 0xffffffffL);
      }
      denseIds(packed, cellOf);
    }
    return cellOf;
  }

  /** Writes to {@code ids} each key's rank among the distinct keys. */
  private static void denseIds(long[] keys, int[] ids) {
    long[] distinct = distinctSorted(keys);
    for (int i = 0; i < keys.length; i++) {
      ids[i] = Arrays.binarySearch(distinct, keys[i]);
    }
  }

  private static long[] distinctSorted(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[m++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, m);
  }

  private static org.apache.spark.sql.KeyValueGroupedDataset<String, Row> bySku(
      Dataset<Row> prepared) {
    int sku = prepared.schema().fieldIndex(Quotes.SKU_ID);
    int currency = prepared.schema().fieldIndex(Quotes.CURRENCY);
    return prepared.groupByKey(
        (MapFunction<Row, String>) r -> r.getString(sku) + '\u0001' + r.getString(currency),
        Encoders.STRING());
  }

  private java.util.Optional<Group> group(Iterator<Row> rows) {
    Group g = null;
    while (rows.hasNext()) {
      Row r = rows.next();
      if (g == null) {
        g = new Group(r, fixedEffects.size());
      }
      g.add(r);
    }
    if (g != null) {
      g.canonicalise();
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
    private final int listIdx;
    private final int[] feIdx;
    private final int pseudoIdx;
    private final Set<String> merchants;
    private final Map<String, Integer> merchantLevels;
    private final List<Map<String, Integer>> feLevels;
    private final Map<String, Integer> customers;
    private double[] y = new double[64];
    private double[] price = new double[64];
    private byte[] cohort = new byte[64];
    private int[] prior = new int[64];
    private double[] list = new double[64];
    private int[] customer = new int[64];
    private int[] merchantOf = new int[64];
    private boolean[] pseudoLoyal = new boolean[64];
    private int[][] fe;
    private int n;

    Group(Row first, int dims) {
      StructType s = first.schema();
      skuId = first.getString(s.fieldIndex(Quotes.SKU_ID));
      currencyCode = first.getString(s.fieldIndex(Quotes.CURRENCY));
      cohortIdx = s.fieldIndex(Derived.COHORT);
      customerIdx = s.fieldIndex(Quotes.CUSTOMER_ID);
      logPriceIdx = s.fieldIndex(Derived.LOG_PRICE);
      listIdx = s.getFieldIndex(Quotes.LIST_PRICE).isDefined()
          ? s.fieldIndex(Quotes.LIST_PRICE) : -1;
      priorIdx = s.getFieldIndex(Derived.PRIOR_PURCHASES).isDefined()
          ? s.fieldIndex(Derived.PRIOR_PURCHASES) : -1;
      priceIdx = s.fieldIndex(Quotes.PRICE);
      merchantIdx = s.fieldIndex(Quotes.MERCHANT_ID);
      pseudoIdx = s.getFieldIndex(PSEUDO_LOYAL).isDefined() ? s.fieldIndex(PSEUDO_LOYAL) : -1;
      merchants = new HashSet<>();
      merchantLevels = new HashMap<>();
      feLevels = new ArrayList<>();
      customers = new HashMap<>();
      feIdx = new int[dims];
      fe = new int[dims][64];
      for (int k = 0; k < dims; k++) {
        feIdx[k] = s.fieldIndex(ContextFrame.feColumn(fixedEffects.get(k)));
        feLevels.add(new HashMap<>());
      }
    }

    /**
     * The quotes of {@code parent} that {@code keep} selects, with the cohorts {@code cohortOf}
     * gives them (level and customer indices stay the parent's; the fit compacts them).
     */
    Group(Group parent, java.util.function.IntPredicate keep,
        java.util.function.IntUnaryOperator cohortOf) {
      skuId = parent.skuId;
      currencyCode = parent.currencyCode;
      cohortIdx = customerIdx = logPriceIdx = priceIdx = merchantIdx = priorIdx = listIdx = -1;
      pseudoIdx = -1;
      feIdx = new int[0];
      merchantLevels = parent.merchantLevels;
      feLevels = parent.feLevels;
      customers = parent.customers;
      int[] index = java.util.stream.IntStream.range(0, parent.n).filter(keep).toArray();
      n = index.length;
      y = new double[n];
      price = new double[n];
      cohort = new byte[n];
      prior = new int[n];
      list = new double[n];
      customer = new int[n];
      merchantOf = new int[n];
      pseudoLoyal = new boolean[n];
      fe = new int[parent.fe.length][n];
      for (int r = 0; r < n; r++) {
        int i = index[r];
        y[r] = parent.y[i];
        price[r] = parent.price[i];
        cohort[r] = (byte) cohortOf.applyAsInt(i);
        prior[r] = parent.prior[i];
        list[r] = parent.list[i];
        customer[r] = parent.customer[i];
        merchantOf[r] = parent.merchantOf[i];
        for (int k = 0; k < fe.length; k++) {
          fe[k][r] = parent.fe[k][i];
        }
      }
      // the merchants of these quotes only, as a Group built from them would have
      String[] names = byIndex(merchantLevels);
      merchants = new HashSet<>();
      for (int r = 0; r < n; r++) {
        if (merchantOf[r] >= 0) {
          merchants.add(names[merchantOf[r]]);
        }
      }
    }

    void add(Row r) {
      if (n == y.length) {
        int cap = n * 2;
        y = Arrays.copyOf(y, cap);
        price = Arrays.copyOf(price, cap);
        cohort = Arrays.copyOf(cohort, cap);
        prior = Arrays.copyOf(prior, cap);
        list = Arrays.copyOf(list, cap);
        customer = Arrays.copyOf(customer, cap);
        merchantOf = Arrays.copyOf(merchantOf, cap);
        pseudoLoyal = Arrays.copyOf(pseudoLoyal, cap);
        for (int k = 0; k < fe.length; k++) {
          fe[k] = Arrays.copyOf(fe[k], cap);
        }
      }
      y[n] = r.getDouble(logPriceIdx);
      price[n] = r.getDouble(priceIdx);
      prior[n] = priorIdx < 0 || r.isNullAt(priorIdx) ? 0 : r.getInt(priorIdx);
      list[n] = listIdx < 0 || r.isNullAt(listIdx) ? Double.NaN : r.getDouble(listIdx);
      cohort[n] = (byte) Cohort.valueOf(r.getString(cohortIdx).toUpperCase(java.util.Locale.ROOT)).ordinal();
      customer[n] = customers.computeIfAbsent(r.getString(customerIdx), c -> customers.size());
      for (int k = 0; k < fe.length; k++) {
        Map<String, Integer> levels = feLevels.get(k);
        fe[k][n] = levels.computeIfAbsent(r.getString(feIdx[k]), v -> levels.size());
      }
      if (r.isNullAt(merchantIdx)) {
        merchantOf[n] = -1;
      } else {
        String m = r.getString(merchantIdx);
        merchants.add(m);
        merchantOf[n] = merchantLevels.computeIfAbsent(m, v -> merchantLevels.size());
      }
      pseudoLoyal[n] = pseudoIdx >= 0 && !r.isNullAt(pseudoIdx) && r.getBoolean(pseudoIdx);
      n++;
    }

    /**
     * Puts the quotes in one order whatever order the shuffle delivered them in: customers,
     * context levels and merchants are renumbered in an order fixed by their values, then the
     * quotes are sorted by customer and, within a customer, by every other field a fit reads.
     * Sums of floating-point numbers depend on the order of their terms, and Spark does not
     * promise the order in which a group's rows arrive, so without this two runs over the same
     * quotes could differ in the last digits (and which merchant a cell names could differ).
     * Quotes that tie on every field are interchangeable. Cost: a sort of one {@code long} per
     * distinct value, a counting sort of the quotes by customer, and small sorts within each
     * customer's quotes.
     */
    void canonicalise() {
      int[] customerRank = renumber(customers);
      customers.clear(); // customers are only indices from here on
      int[] merchantRank = renumber(merchantLevels);
      merchantLevels.replaceAll((value, old) -> merchantRank[old]);
      int[][] levelRank = new int[fe.length][];
      for (int k = 0; k < fe.length; k++) {
        int[] rank = renumber(feLevels.get(k));
        feLevels.get(k).replaceAll((value, old) -> rank[old]);
        levelRank[k] = rank;
      }
      for (int i = 0; i < n; i++) {
        customer[i] = customerRank[customer[i]];
        merchantOf[i] = merchantOf[i] < 0 ? -1 : merchantRank[merchantOf[i]];
        for (int k = 0; k < fe.length; k++) {
          fe[k][i] = levelRank[k][fe[k][i]];
        }
      }
      int customerCount = customerRank.length;
      int[] start = new int[customerCount + 1];
      for (int i = 0; i < n; i++) {
        start[customer[i] + 1]++;
      }
      for (int c = 0; c < customerCount; c++) {
        start[c + 1] += start[c];
      }
      int[] order = new int[n];
      int[] next = Arrays.copyOf(start, customerCount);
      for (int i = 0; i < n; i++) {
        order[next[customer[i]]++] = i;
      }
      for (int c = 0; c < customerCount; c++) {
        sortRun(order, start[c], start[c + 1]);
      }
      permute(order);
    }

    /** Sorts {@code order[from, to)}, the quotes of one customer, by {@link #compareFields}. */
    private void sortRun(int[] order, int from, int to) {
      if (to - from <= 32) {
        // insertion sort: most customers quote a SKU a few times
        for (int i = from + 1; i < to; i++) {
          int q = order[i];
          int j = i - 1;
          while (j >= from && compareFields(order[j], q) > 0) {
            order[j + 1] = order[j];
            j--;
          }
          order[j + 1] = q;
        }
        return;
      }
      Integer[] run = new Integer[to - from];
      for (int r = 0; r < run.length; r++) {
        run[r] = order[from + r];
      }
      Arrays.sort(run, this::compareFields);
      for (int r = 0; r < run.length; r++) {
        order[from + r] = run[r];
      }
    }

    /** Orders two quotes of one customer by every field but the customer. */
    private int compareFields(int a, int b) {
      for (int[] level : fe) {
        if (level[a] != level[b]) {
          return Integer.compare(level[a], level[b]);
        }
      }
      int c = Integer.compare(merchantOf[a], merchantOf[b]);
      c = c != 0 ? c : Byte.compare(cohort[a], cohort[b]);
      c = c != 0 ? c : Double.compare(y[a], y[b]);
      c = c != 0 ? c : Double.compare(price[a], price[b]);
      c = c != 0 ? c : Double.compare(list[a], list[b]);
      c = c != 0 ? c : Integer.compare(prior[a], prior[b]);
      return c != 0 ? c : Boolean.compare(pseudoLoyal[a], pseudoLoyal[b]);
    }

    /** Reorders every per-quote array so that quote {@code order[r]} comes r-th. */
    private void permute(int[] order) {
      double[] y2 = new double[n];
      double[] price2 = new double[n];
      byte[] cohort2 = new byte[n];
      int[] prior2 = new int[n];
      double[] list2 = new double[n];
      int[] customer2 = new int[n];
      int[] merchantOf2 = new int[n];
      boolean[] pseudoLoyal2 = new boolean[n];
      int[][] fe2 = new int[fe.length][n];
      for (int r = 0; r < n; r++) {
        int i = order[r];
        y2[r] = y[i];
        price2[r] = price[i];
        cohort2[r] = cohort[i];
        prior2[r] = prior[i];
        list2[r] = list[i];
        customer2[r] = customer[i];
        merchantOf2[r] = merchantOf[i];
        pseudoLoyal2[r] = pseudoLoyal[i];
        for (int k = 0; k < fe.length; k++) {
          fe2[k][r] = fe[k][i];
        }
      }
      y = y2;
      price = price2;
      cohort = cohort2;
      prior = prior2;
      list = list2;
      customer = customer2;
      merchantOf = merchantOf2;
      pseudoLoyal = pseudoLoyal2;
      fe = fe2;
    }

    /**
     * The new index of each old index of a value-to-index map (which is not changed), in an
     * order fixed by the values alone: by {@link String#hashCode} (its formula is part of the
     * String API specification, so the same on every JVM), then by the values themselves
     * where hashes tie; null first. Sorting one {@code long} per value, hash and old index
     * packed, is several times cheaper than sorting the strings.
     */
    private static int[] renumber(Map<String, Integer> index) {
      String[] values = new String[index.size()];
      long[] keys = new long[values.length];
      int at = 0;
      for (Map.Entry<String, Integer> e : index.entrySet()) {
        values[e.getValue()] = e.getKey();
        int hash = e.getKey() == null ? Integer.MIN_VALUE : e.getKey().hashCode();
        keys[at++] = ((long) hash << 32) | e.getValue();
      }
      Arrays.sort(keys);
      int[] rank = new int[values.length];
      int from = 0;
      while (from < keys.length) {
        int to = from + 1;
        while (to < keys.length && (keys[to] >> 32) == (keys[from] >> 32)) {
          to++;
        }
        if (to - from > 1) {
          // equal hashes: order these by value (a null among them first)
          Integer[] tied = new Integer[to - from];
          for (int r = 0; r < tied.length; r++) {
            tied[r] = (int) keys[from + r];
          }
          Arrays.sort(tied, java.util.Comparator.comparing(i -> values[i],
              java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder())));
          for (int r = 0; r < tied.length; r++) {
            keys[from + r] = ((keys[from] >> 32) << 32) | tied[r];
          }
        }
        from = to;
      }
      for (int r = 0; r < keys.length; r++) {
        rank[(int) keys[r]] = r;
      }
      return rank;
    }

    /**
     * Whether the FDR step could flag this estimate: flagged means q &lt;= fdr_q and a penalty of
     * at least the materiality threshold, and q &gt;= p; each side gets {@link #FIGURE_SLACK}
     * for rounding, so no flagged SKU is ever left out (a few that are not flagged get figures).
     */
    private boolean mayBeFlagged(Row estimate) {
      if (estimate.isNullAt(P_VALUE) || estimate.isNullAt(ESTIMATE_LOG)) {
        return false;
      }
      double penaltyPct = (Math.exp(estimate.getDouble(ESTIMATE_LOG)) - 1) * 100;
      return estimate.getDouble(P_VALUE) <= fdrQ * (1 + FIGURE_SLACK)
          && penaltyPct >= materialityPct - FIGURE_SLACK * Math.max(1, Math.abs(materialityPct));
    }

    /** The rows of {@link #analyse} for this SKU: estimates, placebo estimate, cells. */
    List<Row> pass() {
      List<Row> out = new ArrayList<>();
      FixedEffectsRegression.Fit fit = fit(Arrays.copyOf(y, n));
      List<Row> estimates = results(fit);
      estimates.forEach(r -> out.add(RowFactory.create(ESTIMATE, r, null, null)));
      placebo().forEach(r -> out.add(RowFactory.create(PLACEBO, r, null, null)));
      cellsWithBoth().forEach(r -> out.add(RowFactory.create(CELL, null, r, null)));
      if (estimates.stream().anyMatch(this::mayBeFlagged)) {
        figures(fit).forEach(r -> out.add(RowFactory.create(FIGURE, null, null, r)));
      }
      return out;
    }

    /**
     * The loyal_vs_new estimate between two random halves of the new customers (by the hash
     * {@link PlaceboCheck#pseudoLoyal} computed before the shuffle); nothing when the SKU has
     * no new customers.
     */
    private List<Row> placebo() {
      int reference = Cohort.NEW.ordinal();
      Group split = new Group(this, i -> cohort[i] == reference,
          i -> pseudoLoyal[i] ? Cohort.LOYAL.ordinal() : reference);
      if (split.n == 0) {
        return List.of();
      }
      return List.of(split.row(Comparison.LOYAL_VS_NEW, split.fit(Arrays.copyOf(split.y, split.n)),
          1)); // the loyal indicator is the fit's second coefficient, as in results()
    }

    /**
     * Exact cells: quotes with every fixed-effect level equal. Per (cell, cohort): quotes, sum
     * of log prices, the merchant of its first quote in the canonical order (see
     * {@link #canonicalise}), and distinct customers (counted on the sorted
     * keys (cell, cohort) &lt;&lt; 32 | customer, so no set per cell).
     */
    private List<Row> cellsWithBoth() {
      int cohorts = Cohort.values().length;
      int[] radix = new int[fe.length];
      for (int k = 0; k < fe.length; k++) {
        radix[k] = Math.max(1, feLevels.get(k).size());
      }
      int[] cellOf = cellIds(fe, n, radix, fitsOneKey(radix));
      int cells = 0;
      for (int i = 0; i < n; i++) {
        cells = Math.max(cells, cellOf[i] + 1);
      }
      int[] representative = new int[cells];
      Arrays.fill(representative, -1);
      for (int i = 0; i < n; i++) {
        if (representative[cellOf[i]] < 0) {
          representative[cellOf[i]] = i;
        }
      }
      int slots = cells * cohorts;
      long[] count = new long[slots];
      double[] sum = new double[slots];
      int[] merchant = new int[slots];
      Arrays.fill(merchant, -1);
      long[] sorted = new long[n];
      for (int i = 0; i < n; i++) {
        int slot = cellOf[i] * cohorts + cohort[i];
        count[slot]++;
        sum[slot] += y[i];
        if (merchant[slot] < 0) {
          merchant[slot] = merchantOf[i];
        }
        sorted[i] = ((long) slot << 32) | (customer[i] & 0xffffffffL);
      }
      Arrays.sort(sorted);
      long[] distinct = new long[slots];
      for (int i = 0; i < n; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
          distinct[(int) (sorted[i] >>> 32)]++;
        }
      }
      String[] merchantNames = byIndex(merchantLevels);
      List<String[]> levelNames = levelNames();
      List<Row> out = new ArrayList<>();
      for (int c = 0; c < cells; c++) {
        int ref = c * cohorts + Comparison.reference().ordinal();
        if (count[ref] == 0) {
          continue;
        }
        for (Comparison comparison : Comparison.values()) {
          int cmp = c * cohorts + comparison.compared().ordinal();
          if (count[cmp] == 0) {
            continue;
          }
          Object[] values = new Object[2 + fe.length + 7];
          values[0] = skuId;
          values[1] = currencyCode;
          for (int k = 0; k < fe.length; k++) {
            values[2 + k] = levelNames.get(k)[fe[k][representative[c]]];
          }
          int at = 2 + fe.length;
          values[at] = count[ref];
          values[at + 1] = distinct[ref];
          values[at + 2] = merchant[ref] < 0 ? null : merchantNames[merchant[ref]];
          values[at + 3] = count[cmp];
          values[at + 4] = distinct[cmp];
          values[at + 5] = comparison.code();
          values[at + 6] = sum[cmp] / count[cmp] - sum[ref] / count[ref];
          out.add(RowFactory.create(values));
        }
      }
      return out;
    }

    private List<String[]> levelNames() {
      List<String[]> names = new ArrayList<>();
      feLevels.forEach(levels -> names.add(byIndex(levels)));
      return names;
    }

    /** The values of a value-to-index map, at their indices. */
    private static String[] byIndex(Map<String, Integer> levels) {
      String[] values = new String[levels.size()];
      levels.forEach((value, index) -> values[index] = value);
      return values;
    }

    private List<Row> results(FixedEffectsRegression.Fit fit) {
      List<Row> out = new ArrayList<>();
      for (Comparison c : Comparison.values()) {
        out.add(row(c, fit, c == Comparison.REPEAT_VS_NEW ? 0 : 1));
      }
      return out;
    }

    List<Row> figures() {
      return figures(fit(Arrays.copyOf(y, n)));
    }

    /** The figures of this SKU's quotes, from the SKU's own fit. */
    private List<Row> figures(FixedEffectsRegression.Fit fit) {
      double[] effect = new double[Cohort.values().length];
      effect[Cohort.REPEAT.ordinal()] = Double.isNaN(fit.coefficients()[0]) ? 0 : fit.coefficients()[0];
      effect[Cohort.LOYAL.ordinal()] = Double.isNaN(fit.coefficients()[1]) ? 0 : fit.coefficients()[1];
      // one figure per cohort, per tenure bucket, and per (dimension, level, cohort), in arrays
      int cohorts = Cohort.values().length;
      List<String[]> levelNames = levelNames();
      Figure[] distribution = new Figure[cohorts];
      Figure[] tenure = new Figure[TENURE_CAP + 1];
      Figure[][] holds = new Figure[fe.length][];
      for (int k = 0; k < fe.length; k++) {
        holds[k] = new Figure[levelNames.get(k).length * cohorts];
      }
      int r = 0;
      for (int i = 0; i < n; i++) {
        if (!fit.kept()[i]) {
          continue;
        }
        double adjusted = fit.residuals()[r++] + effect[cohort[i]];
        String cohortCode = Cohort.values()[cohort[i]].code();
        if (distribution[cohort[i]] == null) {
          distribution[cohort[i]] = new Figure("distribution", cohortCode, null, null, null, true);
        }
        distribution[cohort[i]].add(adjusted, customer[i]);
        int bucket = Math.min(prior[i], TENURE_CAP);
        if (tenure[bucket] == null) {
          tenure[bucket] = new Figure("tenure", null, null, null, bucket, false);
        }
        tenure[bucket].add(adjusted, customer[i]);
        for (int k = 0; k < fe.length; k++) {
          String dimension = fixedEffects.get(k);
          if (dimension.equals(ContextFrame.TIME_BUCKET)) {
            continue;
          }
          int slot = fe[k][i] * cohorts + cohort[i];
          if (holds[k][slot] == null) {
            holds[k][slot] = new Figure("holds", cohortCode, dimension,
                levelNames.get(k)[fe[k][i]], null, false);
          }
          holds[k][slot].add(adjusted, customer[i]);
        }
      }
      List<Row> out = new ArrayList<>();
      Stream.concat(Stream.of(distribution), Stream.of(tenure))
          .filter(java.util.Objects::nonNull).forEach(f -> out.add(f.row()));
      for (Figure[] dimension : holds) {
        Stream.of(dimension).filter(java.util.Objects::nonNull).forEach(f -> out.add(f.row()));
      }
      out.addAll(split(fit));
      return out;
    }

    /** The estimate split into list price and discount, when every quote has a list price. */
    private List<Row> split(FixedEffectsRegression.Fit fit) {
      if (listIdx < 0) {
        return List.of();
      }
      double[] logList = new double[n];
      for (int i = 0; i < n; i++) {
        if (!(list[i] > 0)) {
          return List.of();
        }
        logList[i] = Math.log(list[i]);
      }
      // the fit is linear in the response: fitting log(price / list) = y - log list would give
      // the estimate minus the list part, so that part is not fitted a third time
      FixedEffectsRegression.Fit listFit = fit(logList);
      List<Row> out = new ArrayList<>();
      for (Comparison c : Comparison.values()) {
        int j = c == Comparison.REPEAT_VS_NEW ? 0 : 1;
        if (!fit.identified()[j]) {
          continue;
        }
        Row counts = row(c, fit, j);
        out.add(RowFactory.create(skuId, currencyCode, "split", null, null, null, null, null,
            null, null, null, null, c.code(), listFit.coefficients()[j],
            fit.coefficients()[j] - listFit.coefficients()[j], counts.getLong(7),
            counts.getLong(8)));
      }
      return out;
    }

    /** One aggregate of context-adjusted log prices, and the customers behind it. */
    private final class Figure {
      private final String kind;
      private final String cohortCode;
      private final String dimension;
      private final String value;
      private final Integer bucket;
      private final boolean keepValues;
      private final java.util.BitSet customerSet = new java.util.BitSet();
      private double[] values;
      private long count;
      private double sum;
      private double sumOfSquares;

      Figure(String kind, String cohortCode, String dimension, String value, Integer bucket,
          boolean keepValues) {
        this.kind = kind;
        this.cohortCode = cohortCode;
        this.dimension = dimension;
        this.value = value;
        this.bucket = bucket;
        this.keepValues = keepValues;
        this.values = keepValues ? new double[16] : null;
      }

      void add(double x, int customerIndex) {
        if (keepValues) {
          if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
          }
          values[(int) count] = x;
        }
        count++;
        sum += x;
        sumOfSquares += x * x;
        customerSet.set(customerIndex);
      }

      Row row() {
        double mean = sum / count;
        Double sd = count > 1
            ? Math.sqrt(Math.max(0, (sumOfSquares - count * mean * mean) / (count - 1))) : null;
        scala.collection.immutable.Seq<Object> quantiles = null;
        if (keepValues) {
          org.apache.commons.math3.stat.descriptive.rank.Percentile percentile =
              new org.apache.commons.math3.stat.descriptive.rank.Percentile()
                  .withEstimationType(org.apache.commons.math3.stat.descriptive.rank.Percentile
                      .EstimationType.R_7);
          percentile.setData(Arrays.copyOf(values, (int) count));
          List<Object> qs = new ArrayList<>();
          for (double q : QUANTILES) {
            qs.add(percentile.evaluate(q));
          }
          quantiles = scala.jdk.javaapi.CollectionConverters.asScala(qs).toList();
        }
        return RowFactory.create(skuId, currencyCode, kind, cohortCode, dimension, value, bucket,
            mean, sd, count, (long) customerSet.cardinality(), quantiles, null, null, null, null, null);
      }
    }

    private FixedEffectsRegression.Fit fit(double[] response) {
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
          response, new double[][] {repeat, loyal}, levels, Arrays.copyOf(customer, n),
          measurement, FixedEffectsRegression.Options.DEFAULT);
      return fit;
    }

    private Row row(Comparison c, FixedEffectsRegression.Fit fit, int coefficient) {
      long nRef = 0;
      long nCmp = 0;
      java.util.BitSet custRef = new java.util.BitSet();
      java.util.BitSet custCmp = new java.util.BitSet();
      int cmp = c.compared().ordinal();
      int ref = Comparison.reference().ordinal();
      for (int i = 0; i < n; i++) {
        if (!fit.kept()[i]) {
          continue;
        }
        if (cohort[i] == ref) {
          nRef++;
          custRef.set(customer[i]);
        } else if (cohort[i] == cmp) {
          nCmp++;
          custCmp.set(customer[i]);
        }
      }
      String note = null;
      if (nRef < minQuotes || nCmp < minQuotes) {
        note = String.format(java.util.Locale.ROOT, "fewer than %d quotes per cohort in matched contexts", minQuotes);
      } else if (custRef.cardinality() < minCustomers || custCmp.cardinality() < minCustomers) {
        note = String.format(java.util.Locale.ROOT, "fewer than %d distinct customers per cohort in matched contexts",
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
          (long) custRef.cardinality(), (long) custCmp.cardinality(), estimate, se, df, p, low, high, tested,
          note, (long) fit.observations(), (long) n);
    }
  }
}
