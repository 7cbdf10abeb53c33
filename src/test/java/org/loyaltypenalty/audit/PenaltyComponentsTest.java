package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;
import org.loyaltypenalty.sku.FigureRefit;
import org.loyaltypenalty.sku.SkuPass;

/**
 * The estimation components on tiny hand-made cohort-assigned quotes, without files: the per-SKU
 * estimator, exact cells, merchant roll-up and the findings' FDR and status rules.
 */
class PenaltyComponentsTest {
  static final AuditConfig CONFIG = ConfigLoader.fromMap(Map.of(
      "test.min_quotes_per_cohort", "4", "test.min_customers_per_cohort", "3",
      "test.family_min_customers", "0"), "test");

  /**
   * SKU "p": loyal pay 10% more in every hour and channel, the app costs 20% more for everyone
   * and loyal customers use it more. SKU "d": loyal pay 5% less. SKU "thin": 2 loyal quotes.
   */
  static Dataset<Row> quotes() {
    List<List<String>> rows = new ArrayList<>();
    int id = 0;
    for (int h = 0; h < 6; h++) {
      for (int k = 0; k < 4; k++) {
        double base = 20 * (1 + 0.01 * h);
        String hour = String.format("2026-01-05T%02d:%02d:00Z", 10 + h, 5 * k);
        // new customers mostly on the web, loyal mostly on the app
        String channelNew = k == 3 ? "app" : "web";
        String channelLoyal = k == 0 ? "web" : "app";
        double newPrice = 20 * (channelNew.equals("app") ? 1.2 : 1) * (1 + 0.01 * h) * (1 + 0.003 * (k - 1.5));
        double loyalPrice = 20 * (channelLoyal.equals("app") ? 1.2 : 1) * (1 + 0.01 * h) * 1.10 * (1 - 0.003 * (k - 1.5));
        rows.add(row("q" + id++, "n" + k, "p", hour, newPrice, "new", channelNew));
        rows.add(row("q" + id++, "l" + k, "p", hour, loyalPrice, "loyal", channelLoyal));
        rows.add(row("q" + id++, "n" + k, "d", hour, base, "new", "web"));
        rows.add(row("q" + id++, "l" + k, "d", hour, base * 0.95 * (1 + 0.002 * (k - 1.5)), "loyal", "web"));
        if (h < 1 && k < 2) {
          rows.add(row("q" + id++, "l" + k, "thin", hour, 5, "loyal", "web"));
        }
        rows.add(row("q" + id++, "n" + k, "thin", hour, 5, "new", "web"));
      }
    }
    Dataset<Row> in = TestSpark.strings(List.of("quote_id", "customer_id", "sku_id", "quoted_at",
        "price", "cohort", "channel", "currency", "merchant_id"), rows)
        .withColumn("quoted_at", functions.col("quoted_at").cast("timestamp"))
        .withColumn("price", functions.col("price").cast("double"));
    return new ContextFrame(CONFIG).prepare(in);
  }

  static List<String> row(String id, String customer, String sku, String at, double price,
      String cohort, String channel) {
    return List.of(id, customer, sku, at, Double.toString(price), cohort, channel, "EUR", "M1");
  }

  static Map<String, Row> bySkuAndComparison(Dataset<Row> ds) {
    Map<String, Row> out = new HashMap<>();
    ds.collectAsList().forEach(r -> out.put(r.getAs("sku_id") + "/" + r.getAs("comparison"), r));
    return out;
  }

  @Test
  void estimatorHoldsTheChannelFixedAndRecoversThePenalty() {
    Dataset<Row> q = quotes();
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    assertEquals(List.of("time_bucket", "merchant_id", "channel"), dims);
    Map<String, Row> est = bySkuAndComparison(new SkuPass(CONFIG, dims).estimate(q));
    Row p = est.get("p/loyal_vs_new");
    assertEquals(Math.log(1.10), p.<Double>getAs("estimate_log"), 0.005,
        "the app premium is not read as a penalty");
    assertTrue(p.<Double>getAs("p_value") < 1e-6);
    assertEquals(24L, p.<Long>getAs("n_reference"));
    assertEquals(4L, p.<Long>getAs("customers_compared"));
    assertEquals("M1", p.getAs("merchant_id"));

    Row repeat = est.get("p/repeat_vs_new");
    assertEquals(false, repeat.getAs("tested"), "no repeat customers: not tested");
    assertEquals("fewer_quotes", repeat.<String>getAs("untested_reason"));

    Row thin = est.get("thin/loyal_vs_new");
    assertEquals(false, thin.getAs("tested"));
    assertNull(thin.getAs("p_value"));
  }

  /**
   * The per-SKU pass carries the report's figures of the SKUs whose p-value is within the FDR
   * level and whose penalty is material (here "p"; not the discount "d" nor the untested "thin"),
   * bit-identical to fitting those SKUs again; with a level below every p-value, or a
   * materiality threshold above the penalty, none.
   */
  @Test
  void passCarriesTheFiguresOfExactlyTheSkusTheFdrStepCouldFlag() {
    Dataset<Row> q = quotes();
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    SkuPass estimator = new SkuPass(CONFIG, dims);
    Dataset<Row> pass = estimator.analyse(q);
    java.util.Set<String> candidates = new java.util.TreeSet<>();
    double smallest = 1;
    for (Row r : SkuPass.estimates(pass).filter("p_value is not null").collectAsList()) {
      double p = r.getAs("p_value");
      smallest = Math.min(smallest, p);
      if (p <= CONFIG.fdrQ()) {
        candidates.add(r.getAs("sku_id"));
      }
    }
    assertEquals(java.util.Set.of("p"), candidates);
    Dataset<Row> figures = SkuPass.figureRows(pass);
    assertEquals(List.of("p"), exactly(figures.select("sku_id").distinct()).stream()
        .map(r -> r.substring(1, r.length() - 1)).toList());
    List<String> refit = exactly(FigureRefit.figures(estimator, q.filter("sku_id = 'p'")));
    assertTrue(refit.stream().anyMatch(r -> r.contains(",distribution,")), refit.toString());
    assertEquals(refit, exactly(figures), "the pass's figures are those of a refit, bit for bit");

    AuditConfig strict = ConfigLoader.fromMap(Map.of("test.min_quotes_per_cohort", "4",
        "test.min_customers_per_cohort", "3",
      "test.family_min_customers", "0", "test.fdr_q", Double.toString(smallest / 2)), "test");
    assertEquals(0L, SkuPass.figureRows(
        new SkuPass(strict, dims).analyse(q)).count());
    // nor when the penalty (10%) is below the materiality threshold: it cannot be flagged
    AuditConfig immaterial = ConfigLoader.fromMap(Map.of("test.min_quotes_per_cohort", "4",
        "test.min_customers_per_cohort", "3",
      "test.family_min_customers", "0", "test.materiality_pct", "50"), "test");
    assertEquals(0L, SkuPass.figureRows(
        new SkuPass(immaterial, dims).analyse(q)).count());
  }

  /**
   * A merchant row counts the distinct customers of the SKUs it pools, as its quote counts do:
   * a loyal customer who quoted only an untested SKU of the merchant is not behind the estimate.
   */
  @Test
  void merchantRowsCountTheCustomersOfThePooledSkusOnly() {
    Dataset<Row> extra = new ContextFrame(CONFIG).prepare(TestSpark.strings(List.of("quote_id",
            "customer_id", "sku_id", "quoted_at", "price", "cohort", "channel", "currency",
            "merchant_id"),
        List.of(row("q-extra", "l9", "thin", "2026-01-05T10:00:00Z", 5, "loyal", "web")))
        .withColumn("quoted_at", functions.col("quoted_at").cast("timestamp"))
        .withColumn("price", functions.col("price").cast("double")));
    Dataset<Row> q = quotes().unionByName(extra);
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    Dataset<Row> est = SkuPass.estimates(new SkuPass(CONFIG, dims).analyse(q));
    assertEquals(List.of("d", "p"), est.filter("tested and comparison = 'loyal_vs_new'")
        .select("sku_id").orderBy("sku_id").collectAsList().stream()
        .map(r -> r.getString(0)).toList(), "thin stays untested");
    Row m = new MerchantRollup(CONFIG).rollUp(est, q)
        .filter(functions.col("comparison").equalTo("loyal_vs_new")).first();
    assertEquals(4L, m.<Long>getAs("customers_compared"), "l0..l3 quoted p and d; l9 only thin");
    assertEquals(4L, m.<Long>getAs("customers_reference"));
    assertEquals(2, m.<Integer>getAs("skus_pooled"));
  }

  /**
   * A SKU with no merchant rolls up under the platform (a null merchant id) beside a merchant's
   * own: each roll-up counts the customers of its own SKUs only.
   */
  @Test
  void merchantAndMerchantlessRollUpsCountTheirOwnSkusCustomers() {
    Dataset<Row> q = quotes()
        .withColumn("merchant_id", functions.when(functions.col("sku_id").equalTo("d"),
            functions.lit(null).cast("string")).otherwise(functions.lit("M2")))
        .withColumn("customer_id", functions.when(functions.col("sku_id").equalTo("d"),
            functions.concat(functions.lit("d-"), functions.col("customer_id")))
            .otherwise(functions.col("customer_id")));
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    Dataset<Row> est = SkuPass.estimates(new SkuPass(CONFIG, dims).analyse(q));
    Map<String, Row> byMerchant = new HashMap<>();
    new MerchantRollup(CONFIG).rollUp(est, q)
        .filter(functions.col("comparison").equalTo("loyal_vs_new")).collectAsList()
        .forEach(r -> byMerchant.put(String.valueOf(r.<String>getAs("merchant_id")), r));
    assertEquals(Set.of("M2", "null"), byMerchant.keySet());
    for (Row m : byMerchant.values()) {
      assertEquals(1, m.<Integer>getAs("skus_pooled"), m.toString());
      assertEquals(4L, m.<Long>getAs("customers_compared"), m.toString());
      assertEquals(4L, m.<Long>getAs("customers_reference"), m.toString());
    }
  }

  @Test
  void findingsFlagPenaltiesReportDiscountsAndKeepCellsAsEvidence() {
    Dataset<Row> q = quotes();
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    Dataset<Row> pass = new SkuPass(CONFIG, dims).analyse(q);
    Dataset<Row> est = SkuPass.estimates(pass);
    CellEvidence cells = new CellEvidence(CONFIG, dims);
    Dataset<Row> all = cells.cellsWithBoth(SkuPass.cells(pass));
    Dataset<Row> merchants = new MerchantRollup(CONFIG).rollUp(est, q);
    Map<String, Row> f = new HashMap<>();
    List<Row> cellRows = new ArrayList<>();
    for (Row r : new FindingsBuilder(CONFIG, dims)
        .build("run-1", est, all, cells.strongest(all), merchants).collectAsList()) {
      assertEquals("run-1", r.getAs("run_id"));
      if (r.getAs("level").equals("cell")) {
        cellRows.add(r);
      } else {
        f.put(r.getAs("level") + ":" + r.getAs("sku_id") + "/" + r.getAs("comparison"), r);
      }
    }
    Row p = f.get("sku:p/loyal_vs_new");
    assertEquals("penalty", p.getAs("status"));
    assertEquals(true, p.getAs("flagged"));
    assertEquals(10.0, p.<Double>getAs("penalty_pct"), 0.5);
    assertTrue(p.<String>getAs("context").contains("held fixed: time_bucket(1h), merchant_id, channel"));

    Row d = f.get("sku:d/loyal_vs_new");
    assertEquals("discount", d.getAs("status"));
    assertFalse(d.<Boolean>getAs("flagged"));
    assertEquals(-5.0, d.<Double>getAs("penalty_pct"), 0.3);

    assertEquals("insufficient_data", f.get("sku:thin/loyal_vs_new").getAs("status"));
    assertTrue(f.get("sku:thin/loyal_vs_new").<String>getAs("context").contains("not tested: "));

    // with a family filter above every group's customers, the same tests keep their p-values and
    // statuses that do not depend on the family, but none has a q-value and none is flagged
    AuditConfig filtered = ConfigLoader.fromMap(Map.of("test.min_quotes_per_cohort", "4",
        "test.min_customers_per_cohort", "3", "test.family_min_customers", "100"), "test");
    for (Row r : new FindingsBuilder(filtered, dims)
        .build("run-1", est, all, cells.strongest(all), merchants)
        .filter("level <> 'cell' and p_value is not null").collectAsList()) {
      assertNull(r.getAs("q_value"), r.toString());
      assertFalse(r.<Boolean>getAs("flagged"), r.toString());
      assertTrue(r.<String>getAs("context").endsWith("; left out of the false discovery rate"
          + " family: fewer than 100 customers on a side"), r.toString());
      Row unfiltered = f.get(r.getAs("level") + ":" + r.getAs("sku_id") + "/" + r.getAs("comparison"));
      assertEquals(unfiltered.<Double>getAs("p_value"), r.<Double>getAs("p_value"));
      assertTrue(List.of("discount", "no_material_penalty", "inconclusive")
          .contains(r.<String>getAs("status")), r.toString());
    }
    assertEquals("discount", new FindingsBuilder(filtered, dims)
        .build("run-1", est, all, cells.strongest(all), merchants)
        .filter("level = 'sku' and sku_id = 'd' and comparison = 'loyal_vs_new'").first()
        .getAs("status"), "a discount does not depend on the family");

    Row merchant = f.get("merchant:null/loyal_vs_new");
    assertEquals("M1", merchant.getAs("merchant_id"));
    assertTrue(merchant.<String>getAs("context").startsWith("pooled over 2 tested SKUs"));

    assertFalse(cellRows.isEmpty());
    // SKU d, hour 10:00, web: the four new customers n0..n3 quote once each
    Row dCell = cellRows.stream().filter(c -> c.getAs("sku_id").equals("d")
        && c.<String>getAs("context").startsWith("time_bucket=2026-01-05 10:00")).findFirst().orElseThrow();
    assertEquals(4L, dCell.<Long>getAs("n_reference"));
    assertEquals(4L, dCell.<Long>getAs("customers_reference"));
    assertEquals(-5.0, dCell.<Double>getAs("penalty_pct"), 0.3);
    for (Row c : cellRows) {
      assertEquals("evidence", c.getAs("status"));
      assertTrue(c.<Long>getAs("customers_reference") >= 1
          && c.<Long>getAs("customers_reference") <= c.<Long>getAs("n_reference"), c.toString());
      assertNull(c.getAs("p_value"));
      assertTrue(c.<String>getAs("context").matches("time_bucket=2026-01-05 1\\d:00; merchant_id=M1; channel=(app|web)"),
          c.<String>getAs("context"));
    }
  }

  @Test
  void cellsOfTheSkuPassMatchAPlainSparkAggregationOfEveryCellAndCohort() {
    Dataset<Row> q = quotes();
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    List<org.apache.spark.sql.Column> keys = new ArrayList<>(List.of(
        functions.col("sku_id"), functions.col("currency")));
    dims.forEach(d -> keys.add(functions.col(ContextFrame.feColumn(d))));
    keys.add(functions.col("cohort"));
    Map<String, Row> reference = new HashMap<>();
    for (Row r : q.groupBy(keys.toArray(org.apache.spark.sql.Column[]::new)).agg(
        functions.count(functions.lit(1)).as("n"),
        functions.countDistinct(functions.col("customer_id")).as("customers"),
        functions.avg(functions.col("log_price")).as("mean")).collectAsList()) {
      StringBuilder k = new StringBuilder();
      for (int i = 0; i < r.length() - 3; i++) {
        k.append(r.get(i)).append('|');
      }
      reference.put(k.toString(), r);
    }
    Dataset<Row> pass = new SkuPass(CONFIG, dims).analyse(q);
    List<Row> cells = SkuPass.cells(pass).collectAsList();
    int expected = 0;
    for (String k : reference.keySet()) {
      if (k.endsWith("|loyal|") && reference.containsKey(k.replace("|loyal|", "|new|"))) {
        expected++;
      }
    }
    assertEquals(expected, cells.size(), "one cell row per cell holding new and loyal customers");
    assertTrue(expected > 10);
    for (Row c : cells) {
      StringBuilder k = new StringBuilder(c.getAs("sku_id") + "|" + c.getAs("currency") + "|");
      dims.forEach(d -> k.append(c.<String>getAs(ContextFrame.feColumn(d))).append('|'));
      Row ref = reference.get(k + "new|");
      Row cmp = reference.get(k + c.<String>getAs("comparison").replace("_vs_new", "") + "|");
      assertEquals(ref.<Long>getAs("n"), c.<Long>getAs("n_reference"));
      assertEquals(ref.<Long>getAs("customers"), c.<Long>getAs("customers_reference"));
      assertEquals(cmp.<Long>getAs("n"), c.<Long>getAs("n_compared"));
      assertEquals(cmp.<Long>getAs("customers"), c.<Long>getAs("customers_compared"));
      assertEquals(cmp.<Double>getAs("mean") - ref.<Double>getAs("mean"),
          c.<Double>getAs("estimate_log"), 1e-12);
      assertEquals("M1", c.getAs("merchant_id"));
    }
  }

  @Test
  void placeboOfTheSkuPassEqualsTheEstimatorRunOnNewCustomersSplitBySeededHash() {
    Dataset<Row> q = quotes();
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    SkuPass estimator = new SkuPass(CONFIG, dims);
    Dataset<Row> split = q.filter(functions.col("cohort").equalTo("new"))
        .withColumn("cohort", functions.when(SkuPass.pseudoLoyal(
            functions.col("customer_id"), CONFIG.placeboSeed()), "loyal").otherwise("new"));
    Map<String, Row> expected = bySkuAndComparison(estimator.estimate(split)
        .filter(functions.col("comparison").equalTo("loyal_vs_new")));
    Map<String, Row> placebo = bySkuAndComparison(
        SkuPass.placebo(estimator.analyse(q)));
    assertEquals(expected.keySet(), placebo.keySet());
    assertEquals(3, placebo.size(), "every SKU with new customers has a placebo comparison");
    for (String k : expected.keySet()) {
      Row e = expected.get(k);
      Row p = placebo.get(k);
      for (String field : List.of("n_reference", "n_compared", "customers_reference",
          "customers_compared", "tested", "untested_reason")) {
        assertEquals((Object) e.getAs(field), p.getAs(field), k + " " + field);
      }
      if (e.<Boolean>getAs("tested")) {
        assertEquals(e.<Double>getAs("estimate_log"), p.<Double>getAs("estimate_log"), 1e-12, k);
        assertEquals(e.<Double>getAs("std_error_log"), p.<Double>getAs("std_error_log"), 1e-12, k);
      }
    }
  }

  /**
   * Noisy quotes (seeded): three SKUs, 60 customers in three cohorts, three channels, two
   * merchants, twelve hours, a list price and a prior-purchase count on every quote. Prices take
   * a few cent values, so a customer's quotes often tie on price and differ only in their
   * context, list price or prior purchases; customer, channel and merchant values have
   * String.hashCode ties ("Aa" and "BB" hash alike), so the canonical order's tie-breaks run.
   */
  static Dataset<Row> noisyQuotes() {
    java.util.Random random = new java.util.Random(7);
    String[] cohorts = {"new", "repeat", "loyal"};
    String[] channels = {"Aaweb", "BBweb", "app"};
    List<List<String>> rows = new ArrayList<>();
    int id = 0;
    for (String sku : List.of("a", "b", "c")) {
      for (int q = 0; q < 400; q++) {
        int customer = random.nextInt(60);
        String cohort = cohorts[customer % 3];
        String channel = channels[random.nextInt(3)];
        String merchant = random.nextBoolean() ? "AaM" : "BBM";
        double list = 10 + random.nextInt(5);
        double price = Math.round(100 * list * (1 + 0.05 * (customer % 3))
            * (1 + 0.01 * random.nextInt(3))) / 100.0;
        String customerId = (customer % 2 == 0 ? "Aa" : "BB") + customer / 2;
        rows.add(List.of("q" + id++, customerId, sku,
            String.format("2026-01-05T%02d:%02d:00Z", 8 + random.nextInt(12), random.nextInt(60)),
            Double.toString(price), cohort, channel, "EUR", merchant, Double.toString(list),
            Integer.toString(random.nextInt(7))));
      }
    }
    Dataset<Row> in = TestSpark.strings(List.of("quote_id", "customer_id", "sku_id", "quoted_at",
        "price", "cohort", "channel", "currency", "merchant_id", "list_price", "prior_purchases"),
        rows)
        .withColumn("quoted_at", functions.col("quoted_at").cast("timestamp"))
        .withColumn("price", functions.col("price").cast("double"))
        .withColumn("list_price", functions.col("list_price").cast("double"))
        .withColumn("prior_purchases", functions.col("prior_purchases").cast("int"));
    return new ContextFrame(CONFIG).prepare(in);
  }

  /** Every row, doubles printed so that two differ whenever their bits do, sorted. */
  static List<String> exactly(Dataset<Row> ds) {
    return ds.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void skuPassAndFiguresAreBitIdenticalWhateverOrderTheQuotesArriveIn() {
    Dataset<Row> q = noisyQuotes();
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    SkuPass estimator = new SkuPass(CONFIG, dims);
    List<String> pass = exactly(estimator.analyse(q));
    List<String> figures = exactly(FigureRefit.figures(estimator, q));
    assertTrue(pass.stream().anyMatch(r -> r.startsWith("[estimate,[a,EUR,null,2,loyal_vs_new")
        && r.contains(",true,")), pass.toString());
    assertTrue(figures.stream().anyMatch(r -> r.contains(",tenure,")), figures.toString());
    assertTrue(pass.stream().anyMatch(r -> r.startsWith("[placebo,") && r.contains(",true,")),
        "a tested placebo: " + pass);
    assertTrue(figures.stream().anyMatch(r -> r.contains(",split,")), figures.toString());
    for (long seed = 1; seed <= 3; seed++) {
      // a random order of the input is the order each SKU's quotes arrive in after the shuffle
      Dataset<Row> shuffled = q.orderBy(functions.rand(seed));
      assertSameRows(pass, exactly(estimator.analyse(shuffled)), "estimates and cells, seed " + seed);
      assertSameRows(figures, exactly(FigureRefit.figures(estimator, shuffled)), "figures, seed " + seed);
    }
  }

  /**
   * The pass reads a dimension of whole numbers (the time bucket, a quantity) as numbers and
   * the SKU id and currency from its key: every row is the one it gives when the same
   * levels come as text, a missing quantity included, and a SKU id may hold the key's
   * separator.
   */
  @Test
  void skuPassGivesTheSameRowsWhetherLevelsComeAsNumbersOrAsText() {
    Dataset<Row> noisy = noisyQuotes()
        .withColumn("sku_id", functions.when(functions.col("sku_id").equalTo("a"),
            functions.lit("a\u0001b")).otherwise(functions.col("sku_id")))
        .withColumn("quantity", functions.when(functions.col("quote_id").endsWith("7"),
                functions.lit(null))
            .otherwise(functions.pmod(functions.hash(functions.col("quote_id")),
                functions.lit(3)).plus(1)).cast("int"));
    Dataset<Row> q = new ContextFrame(CONFIG).levels(noisy, List.of("quantity"));
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    assertTrue(dims.containsAll(List.of("time_bucket", "quantity")), dims.toString());
    SkuPass estimator = new SkuPass(CONFIG, dims);
    List<String> pass = exactly(estimator.analyse(q));
    assertTrue(pass.stream().anyMatch(r -> r.startsWith("[estimate,[a\u0001b,EUR,")),
        pass.toString());
    assertTrue(pass.stream().anyMatch(r -> r.startsWith("[cell,") && r.contains(",(none),")),
        "a cell of quotes without a quantity: " + pass);
    Dataset<Row> asText = q.withColumn("time_bucket", functions.col("time_bucket").cast("string"))
        .withColumn("quantity", functions.col("quantity").cast("string"));
    assertSameRows(exactly(estimator.analyse(asText)), pass, "levels as numbers and as text");
  }

  /**
   * Not flagged is not one thing: a SKU whose upper one-sided 95% bound is below the 1%
   * materiality threshold has a material penalty ruled out; one whose bound is above it is
   * inconclusive. The columns carry the MDE and the bound in %.
   */
  @Test
  void aPreciseNullIsRuledOutAndAnImpreciseOneIsInconclusive() {
    List<Row> rows = new ArrayList<>();
    // b = 0.001: precise (se 0.002, df 100) and imprecise (se 0.02, df 10)
    double[][] fits = {{0.001, 0.002, 100}, {0.001, 0.02, 10}};
    String[] skus = {"precise", "imprecise"};
    for (int i = 0; i < 2; i++) {
      double b = fits[i][0];
      double se = fits[i][1];
      double df = fits[i][2];
      double[] ci = org.loyaltypenalty.stats.Inference.interval(b, se, df, 0.95);
      rows.add(org.apache.spark.sql.RowFactory.create(skus[i], "EUR", "M1", 1, "loyal_vs_new",
          50L, 40L, 10L, 8L, b, se, df,
          org.loyaltypenalty.stats.Inference.oneSidedPenaltyP(b, se, df), ci[0], ci[1],
          org.loyaltypenalty.stats.Inference.minimumDetectable(se, df, 0.05),
          org.loyaltypenalty.stats.Inference.upperBound(b, se, df, 0.95), true, null, 90L, 90L,
          "cohort", "loyal", "new", null, null, null));
    }
    Dataset<Row> estimates = TestSpark.spark().createDataFrame(rows, SkuPass.SCHEMA);
    Dataset<Row> q = quotes();
    List<String> dims = new ContextFrame(CONFIG).dimensions(q);
    CellEvidence cells = new CellEvidence(CONFIG, dims);
    Dataset<Row> all = cells.cellsWithBoth(SkuPass.cells(new SkuPass(CONFIG, dims).analyse(q)));
    Map<String, Row> f = new HashMap<>();
    for (Row r : new FindingsBuilder(CONFIG, dims).build("run-1", estimates, all,
        cells.strongest(all), new MerchantRollup(CONFIG).rollUp(estimates, q))
        .filter("level = 'sku'").collectAsList()) {
      f.put(r.getAs("sku_id"), r);
    }
    Row precise = f.get("precise");
    assertEquals("no_material_penalty", precise.getAs("status"));
    // 100 (exp(0.001 + 0.002 t.ppf(0.95, 100)) - 1), t.ppf(0.95, 100) = 1.6602343260853392 (SciPy)
    assertEquals(100 * Math.expm1(0.001 + 0.002 * 1.6602343260853392),
        precise.<Double>getAs("upper_bound_pct"), 1e-9);
    assertEquals("inconclusive", f.get("imprecise").getAs("status"));
    assertTrue(f.get("imprecise").<Double>getAs("upper_bound_pct") > 1.0);
    assertTrue(f.get("imprecise").<Double>getAs("mde_pct") > precise.<Double>getAs("mde_pct"));
  }

  @Test
  void merchantPoolIsBitIdenticalWhateverOrderTheSkuEstimatesArriveIn() {
    java.util.Random random = new java.util.Random(11);
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      double estimate = 0.05 + 0.04 * random.nextGaussian();
      double se = 0.01 + 0.02 * random.nextDouble();
      rows.add(org.apache.spark.sql.RowFactory.create("s" + k, "EUR", "M1", 1, "loyal_vs_new",
          50L, 40L, 10L, 8L, estimate, se, 30.0, 0.01, estimate - 2 * se, estimate + 2 * se, null,
          null, true, null, 90L, 120L, "cohort", "loyal", "new", null, null, null));
    }
    Dataset<Row> estimates = TestSpark.spark().createDataFrame(rows, SkuPass.SCHEMA);
    Dataset<Row> q = noisyQuotes();
    MerchantRollup rollup = new MerchantRollup(CONFIG);
    List<String> pooled = exactly(rollup.rollUp(estimates, q));
    assertTrue(pooled.get(0).startsWith("[M1,cohort,loyal_vs_new,loyal,new,2000,1600,"),
        pooled.toString());
    for (long seed = 1; seed <= 3; seed++) {
      assertSameRows(pooled, exactly(rollup.rollUp(estimates.orderBy(functions.rand(seed)), q)),
          "merchant roll-up, seed " + seed);
    }
  }

  /**
   * The total paid per flagged comparison is the plain sum of price x quantity over purchased
   * quotes (to 1e-12 relative), bit-identical in any row order; amounts beyond the decimal
   * range still add up (as doubles).
   */
  @Test
  void paidIsTheSumOfPriceTimesQuantityOverPurchasesInAnyOrder() {
    java.util.Random random = new java.util.Random(5);
    List<List<String>> rows = new ArrayList<>();
    double expected = 0;
    long purchases = 0;
    for (int i = 0; i < 500; i++) {
      double price = 1 + random.nextInt(10_000) / 100.0;
      long quantity = 1 + random.nextInt(3);
      boolean purchased = random.nextInt(3) > 0;
      if (purchased) {
        expected += price * quantity;
        purchases++;
      }
      rows.add(List.of("a", "EUR", "loyal_vs_new", Double.toString(price), Long.toString(quantity),
          Boolean.toString(purchased)));
    }
    rows.add(List.of("huge", "EUR", "loyal_vs_new", "1.0E30", "2", "true"));
    rows.add(List.of("huge", "EUR", "loyal_vs_new", "3.0E30", "1", "true"));
    Dataset<Row> affected = TestSpark.strings(List.of("sku_id", "currency", "comparison", "price",
        "quantity", "purchased"), rows)
        .withColumn("price", functions.col("price").cast("double"))
        .withColumn("quantity", functions.col("quantity").cast("double"))
        .withColumn("purchased", functions.col("purchased").cast("boolean"));
    List<String> paid = exactly(paidPerComparison(affected));
    Map<String, Row> bySku = new HashMap<>();
    paidPerComparison(affected).collectAsList().forEach(r -> bySku.put(r.getAs("sku_id"), r));
    assertEquals(expected, bySku.get("a").<Double>getAs("paid"), expected * 1e-12);
    assertEquals(purchases, bySku.get("a").<Long>getAs("purchases"));
    assertEquals(5.0e30, bySku.get("huge").<Double>getAs("paid"), 1e18);
    for (long seed = 1; seed <= 3; seed++) {
      Dataset<Row> shuffled = affected.orderBy(functions.rand(seed)).repartition(3);
      assertSameRows(paid, exactly(paidPerComparison(shuffled)), "paid, seed " + seed);
    }
  }

  /** What each (SKU, currency, comparison) of {@code quotes} paid. */
  private static Dataset<Row> paidPerComparison(Dataset<Row> quotes) {
    return ReportFigures.paid(quotes, functions.col("purchased"), functions.col("quantity"),
        "sku_id", "currency", "comparison");
  }

  /** Fails with the first row that differs, not two lists of hundreds of rows. */
  static void assertSameRows(List<String> expected, List<String> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": rows");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), what + ": row " + i);
    }
  }
}
