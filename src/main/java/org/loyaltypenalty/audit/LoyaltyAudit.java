package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Purchases;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.cohort.CohortAssigner;
import org.loyaltypenalty.cohort.PurchaseHistory;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.io.InputDescription;
import org.loyaltypenalty.io.InputReader;
import org.loyaltypenalty.io.QuarantineCsv;
import org.loyaltypenalty.io.AuditSink;
import org.loyaltypenalty.io.DirectorySink;
import org.loyaltypenalty.report.ReportData;
import org.loyaltypenalty.report.ReportRenderer;
import org.loyaltypenalty.report.Manifest;
import org.loyaltypenalty.validate.PurchaseValidator;
import org.loyaltypenalty.validate.QuoteValidator;
import org.loyaltypenalty.validate.Validated;

/**
 * The audit, end to end: read, validate, place customers in cohorts as of each quote, estimate
 * per-SKU penalties holding the context fixed, pool per merchant, control the FDR, and write the
 * findings, the quarantine, the manifest and the report. Everything that grows with rows runs in
 * Spark; the driver only sees counts and the findings summary.
 *
 * <p>Use: {@code new LoyaltyAudit(spark, config, progress).run(request)}.
 */
public final class LoyaltyAudit {
  public static final String MANIFEST = "manifest.json";
  public static final String REPORT_DIR = "report/";
  public static final String REPORT = REPORT_DIR + "index.html";
  public static final String ANNEX = REPORT_DIR + "evidence-annex.csv";
  /** The key of the valid rows among the counts per quarantine reason (no reason is named so). */
  private static final String VALID = "(valid)";

  private final SparkSession spark;
  private final AuditConfig config;
  private final Progress progress;

  public LoyaltyAudit(SparkSession spark, AuditConfig config, Progress progress) {
    this.spark = spark;
    this.config = config;
    this.progress = progress;
  }

  /** Runs the audit into {@code request.outDir()}. */
  public AuditResult run(AuditRequest request) {
    return run(request, new DirectorySink(spark, request.outDir()), null, null);
  }

  /**
   * Runs the audit into {@code sink}.
   *
   * @param from when not null, only quotes at or after this instant (and quotes that cannot be
   *     dated, which are quarantined) are audited
   * @param until when not null, only quotes before this instant
   */
  public AuditResult run(AuditRequest request, AuditSink sink, Instant from, Instant until) {
    Instant started = Instant.now();
    String runId = RunIds.next(started);
    InputReader reader = new InputReader(spark, config);
    Map<String, Object> counts = new LinkedHashMap<>();
    StorageLevel level = StorageLevel.MEMORY_AND_DISK();

    progress.step("reading and validating quotes from " + request.quotesPath());
    InputReader.Input quotesIn = reader.readQuotes(request.quotesPath(), request.quotesFormat());
    QuoteValidator.Pending pending =
        new QuoteValidator(config).check(quotesIn.data(), window(from, until));
    // without a purchases input the history is the valid quotes themselves: they are checked
    // and cached before the cohorts; otherwise they are checked in the pass that places them
    Validated validatedQuotes = request.purchasesPath().isPresent() ? null
        : pending.settle(level);

    Optional<InputDescription> purchasesDescription = Optional.empty();
    Dataset<Row> history;
    Dataset<Row> purchaseQuarantine = null;
    Dataset<Row> checkedPurchases = null;
    if (request.purchasesPath().isPresent()) {
      progress.step("reading and validating purchases from " + request.purchasesPath().get());
      InputReader.Input purchasesIn =
          reader.readPurchases(request.purchasesPath().get(), request.purchasesFormat());
      purchasesDescription = Optional.of(purchasesIn.description());
      checkedPurchases = new PurchaseValidator().validate(purchasesIn.data()).checked().persist(level);
      counts.put("purchases_source", "purchases input");
      reconcile(reasonCounts(checkedPurchases), "purchases", "purchase_quarantine_reasons", counts);
      Validated purchases = new Validated(checkedPurchases, "purchases");
      purchaseQuarantine = purchases.quarantined();
      history = PurchaseHistory.fromPurchases(purchases.valid());
    } else {
      counts.put("purchases_source",
          List.of(quotesIn.data().columns()).contains(Quotes.PURCHASED)
              ? "quotes with purchased = true" : "every quote (orders-only export)");
      counts.put("purchases_read", 0L);
      counts.put("purchases_valid", 0L);
      counts.put("purchases_quarantined", 0L);
      history = PurchaseHistory.fromQuotes(validatedQuotes.valid());
    }
    history = history.persist(level);

    progress.step("placing each quote's customer in a cohort as of the quote's time"
        + (validatedQuotes == null ? ", checking the quotes in the same pass" : ""));
    Row span = history.agg(count(lit(1)), min(col(Purchases.PURCHASED_AT))).first();
    counts.put("purchases_distinct", span.getLong(0));
    Dataset<Row> unsettled = validatedQuotes == null ? pending.rows() : validatedQuotes.checked();
    Instant historyStart = config.historyStart().orElseGet(() -> span.isNullAt(1)
        ? earliestQuote(validatedQuotes, pending)
        : span.getTimestamp(1).toInstant());
    ContextFrame contextFrame = new ContextFrame(config);
    List<String> dimensions = contextFrame.dimensions(unsettled);
    CohortAssigner cohorts = new CohortAssigner(config);
    Dataset<Row> prepared = contextFrame.measure(
            cohorts.assign(analysisColumns(unsettled), history, historyStart))
        .persist(level);
    Validated quotes = validatedQuotes == null
        ? pending.settle(prepared, level) : new Validated(prepared, "quotes");
    Map<String, Long> reasons = new TreeMap<>();
    Map<String, Long> byCohort = new TreeMap<>();
    long censored = 0;
    for (Row r : quotes.checked()
        .groupBy(col(Derived.REASON), col(Derived.COHORT), col(Derived.CENSORED)).count()
        .collectAsList()) {
      reasons.merge(r.isNullAt(0) ? VALID : r.getString(0), r.getLong(3), Long::sum);
      if (!r.isNullAt(0)) {
        continue;
      }
      if (r.getBoolean(2)) {
        censored += r.getLong(3);
      } else {
        byCohort.put(r.getString(1), r.getLong(3));
      }
    }
    long[] quoteCounts = reconcile(reasons, "quotes", "quarantine_reasons", counts);
    if (quoteCounts[0] == 0) {
      releaseCohortInputs(validatedQuotes, cohorts, history, checkedPurchases);
      prepared.unpersist();
      quotes.release();
      pending.release();
      if (from == null && until == null) {
        throw Errors.noValidQuotes(request.quotesPath(), reasons);
      }
      // nothing is written: a night without a valid quote is most likely an export that has not
      // landed (rows that cannot be dated are in every night's scope, so "read" may not be 0),
      // and an empty night would read as "nothing flagged" in the history
      throw Errors.badArgument(String.format(java.util.Locale.ROOT,
          "no valid quotes from %s to %s in %s (%,d read, quarantined: %s): has the day's export"
              + " landed? (check --quotes and --date)",
          from, until, request.quotesPath(), quoteCounts[1], counts.get("quarantine_reasons")));
    }
    progress.info(String.format("%,d quotes read, %,d valid, %,d quarantined",
        quoteCounts[0] + quoteCounts[1], quoteCounts[0], quoteCounts[1]));
    long analysedCount = byCohort.values().stream().mapToLong(Long::longValue).sum();
    counts.put("quotes_cohort_censored", censored);
    counts.put("quotes_analysed", analysedCount);
    counts.put("quotes_by_cohort", byCohort);
    progress.info(String.format("history from %s; %,d quotes analysed %s, %,d before a full "
        + "lookback (censored)", historyStart, analysedCount, byCohort, censored));

    // the quarantine now, so that the purchases and the timelines (and the validated quotes,
    // when they were cached) are not held in memory through the per-SKU work: from here on only
    // the prepared quotes are read
    progress.step("writing the quarantine");
    // the manifest marks a complete run: a re-run removes the old one before its first write
    sink.remove(MANIFEST);
    Dataset<Row> quarantine = purchaseQuarantine == null
        ? quotes.quarantined() : quotes.quarantined().unionByName(purchaseQuarantine);
    sink.writeQuarantine(quarantine.withColumn(Findings.RUN_ID, lit(runId)));
    counts.put("quarantine_csv", QuarantineCsv.write(sink, quarantine.withColumn(Findings.RUN_ID,
        lit(runId)), quoteCounts[1] + (Long) counts.get("purchases_quarantined")));
    releaseCohortInputs(validatedQuotes, cohorts, history, checkedPurchases);

    Dataset<Row> analysed = contextFrame.levels(
        quotes.valid().filter(col(Derived.CENSORED).equalTo(false)), dimensions);
    Row overview = analysed.agg(countDistinct(col(Quotes.CUSTOMER_ID)),
        countDistinct(col(Quotes.SKU_ID), col(Quotes.CURRENCY)), min(col(Quotes.QUOTED_AT)),
        max(col(Quotes.QUOTED_AT)), countDistinct(col(Quotes.MERCHANT_ID))).first();
    counts.put("customers_analysed", overview.getLong(0));
    counts.put("sku_currency_pairs", overview.getLong(1));
    counts.put("merchants", overview.getLong(4));

    progress.step("estimating per-SKU penalties (fixed effects: " + String.join(", ", dimensions)
        + "), the placebo split and the exact-context cells that hold both cohorts");
    Dataset<Row> skuPass = new SkuPenaltyEstimator(config, dimensions).analyse(analysed)
        .persist(level);
    Dataset<Row> skuEstimates = SkuPenaltyEstimator.estimates(skuPass);
    CellEvidence cellEvidence = new CellEvidence(config, dimensions);
    Dataset<Row> cells = cellEvidence.cellsWithBoth(SkuPenaltyEstimator.cells(skuPass));
    Row passCounts = skuPass.agg(
        sum(when(col(SkuPenaltyEstimator.KIND).equalTo(SkuPenaltyEstimator.ESTIMATE), 1).otherwise(0)),
        sum(when(col(SkuPenaltyEstimator.KIND).equalTo(SkuPenaltyEstimator.CELL), 1).otherwise(0))).first();
    progress.info(String.format("%,d SKU comparisons estimated, %,d cells with both cohorts",
        passCounts.isNullAt(0) ? 0 : passCounts.getLong(0),
        passCounts.isNullAt(1) ? 0 : passCounts.getLong(1)));

    progress.step("pooling SKU estimates per merchant");
    Dataset<Row> merchants = new MerchantRollup(config).rollUp(skuEstimates, analysed).persist(level);
    progress.info(String.format("%,d merchant roll-ups", merchants.count()));

    progress.step("controlling the false discovery rate and writing findings");
    Dataset<Row> findings = new FindingsBuilder(config, dimensions)
        .build(runId, skuEstimates, cells, cellEvidence.strongest(cells), merchants)
        .persist(level);
    sink.writeFindings(findings);

    Row totals = findings.agg(
        sum(when(col(Findings.LEVEL).equalTo("sku"), 1).otherwise(0)),
        sum(when(col(Findings.LEVEL).equalTo("sku").and(col(Findings.P_VALUE).isNotNull()), 1)
            .otherwise(0)),
        sum(when(col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED)), 1).otherwise(0)),
        sum(when(col(Findings.LEVEL).equalTo("merchant").and(col(Findings.FLAGGED)), 1)
            .otherwise(0)),
        countDistinct(when(col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED)),
            col(Findings.SKU_ID)))).first();
    long skuTests = totals.isNullAt(0) ? 0 : totals.getLong(0);
    long tested = totals.isNullAt(1) ? 0 : totals.getLong(1);
    long flaggedSkus = totals.isNullAt(2) ? 0 : totals.getLong(2);
    long flaggedMerchants = totals.isNullAt(3) ? 0 : totals.getLong(3);

    progress.step("placebo check: new customers split at random into two pseudo-cohorts");
    Map<String, Object> placebo =
        new PlaceboCheck(config).summarise(SkuPenaltyEstimator.placebo(skuPass));
    progress.info(String.format("placebo: %s of %s testable comparisons flagged (expected 0)",
        placebo.get("flagged"), placebo.get("tested")));

    progress.step("computing the report's figures and the evidence annex");
    ReportFigures reportFigures = new ReportFigures(config, dimensions);
    Map<String, Object> figures = reportFigures.compute(analysed, findings, skuEstimates,
        SkuPenaltyEstimator.figureRows(skuPass));
    Dataset<Row> annex = reportFigures
        .evidenceAnnex(analysed, findings, cellEvidence.strongest(cells)).persist(level);
    sink.writeCsv(ANNEX, annex);
    figures.put("annex_rows", annex.count());
    annex.unpersist();

    progress.step("writing the manifest and the report");
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("sku_comparisons", skuTests);
    results.put("sku_comparisons_tested", tested);
    results.put("sku_comparisons_insufficient_data", skuTests - tested);
    results.put("sku_comparisons_flagged", flaggedSkus);
    results.put("skus_flagged", totals.getLong(4));
    results.put("merchant_rollups_flagged", flaggedMerchants);
    results.put("placebo", placebo);
    RunQuality quality = RunQuality.of(counts, skuTests, tested, config.maxQuarantineShare());
    results.put("quality", quality.toManifest());
    Map<String, Object> period = new LinkedHashMap<>();
    period.put("history_start", historyStart.toString());
    period.put("first_quote_analysed", instant(overview, 2));
    period.put("last_quote_analysed", instant(overview, 3));
    period.put("dimensions_held_fixed", dimensions);
    String reportData = ReportData.toJson(ReportData.collect(runId, counts, results, period,
        findings, figures, sink.reportSections()));
    sink.writeText(ReportData.FILE, reportData);
    progress.finish();
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("findings", sink.location(DirectorySink.FINDINGS));
    outputs.put("findings_csv", sink.location(DirectorySink.FINDINGS_CSV));
    outputs.put("quarantine", sink.location(DirectorySink.QUARANTINE));
    outputs.put("quarantine_csv", sink.location(QuarantineCsv.FILE));
    outputs.put("report", sink.location(REPORT));
    outputs.put("report_pdf", sink.location(REPORT_DIR + ReportRenderer.PDF));
    outputs.put("report_json", sink.location(REPORT_DIR + ReportRenderer.JSON));
    outputs.put("evidence_annex", sink.location(ANNEX));
    outputs.put("report_data", sink.location(ReportData.FILE));
    Manifest manifest = new Manifest(runId, started, Instant.now(), request, config,
        quotesIn.description(), purchasesDescription, counts, results, period,
        progress.timings(), outputs, org.loyaltypenalty.spark.Sessions.runtime(spark));
    String manifestJson = manifest.toJson();
    ReportRenderer.Rendered report = new ReportRenderer(ReportRenderer.parse(reportData),
        ReportRenderer.parse(manifestJson), config.reportLang(), config.reportMinCustomers())
        .render();
    sink.writeText(REPORT, report.html());
    sink.writeBytes(REPORT_DIR + ReportRenderer.PDF, report.pdf());
    sink.writeText(REPORT_DIR + ReportRenderer.JSON, report.json());
    // last: a run whose manifest exists wrote everything (a killed run is re-run)
    sink.writeText(MANIFEST, manifestJson);

    for (Dataset<Row> d : List.of(findings, merchants, skuPass, prepared)) {
      d.unpersist();
    }
    quotes.release();
    pending.release();
    return new AuditResult(runId, counts, skuTests, tested, flaggedSkus, flaggedMerchants,
        sink.location(DirectorySink.FINDINGS), sink.location(REPORT), sink.location(MANIFEST),
        quality);
  }

  /**
   * Drops what only the cohort step read: the validated quotes (when cached before it, else
   * null), the purchase timelines, the history and the checked purchases (null without a
   * purchases input).
   */
  private static void releaseCohortInputs(Validated validatedQuotes, CohortAssigner cohorts,
      Dataset<Row> history, Dataset<Row> checkedPurchases) {
    if (validatedQuotes != null) {
      validatedQuotes.release();
    }
    cohorts.release();
    history.unpersist();
    if (checkedPurchases != null) {
      checkedPurchases.unpersist();
    }
  }

  /** The quotes of [from, until), and those that cannot be dated (so nothing is lost). */
  private static org.apache.spark.sql.Column window(Instant from, Instant until) {
    org.apache.spark.sql.Column keep = lit(true);
    if (from != null) {
      keep = keep.and(col(Quotes.QUOTED_AT).geq(lit(Timestamp.from(from))));
    }
    if (until != null) {
      keep = keep.and(col(Quotes.QUOTED_AT).lt(lit(Timestamp.from(until))));
    }
    return from == null && until == null ? keep : col(Quotes.QUOTED_AT).isNull().or(keep);
  }

  /** Only what the comparisons need is carried through the shuffles. */
  private Dataset<Row> analysisColumns(Dataset<Row> quotes) {
    List<String> present = List.of(quotes.columns());
    java.util.Set<String> keep = new java.util.LinkedHashSet<>();
    // quote_id for the evidence annex; list_price, purchased and quantity for the report's figures
    keep.addAll(List.of(Quotes.QUOTE_ID, Quotes.CUSTOMER_ID, Quotes.SKU_ID, Quotes.CURRENCY,
        Quotes.QUOTED_AT, Quotes.PRICE, Quotes.MERCHANT_ID, Quotes.LIST_PRICE, Quotes.PURCHASED,
        Quotes.QUANTITY));
    keep.addAll(config.contextColumns());
    // what settling the duplicates reads (the audit's scope reads quoted_at, kept above)
    keep.addAll(QuoteValidator.SETTLE_READS);
    return quotes.select(keep.stream().filter(present::contains)
        .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
  }

  private static String instant(Row row, int index) {
    return row.isNullAt(index) ? null : row.getTimestamp(index).toInstant().toString();
  }

  /**
   * With no purchase at all, the history starts with the first valid quote in scope: of
   * {@code validated} when the quotes were settled already (null if not), else of {@code pending}
   * settled over its rows as they are (the input is read again; only for this rare case).
   */
  private static Instant earliestQuote(Validated validated, QuoteValidator.Pending pending) {
    Validated settled = validated != null ? validated
        : pending.settle(pending.rows(), StorageLevel.MEMORY_AND_DISK());
    Row r = settled.valid().agg(min(col(Quotes.QUOTED_AT))).first();
    if (validated == null) {
      settled.release();
    }
    return r.isNullAt(0) ? Instant.EPOCH : ((Timestamp) r.get(0)).toInstant();
  }

  /** Rows of a checked input per quarantine reason, {@link #VALID} for valid rows. */
  private static Map<String, Long> reasonCounts(Dataset<Row> checked) {
    Map<String, Long> reasons = new TreeMap<>();
    for (Row r : checked.groupBy(col(Derived.REASON)).count().collectAsList()) {
      reasons.put(r.isNullAt(0) ? VALID : r.getString(0), r.getLong(1));
    }
    return reasons;
  }

  /**
   * Records, under {@code <prefix>_read}, {@code _valid} and {@code _quarantined}, that every row
   * read is one or the other; the quarantine reasons go under {@code reasonsKey}. Returns
   * {valid, quarantined}.
   *
   * @param rows rows per quarantine reason, {@link #VALID} for valid rows
   */
  private static long[] reconcile(Map<String, Long> rows, String prefix, String reasonsKey,
      Map<String, Object> counts) {
    Map<String, Long> reasons = new TreeMap<>(rows);
    Long valid = reasons.remove(VALID);
    long quarantined = reasons.values().stream().mapToLong(Long::longValue).sum();
    long validRows = valid == null ? 0 : valid;
    counts.put(prefix + "_read", validRows + quarantined);
    counts.put(prefix + "_valid", validRows);
    counts.put(prefix + "_quarantined", quarantined);
    counts.put(reasonsKey, reasons);
    return new long[] {validRows, quarantined};
  }
}
