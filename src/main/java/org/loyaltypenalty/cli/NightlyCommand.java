package org.loyaltypenalty.cli;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.audit.AuditRequest;
import org.loyaltypenalty.audit.AuditResult;
import org.loyaltypenalty.audit.AuditScope;
import org.loyaltypenalty.audit.LoyaltyAudit;
import org.loyaltypenalty.audit.Progress;
import org.loyaltypenalty.audit.Step;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.io.InputFormat;
import org.loyaltypenalty.io.InputPaths;
import org.loyaltypenalty.io.OutputLocation;
import org.loyaltypenalty.io.RunLock;
import org.loyaltypenalty.nightly.NightlySink;
import org.loyaltypenalty.spark.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nightly}: audit one day's quotes into a findings history. */
@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = {
        "Audits the quotes of one day (in input.timezone) with the full purchase history for"
            + " cohorts, replaces that date's partition of DIR/findings_history,"
            + " DIR/quarantine_history and DIR/penalty_status (Delta, partitioned by run_date),"
            + " and writes the day's manifest, report, findings.csv and penalty_changes.csv under"
            + " DIR/runs/<date>/.",
        "Re-running a date replaces it; a run killed halfway leaves the last commit readable."},
    footer = {"", "Exit codes: 0 done; 2 bad input or config; 1 failure; 3 with"
        + " --fail-on-new-penalties when a penalty was newly confirmed tonight (or, with"
        + " --alert-on flagged, when any penalty was flagged tonight and not last run)."})
public final class NightlyCommand implements Callable<Integer> {
  public static final int EXIT_NEW_PENALTIES = 3;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin RunOptions options;

  @Option(names = "--quotes", required = true, paramLabel = "PATH",
      description = "quote log (the day's partition, or a log holding many days)")
  String quotes;

  @Option(names = "--purchases", required = true, paramLabel = "PATH",
      description = "the full purchase history, for cohorts as of each quote")
  String purchases;

  @Option(names = "--history", required = true, paramLabel = "DIR",
      description = "history directory (created on first use)")
  String history;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD",
      description = "the day to audit (default: yesterday in input.timezone)")
  String date;




  @Option(names = "--fail-on-new-penalties",
      description = "exit with 3 when a penalty was newly confirmed tonight (for alerting)")
  boolean failOnNew;

  /** What --fail-on-new-penalties alerts on. */
  enum AlertOn { confirmed, flagged }

  @Option(names = "--alert-on", paramLabel = "confirmed|flagged", defaultValue = "confirmed",
      description = "with --fail-on-new-penalties: 'confirmed' (default) exits 3 when a penalty"
          + " reaches nightly.persistence_runs flagged runs in a row, which holds false alarms"
          + " over nights; 'flagged' on any penalty new tonight (no such control: expect the"
          + " false alarms of testing every night)")
  AlertOn alertOn;


  @Override
  public Integer call() throws Exception {
    AuditConfig cfg = options.loadConfig();
    OutputLocation.check("--history", history,
        AuditCommand.inputs(quotes, purchases, options.customers));
    LocalDate day = date == null
        ? ZonedDateTime.now(cfg.timezone()).toLocalDate().minusDays(1)
        : parse(date);
    InputFormat quotesFormat = options.quotesFormat();
    InputFormat purchaseFormat = options.purchasesFormat();
    options.checkSegmentInputs(cfg, quotes);
    AuditRequest request = new AuditRequest(quotes, quotesFormat, Optional.of(purchases),
        purchaseFormat, options.configFile(),
        spec.commandLine().getParseResult().originalArgs());
    request = options.withCustomers(request);
    InputPaths.requireLocal("quotes", quotes);
    InputPaths.requireLocal("purchases", purchases);
    Progress progress = options.progress();
    var lockErr = spec.commandLine().getErr();
    // the whole history: the nights share its tables and each night's status reads the others
    try (RunLock lock = RunLock.acquire("--history", history, "nightly " + day,
            w -> AuditCommand.warn(lockErr, w));
        Sessions.Handle session = AuditCommand.open(progress, Step.START_SPARK,
            " for the night of " + day, "loyalty-penalty-nightly", cfg,
            AuditCommand.inputs(quotes, purchases, options.customers).values())) {
      NightlySink sink = new NightlySink(session.spark(), history, day, cfg.persistenceRuns(),
          cfg.privacy().retainDays());
      AuditResult r = new LoyaltyAudit(session.spark(), cfg, progress,
          Reports.publisher(cfg)).run(request, sink, AuditScope.between(
              day.atStartOfDay(cfg.timezone()).toInstant(),
              day.plusDays(1).atStartOfDay(cfg.timezone()).toInstant()));
      var out = spec.commandLine().getOut();
      QualitySummary.headlines(r, cfg).forEach(out::println);
      out.printf("night %s audited (run %s) in %.1f s%n", day, r.runId(), r.durationSeconds());
      out.printf("  quotes: %,d read, %,d valid, %,d quarantined%n", r.counts().quotesRead(),
          r.counts().quotesValid(), r.counts().quotesQuarantined());
      out.printf("  flagged tonight: %,d SKU comparisons; new %,d, resolved %,d, explained by a"
          + " disclosed offer %,d, not testable tonight %,d; newly confirmed (%d runs in a"
          + " row): %,d%n",
          r.results().skuComparisonsFlagged(),
          sink.newTonight(), sink.resolvedTonight(), sink.explainedTonight(),
          sink.untestedTonight(),
          cfg.persistenceRuns(), sink.newlyConfirmed());
      out.printf("  report: %s%n  history: %s%n", r.reportPath(), history);
      out.flush();
      if (sink.laterNights() > 0) {
        var err = spec.commandLine().getErr();
        err.printf("warning: the history has %,d night(s) after %s; their penalty_status was"
            + " computed with this night's earlier findings: re-run them in date order to"
            + " refresh it%n", sink.laterNights(), day);
        err.flush();
      }
      long alerts = alertOn == AlertOn.flagged ? sink.newTonight() : sink.newlyConfirmed();
      return failOnNew && alerts > 0 ? EXIT_NEW_PENALTIES : 0;
    }
  }

  private static LocalDate parse(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw Errors.badArgument("--date must be a date such as 2026-01-31, not " + value);
    }
  }
}
