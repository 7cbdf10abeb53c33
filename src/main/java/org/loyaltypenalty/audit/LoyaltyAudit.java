package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.loyaltypenalty.audit.FindingsViews.cohortOnly;
import static org.loyaltypenalty.audit.FindingsViews.experimentReports;
import static org.loyaltypenalty.audit.FindingsViews.onSkusOf;
import static org.loyaltypenalty.audit.FindingsViews.pooling;
import static org.loyaltypenalty.audit.FindingsViews.priceOnly;
import static org.loyaltypenalty.audit.FindingsViews.withoutExperiments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.cohort.CohortAssigner;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.io.AuditSink;
import org.loyaltypenalty.io.InputReader;
import org.loyaltypenalty.io.QuarantineCsv;
import org.loyaltypenalty.io.RunLayout;
import org.loyaltypenalty.report.ReportData;
import org.loyaltypenalty.run.DisclosedOffers;
import org.loyaltypenalty.run.ExperimentReport;
import org.loyaltypenalty.run.InputCounts;
import org.loyaltypenalty.run.PaidGap;
import org.loyaltypenalty.run.ProcessingRecord;
import org.loyaltypenalty.run.ReestimatedFinding;
import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunFigures;
import org.loyaltypenalty.run.RunPeriod;
import org.loyaltypenalty.run.RunReportData;
import org.loyaltypenalty.run.RunResults;
import org.loyaltypenalty.run.SegmentReport;
import org.loyaltypenalty.run.TestabilityAdvice;
import org.loyaltypenalty.segment.SegmentLevels;
import org.loyaltypenalty.sku.SkuPass;
import org.loyaltypenalty.sku.UntestedReason;
import org.loyaltypenalty.spark.CachedRows;
import org.loyaltypenalty.spark.Concurrently;
import org.loyaltypenalty.spark.HeldCaches;
import org.loyaltypenalty.spark.Sessions;
import org.loyaltypenalty.validate.QuoteValidator;
import org.loyaltypenalty.validate.Validated;

/**
 * The audit, end to end: read, validate, place customers in cohorts as of each quote, estimate
 * per-SKU penalties holding the context fixed, pool per merchant, control the FDR, and write the
 * findings, the quarantine, the manifest and the report. Everything that grows with rows runs in
 * Spark; the driver only sees counts and small aggregates.
 *
 * <p>Use: {@code new LoyaltyAudit(spark, config, progress, publisher).run(request, sink, scope)};
 * the command passes the report renderer as {@code publisher}.
 */
public final class LoyaltyAudit {
  private final SparkSession spark;
  private final AuditConfig config;
  private final Progress progress;
  private final ReportPublisher publisher;

  /** @param publisher renders the report (the audit collects what goes into it) */
  public LoyaltyAudit(SparkSession spark, AuditConfig config, Progress progress,
      ReportPublisher publisher) {
    this.spark = spark;
    this.config = config;
    this.progress = progress;
    this.publisher = publisher;
  }

  /**
   * Runs the audit of the quotes in {@code scope} into {@code sink}: its steps, in order, but
   * for the writes of the quarantine and of the findings, each of which runs beside the steps
   * after it that do not read it ({@link Concurrently}; the outputs are those of the steps run one
   * after another). A bounded scope without a valid quote is refused before anything is written.
   */
  public AuditResult run(AuditRequest request, AuditSink sink, AuditScope scope) {
    Run run = new Run(request, sink, scope);
    try {
      run.in.readQuotes(request, scope);
      run.in.readPurchases(request);
      run.in.readCustomers(request);
      run.placeInCohorts();
      // what is written runs beside the steps that do not read it
      Concurrently.run(() -> {
        run.estimatePerSku();
        run.poolMerchants();
      }, progress.beside(Step.QUARANTINE, run::writeQuarantine));
      run.controlFindings();
      Concurrently.run(() -> {
        run.checkPlacebo();
        run.computeFigures();
      }, progress.beside(Step.WRITE_FINDINGS, run::writeFindings));
      return run.publish();
    } catch (Exception e) {
      // Exception: Spark's Scala code throws checked exceptions (SparkException) undeclared
      run.held.releaseAfter(e);
      throw e;
    }
  }

  /** One run's state, handed from step to step; each step releases what only it read. */
  private final class Run {
    private final StorageLevel level = Sessions.cacheLevel(spark);
    private final Instant started = progress.startedAt();
    private final String runId = RunIds.next(started);
    private final AuditRequest request;
    private final AuditSink sink;
    private final AuditScope scope;
    private final ContextFrame contextFrame = new ContextFrame(config);
    private final AuditInputs in;
    private final SegmentColumns segmentColumns = new SegmentColumns(config);
    /** Every cache the run has made so far: released at its end, or after a failure. */
    private final HeldCaches held = new HeldCaches();
    private long purchasesDistinct;
    private Instant historyStart;
    private List<String> dimensions;
    private CohortAssigner cohorts;
    private CachedRows prepared;
    private Validated quotes;
    private QuoteTally tally;
    private Dataset<Row> analysed;
    private QuoteOverview overview;
    private List<SegmentLevels> segments;
    private Map<String, Long> cohortCustomers;
    private CachedRows skuPassCache;
    private Dataset<Row> skuPass;
    private Dataset<Row> skuEstimates;
    private CellEvidence cellEvidence;
    private Dataset<Row> cells;
    /** The strongest cells of each comparison: read by the findings and again by the annex. */
    private CachedRows strongestCells;
    private CachedRows merchantsCache;
    private Dataset<Row> merchants;
    private CachedRows findingsCache;
    private Dataset<Row> findings;
    private FindingsTotals totals;
    private RunResults.Placebo placebo;
    private RunFigures figures;
    private TestabilityAdvice testability;
    private List<SegmentReport> segmentReports;
    private List<PaidGap> paid;
    private List<ReestimatedFinding> reestimated;
    private Map<String, Object> quarantineCsv;
    private DisclosedOffers disclosedOffers;
    private DisclosedOfferCheck.Checked checked;
    private List<ExperimentCheck.Result> experiments;

    Run(AuditRequest request, AuditSink sink, AuditScope scope) {
      this.request = request;
      this.sink = sink;
      this.scope = scope;
      this.in = new AuditInputs(new InputReader(spark, config, sink.recordedChecksums()), config,
          progress, level);
      held.hold(in, AuditInputs::release);
      // the hashes of repeated quote ids, cached once the quotes are read
      held.hold(in, inputs -> {
        if (inputs.pending() != null) {
          inputs.pending().release();
        }
      });
    }

    /**
     * Places each quote's customer in a cohort as of the quote's time (settling the quotes'
     * checks in the same pass when they were not settled before) and counts the quotes per
     * reason and cohort, in one aggregation.
     */
    void placeInCohorts() {
      progress.step(Step.COHORTS,
          in.validatedQuotes() == null ? ", checking the quotes in the same pass" : "");
      Validated validatedQuotes = in.validatedQuotes();
      QuoteValidator.Pending pending = in.pending();
      cohorts = held.hold(new CohortAssigner(config), CohortAssigner::release);
      CohortAssigner.Extent history = cohorts.gather(in.history());
      purchasesDistinct = history.purchases();
      Dataset<Row> unsettled = validatedQuotes == null ? pending.rows() : validatedQuotes.checked();
      historyStart = config.historyStart()
          .orElseGet(() -> history.first().orElseGet(in::earliestQuote));
      dimensions = contextFrame.dimensions(unsettled);
      // every later query starts at this cache, not at the reader, checks and cohorts behind it
      prepared = held.hold(CachedRows.of(contextFrame.measure(
              cohorts.assign(contextFrame.carried(segmentColumns.attach(unsettled,
                  in.customers() == null ? null : in.customers().valid())), historyStart)),
          level));
      quotes = held.hold(validatedQuotes == null
          ? pending.settle(prepared.rows(), level) : new Validated(prepared.rows(), "quotes"),
          Validated::release);
      tally = QuoteTally.of(quotes.checked());
      InputCounts quoteCounts = tally.counts();
      if (quoteCounts.valid() == 0) {
        // the refusal releases the run's caches on its way out (run)
        if (!scope.bounded()) {
          // every row quarantined is not a finding of no penalty: nothing is written
          throw Errors.noValidQuotes(request.quotesPath(), quoteCounts.reasons());
        }
        throw Errors.noValidQuotesInScope(request.quotesPath(), scope.from().orElse(null),
            scope.until().orElse(null), quoteCounts.quarantined(), quoteCounts.reasons());
      }
      progress.info(String.format("%,d quotes read, %,d valid, %,d quarantined",
          quoteCounts.read(), quoteCounts.valid(), quoteCounts.quarantined()));
      progress.info(String.format("history from %s; %,d quotes analysed %s, %,d before a full "
          + "lookback (censored)", historyStart, tally.analysed(), tally.byCohort(),
          tally.censored()));
      analysed = contextFrame.levels(
          quotes.valid().filter(col(Derived.CENSORED).equalTo(false)), dimensions);
      // the prepared quotes are cached in full (the tally read them all), and what is cached
      // after starts from that cache's relation (CachedRows), not from the inputs: only the
      // quarantine reads the purchases and customers from here on
      cohorts.release();
      in.releaseQuotes();
    }

    /**
     * Writes the quarantine, and counts what the analysed quotes span, beside the per-SKU pass
     * and the merchant roll-ups, which read neither; then drops the checked purchases and
     * customers, which nothing reads after it. The manifest marks a complete run: a re-run
     * removes the old one before its first write.
     */
    void writeQuarantine() {
      sink.remove(RunLayout.MANIFEST);
      Dataset<Row> quarantine = in.purchaseQuarantine() == null
          ? quotes.quarantined() : quotes.quarantined().unionByName(in.purchaseQuarantine());
      if (in.customers() != null) {
        quarantine = quarantine.unionByName(in.customers().quarantined());
      }
      Dataset<Row> written = quarantine.withColumn(Findings.RUN_ID, lit(runId));
      long quarantined = tally.counts().quarantined() + in.purchaseCounts().quarantined()
          + in.customerCounts().map(InputCounts::quarantined).orElse(0L);
      Concurrently.run(
          () -> sink.writeQuarantine(written),
          () -> quarantineCsv = QuarantineCsv.write(sink, written, quarantined),
          () -> overview = QuoteOverview.of(analysed, config));
      in.release();
    }

    /** The per-SKU pass: estimates, placebo split, exact cells and figures, in one shuffle. */
    void estimatePerSku() {
      progress.step(Step.PER_SKU, String.join(", ", dimensions));
      SegmentResolver.Resolved resolved = SegmentResolver.resolve(config.segments(), analysed);
      segments = resolved.segments();
      cohortCustomers = resolved.cohortCustomers();
      skuPassCache = held.hold(
          CachedRows.of(new SkuPass(config, dimensions, segments).analyse(analysed), level));
      skuPass = skuPassCache.rows();
      skuEstimates = SkuPass.estimates(skuPass);
      cellEvidence = new CellEvidence(config, dimensions);
      cells = cellEvidence.cellsWithBoth(SkuPass.cells(skuPass));
      SkuPass.Counts passCounts = SkuPass.counts(skuPass);
      progress.info(String.format("%,d SKU comparisons estimated, %,d cells with both cohorts",
          passCounts.estimates(), passCounts.cells()));
    }

    void poolMerchants() {
      progress.step(Step.MERCHANTS);
      merchantsCache = held.hold(CachedRows.of(new MerchantRollup(config)
          .rollUp(skuEstimates, analysed, segments.stream().map(SegmentLevels::name).toList()),
          level));
      merchants = merchantsCache.rows();
      progress.info(String.format("%,d merchant roll-ups", merchants.count()));
    }

    /** False-discovery control over every test of the run, the flags, and the findings. */
    void controlFindings() {
      progress.step(Step.FINDINGS);
      // the randomisation of price experiments: its tests join the run's family
      experiments = dimensions.contains(Derived.EXPERIMENT)
          ? ExperimentCheck.check(analysed, segments.stream().map(SegmentLevels::name).toList())
          : null;
      strongestCells = held.hold(CachedRows.of(cellEvidence.strongest(cells), level));
      findingsCache = held.hold(CachedRows.of(oneShuffleWide(new FindingsBuilder(config,
              dimensions).build(runId, skuEstimates,
              moneyOutcomes() ? SkuPass.outcomes(skuPass) : null, cells, strongestCells.rows(),
              merchants,
              experiments == null ? null : ExperimentCheck.findingsRows(spark, experiments))),
          level));
      findings = findingsCache.rows();
      if (DisclosedOfferCheck.active(config)) {
        DisclosedOfferCheck check = new DisclosedOfferCheck(config, dimensions, segments, level);
        checked = held.hold(check.check(findings, analysed, skuEstimates),
            DisclosedOfferCheck.Checked::release);
        if (checked.cached() != null) {
          findingsCache.release(); // the checked findings are cached in its place
        }
        disclosedOffers = check.summary(overview.withOffer(), overview.withDisclosedOffer(),
            checked);
        progress.info(String.format("%,d quotes with a disclosed offer; %,d flagged comparisons"
            + " and %,d flagged merchant roll-ups re-estimated without them, %,d and %,d"
            + " explained by a disclosed offer",
            disclosedOffers.quotesWithDisclosedOffer(), checked.reestimated(),
            checked.rollupsReestimated(), checked.explained(), checked.rollupsExplained()));
        findings = checked.findings();
      }
    }

    /**
     * Writes the findings, and totals them, beside the placebo check and the figures (which
     * read the cached findings, not what is written).
     */
    void writeFindings() {
      Concurrently.run(
          () -> sink.writeFindings(FindingsViews.inFileOrder(findings)),
          () -> totals = FindingsTotals.of(findings));
    }

    /**
     * The findings in at most as many partitions as a shuffle makes: they are the union of
     * several parts, most of them a shuffle's output, whose partitions add up (32 at 10M quotes
     * for a few hundred rows), and every query of the findings runs one task per partition. Merged
     * without a shuffle: each part's partitions are computed as before, the last steps of the
     * parts (and of the strongest cells, cached as the findings are first computed) in as many
     * tasks as a shuffle has.
     */
    private Dataset<Row> oneShuffleWide(Dataset<Row> built) {
      return built.coalesce(Sessions.shufflePartitions(spark));
    }

    void checkPlacebo() {
      progress.step(Step.PLACEBO);
      placebo = new PlaceboCheck(config).summarise(SkuPass.placebo(skuPass));
      progress.info(String.format("placebo: %s of %s testable comparisons flagged (expected 0)",
          placebo.flagged(), placebo.tested()));
    }

    /**
     * The report's figures, evidence annex and matched pairs, and its sections computed from
     * the audit's datasets (testability advice, segments, paid gaps, re-estimates): independent
     * queries, run at the same time.
     */
    void computeFigures() {
      progress.step(Step.FIGURES);
      Dataset<Row> flagged = FindingsViews.flaggedSkus(findings);
      // the figures and the annex are the loyalty cohort's; the segments have their section
      Dataset<Row> loyaltyPrices = priceOnly(cohortOnly(findings));
      Dataset<Row> loyaltyFlagged = priceOnly(cohortOnly(flagged));
      Concurrently.run(
          () -> figures = new ReportFigures(config).compute(analysed, loyaltyPrices,
              loyaltyFlagged, cohortOnly(skuEstimates), SkuPass.figureRows(skuPass)),
          // the annex and the pairs read the quotes of the SKUs they show, not every quote
          () -> sink.writeCsv(RunLayout.ANNEX_DATA, new AnnexData(config, dimensions)
              .rows(onSkusOf(analysed, loyaltyFlagged), loyaltyFlagged,
                  cohortOnly(strongestCells.rows()))),
          // a pair of a comparison still flagged without the disclosed offers is made without them
          () -> sink.writeCsv(RunLayout.PAIRS_DATA, new MatchedPairs(config, dimensions)
              .pairs(withoutDisclosedOffers(onSkusOf(analysed, priceOnly(flagged))),
                  priceOnly(flagged))),
          () -> testability = new Testability(config, dimensions).advise(analysed, loyaltyPrices),
          () -> segmentReports = segments.isEmpty() ? List.of()
              : new SegmentSummary(config).summarise(segments, analysed,
                  priceOnly(experiments == null ? findings : withoutExperiments(findings)),
                  cohortCustomers),
          () -> paid = moneyOutcomes()
              ? PaidSummary.summarise(findings, SkuPass.outcomes(skuPass)) : null,
          () -> reestimated = disclosedOffers == null ? List.of()
              : ReportData.reestimated(loyaltyPrices));
    }

    /**
     * Writes the report data, has the report rendered, and writes the manifest last: a run
     * whose manifest exists wrote everything (a killed run is re-run).
     */
    AuditResult publish() {
      progress.step(Step.REPORT);
      RunCounts counts = new RunCounts(in.purchasesSource(), in.purchaseCounts(),
          purchasesDistinct, tally.counts(), tally.censored(), tally.byCohort(), quarantineCsv,
          overview.customers(), overview.skuCurrencyPairs(), overview.merchants(),
          in.customerCounts());
      RunResults results = totals.results(config, placebo, counts);
      RunPeriod period =
          new RunPeriod(historyStart.toString(), overview.first(), overview.last(), dimensions);
      List<ExperimentReport> experimentReports = experiments == null ? List.of()
          : experimentReports(experiments, findings);
      List<Long> rowsRead = new ArrayList<>(List.of(tally.counts().read()));
      request.purchasesPath().ifPresent(p -> rowsRead.add(in.purchaseCounts().read()));
      in.customerCounts().ifPresent(c -> rowsRead.add(c.read()));
      ProcessingRecord processing = in.ledger().record(rowsRead, overview.customers(), sink);
      RunReportData data = ReportData.collect(runId, counts, results, period,
          priceOnly(cohortOnly(findings)), cohortOnly(skuEstimates),
          pooling(cohortOnly(merchants)), untestedThresholds(), figures, sink.reportSections(),
          new ReportData.AuditSections(testability, disclosedOffers, reestimated,
              segmentReports, experimentReports, paid, processing));
      String reportData = ReportData.toJson(data);
      sink.writeText(RunLayout.REPORT_DATA, reportData);
      progress.finish();
      Manifest manifest = new Manifest(runId, started, Instant.now(), request, config,
          in.quotesDescription(), in.purchasesDescription(), counts, results, period,
          progress.timings(), progress.besideTimings(), sink.outputs(), Sessions.runtime(spark),
          in.customersDescription(), processing, Optional.ofNullable(disclosedOffers));
      String manifestJson = manifest.toJson();
      publisher.publish(reportData, manifestJson, sink.runFiles());
      sink.writeText(RunLayout.MANIFEST, manifestJson);

      held.releaseAll();
      return new AuditResult(runId, counts, results, manifest.durationSeconds(),
          sink.location(RunLayout.FINDINGS),
          sink.location(RunLayout.inReport(RunLayout.HTML)), sink.location(RunLayout.MANIFEST));
    }

    /** The quotes but those with a disclosed offer, when offers are configured. */
    private Dataset<Row> withoutDisclosedOffers(Dataset<Row> quotes) {
      return config.disclosedOffers().isEmpty() ? quotes
          : quotes.filter(functions.not(DisclosedOfferCheck.disclosed(config)));
    }

    /**
     * Whether the quotes carry a fee or a coupon, and so the per-SKU pass estimated the money
     * outcomes: without them there is no money row to put into the findings or the report.
     */
    private boolean moneyOutcomes() {
      List<String> analysedColumns = List.of(analysed.columns());
      return analysedColumns.contains(Quotes.FEE) || analysedColumns.contains(Quotes.COUPON);
    }

    /** The minimum each reason for not testing is about. */
    private Map<UntestedReason, Integer> untestedThresholds() {
      Map<UntestedReason, Integer> out = new java.util.EnumMap<>(UntestedReason.class);
      out.put(UntestedReason.FEWER_QUOTES, config.minQuotesPerCohort());
      out.put(UntestedReason.FEWER_CUSTOMERS, config.minCustomersPerCohort());
      return out;
    }
  }
}
