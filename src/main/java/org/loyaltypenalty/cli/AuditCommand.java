package org.loyaltypenalty.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.loyaltypenalty.audit.AuditRequest;
import org.loyaltypenalty.audit.AuditResult;
import org.loyaltypenalty.audit.LoyaltyAudit;
import org.loyaltypenalty.audit.Progress;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigKey;
import org.loyaltypenalty.io.InputFormat;
import org.loyaltypenalty.io.OutputLocation;
import org.loyaltypenalty.io.RunLock;
import org.loyaltypenalty.spark.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit}: one audit of a quote log, end to end. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {
        "Audits a quote log for loyalty penalties and writes findings (Delta and CSV), a",
        "quarantine (Delta), manifest.json and report/index.html under --out.",
        "",
        "Config file keys (Java properties; command line > config file > default):",
        "  columns.<name> = <your column>            map a quotes column to the contract",
        "  purchases.columns.<name> = <your column>  map a purchases column"},
    footer = {"", "Exit codes: 0 done; 2 bad input or config; 1 failure."})
public final class AuditCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin RunOptions options;

  @Option(names = "--quotes", required = true, paramLabel = "PATH",
      description = "quote log: a file, a directory or a glob (csv, parquet) or a Delta table")
  String quotes;

  @Option(names = "--purchases", paramLabel = "PATH",
      description = "purchase history (customer_id, purchased_at[, order_id]); default: the quotes"
          + " with purchased = true, or every quote in an orders-only export")
  String purchases;



  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "output directory; re-running into it replaces its results (one run at a"
          + " time: a second run on it while one runs exits 2)")
  String out;



  @Override
  public Integer call() throws Exception {
    AuditConfig cfg = options.loadConfig();
    OutputLocation.check("--out", out, inputs(quotes, purchases));
    InputFormat quotesFormat = options.quotesFormat();
    InputFormat purchaseFormat = options.purchasesFormat();
    AuditRequest request = new AuditRequest(quotes, quotesFormat, Optional.ofNullable(purchases),
        purchaseFormat, out, options.configFile(),
        spec.commandLine().getParseResult().originalArgs());
    Progress progress = options.progress();
    var err = spec.commandLine().getErr();
    try (RunLock lock = RunLock.acquire("--out", out, "audit", w -> warn(err, w));
        Sessions.Handle session = open(progress, "starting Spark", "loyalty-penalty-audit", cfg)) {
      AuditResult r = new LoyaltyAudit(session.spark(), cfg, progress).run(request);
      printSummary(spec.commandLine().getOut(), r, progress.elapsed());
    }
    return 0;
  }

  static void warn(java.io.PrintWriter err, String warning) {
    err.println(warning);
    err.flush();
  }

  /** Opens the session once the output is claimed. */
  static Sessions.Handle open(Progress progress, String step, String app, AuditConfig cfg) {
    progress.step(step);
    return Sessions.open(app, cfg);
  }

  /** The inputs by name, for {@link OutputLocation#check}: absent ones left out. */
  static java.util.Map<String, String> inputs(String quotes, String purchases) {
    java.util.Map<String, String> in = new java.util.LinkedHashMap<>();
    in.put("quotes", quotes);
    if (purchases != null) {
      in.put("purchases", purchases);
    }
    return in;
  }

  private static void printSummary(java.io.PrintWriter out, AuditResult r, double seconds) {
    var c = r.counts();
    out.printf("audit %s finished in %.1f s%n", r.runId(), seconds);
    out.printf("  quotes: %,d read, %,d valid, %,d quarantined, %,d analysed%n",
        c.get("quotes_read"), c.get("quotes_valid"), c.get("quotes_quarantined"),
        c.get("quotes_analysed"));
    out.printf("  SKU comparisons: %,d, tested %,d, insufficient data %,d%n",
        r.skuTests(), r.skusTested(), r.skuTests() - r.skusTested());
    out.printf("  flagged: %,d SKU comparisons, %,d merchant roll-ups%n",
        r.flaggedSkus(), r.flaggedMerchants());
    out.printf("  report:   %s%n  findings: %s (Delta) and findings.csv%n  manifest: %s%n",
        r.reportPath(), r.findingsPath(), r.manifestPath());
    out.flush();
  }

  /** The scalar config keys with their meaning and default, for --help. */
  static String keyTable() {
    StringBuilder sb = new StringBuilder();
    for (ConfigKey k : ConfigKey.values()) {
      sb.append(String.format("  %-30s %s (default: %s)%n", k.key(), k.description(),
          k.defaultValue().isEmpty() ? "none" : k.defaultValue()));
    }
    return sb.toString();
  }
}
