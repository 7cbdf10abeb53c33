package org.loyaltypenalty.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.loyaltypenalty.audit.AuditRequest;
import org.loyaltypenalty.audit.AuditResult;
import org.loyaltypenalty.audit.AuditScope;
import org.loyaltypenalty.audit.LoyaltyAudit;
import org.loyaltypenalty.audit.Progress;
import org.loyaltypenalty.audit.Step;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigKey;
import org.loyaltypenalty.io.DirectorySink;
import org.loyaltypenalty.io.InputFormat;
import org.loyaltypenalty.io.InputPaths;
import org.loyaltypenalty.io.OutputLocation;
import org.loyaltypenalty.io.RunLock;
import org.loyaltypenalty.spark.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit}: one audit of a quote log, end to end. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Audits a quote log for loyalty penalties and writes findings (Delta and"
        + " CSV), a quarantine (Delta and CSV), manifest.json and report/index.html under --out.",
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
    OutputLocation.check("--out", out, inputs(quotes, purchases, options.customers));
    InputFormat quotesFormat = options.quotesFormat();
    InputFormat purchaseFormat = options.purchasesFormat();
    options.checkSegmentInputs(cfg, quotes);
    AuditRequest request = new AuditRequest(quotes, quotesFormat, Optional.ofNullable(purchases),
        purchaseFormat, options.configFile(),
        spec.commandLine().getParseResult().originalArgs());
    request = options.withCustomers(request);
    InputPaths.requireLocal("quotes", quotes);
    if (purchases != null) {
      InputPaths.requireLocal("purchases", purchases);
    }
    Progress progress = options.progress();
    var err = spec.commandLine().getErr();
    try (RunLock lock = RunLock.acquire("--out", out, "audit", w -> warn(err, w));
        Sessions.Handle session = open(progress, Step.START_SPARK, "", "loyalty-penalty-audit",
            cfg, inputs(quotes, purchases, options.customers).values())) {
      AuditResult r = new LoyaltyAudit(session.spark(), cfg, progress, Reports.publisher(cfg))
          .run(request, new DirectorySink(session.spark(), out), AuditScope.everything());
      printSummary(spec.commandLine().getOut(), r, QualitySummary.headlines(r, cfg),
          r.durationSeconds());
    }
    return 0;
  }

  static void warn(java.io.PrintWriter err, String warning) {
    err.println(warning);
    err.flush();
  }

  /** Opens the session once the output is claimed, sized by the run's local inputs. */
  static Sessions.Handle open(Progress progress, Step step, String detail, String app,
      AuditConfig cfg, java.util.Collection<String> inputs) {
    progress.step(step, detail);
    return Sessions.open(app, cfg, InputPaths.localBytes(inputs));
  }

  /** The inputs by name, for {@link OutputLocation#check}: absent ones left out. */
  static java.util.Map<String, String> inputs(String quotes, String purchases,
      String customers) {
    java.util.Map<String, String> in = new java.util.LinkedHashMap<>();
    in.put("quotes", quotes);
    if (purchases != null) {
      in.put("purchases", purchases);
    }
    if (customers != null) {
      in.put("customers", customers);
    }
    return in;
  }

  private static void printSummary(java.io.PrintWriter out, AuditResult r,
      java.util.List<String> headlines, double seconds) {
    var c = r.counts();
    var results = r.results();
    headlines.forEach(out::println);
    out.printf("audit %s finished in %.1f s%n", r.runId(), seconds);
    out.printf("  quotes: %,d read, %,d valid, %,d quarantined, %,d analysed%n",
        c.quotesRead(), c.quotesValid(), c.quotesQuarantined(), c.quotesAnalysed());
    out.printf("  SKU comparisons: %,d, tested %,d, insufficient data %,d%n",
        results.skuComparisons(), results.skuComparisonsTested(),
        results.skuComparisonsInsufficientData());
    out.printf("  flagged: %,d SKU comparisons, %,d merchant roll-ups%n",
        results.skuComparisonsFlagged(), results.merchantRollupsFlagged());
    out.printf("  report:   %s%n  findings: %s (Delta) and findings.csv%n  manifest: %s%n",
        r.reportPath(), r.findingsPath(), r.manifestPath());
    out.flush();
  }

  /**
   * The config keys for --help, after the options: the column mappings, then each scalar key
   * with its default on one line and its meaning below it, wrapped as picocli wraps: lines
   * shorter than {@code width}.
   */
  static String keyTable(int width) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%nConfig file keys (Java properties; command line > config file >"
        + " default):%n"));
    keyEntry(sb, "columns.<name> = <your column>", "map a quotes column to the contract", width);
    keyEntry(sb, "purchases.columns.<name> = <your column>", "map a purchases column", width);
    keyEntry(sb, "customers.columns.<name> = <your column>",
        "map a customers column (customer_id, birth_year, or a segment's attribute)", width);
    keyEntry(sb, "segment.<name>.reference = <level>", "the level a segment's other levels are"
        + " compared with (default: the level with the most distinct customers)", width);
    for (ConfigKey k : ConfigKey.values()) {
      keyEntry(sb, k.key() + " (default: "
          + (k.defaultValue().isEmpty() ? "none" : k.defaultValue()) + ")", k.description(), width);
    }
    return sb.toString();
  }

  private static void keyEntry(StringBuilder sb, String head, String text, int width) {
    sb.append("  ").append(head).append(System.lineSeparator());
    String indent = "      ";
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() >= width) {
        sb.append(line).append(System.lineSeparator());
        line = new StringBuilder(indent);
      }
      line.append(line.length() > indent.length() ? " " : "").append(word);
    }
    sb.append(line).append(System.lineSeparator());
  }
}
