package org.loyaltypenalty.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.generate.SampleGenerator;
import org.loyaltypenalty.spark.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: a synthetic quote log with planted penalties, traps and its truth. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Writes a synthetic quote log, its purchase history, a customers table"
        + " (birth years) and truth.csv under --out: loyalty penalties of several sizes on head"
        + " and tail SKUs, a deterministic one, membership tier, device and age penalties, traps"
        + " (peak-hour surge, app premium, bulk discounts, two currencies, a dearer region) and"
        + " malformed rows.",
    footer = {"", "Exit codes: 0 done; 2 bad arguments; 1 failure."})
public final class GenerateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  String out;

  @Option(names = "--quotes", defaultValue = "400000", paramLabel = "N",
      description = "approximate number of quotes (default: ${DEFAULT-VALUE})")
  long quotes;

  @Option(names = "--skus", defaultValue = "150", paramLabel = "N",
      description = "number of SKUs (default: ${DEFAULT-VALUE})")
  int skus;

  @Option(names = "--days", defaultValue = "28", paramLabel = "N",
      description = "days in the quote window (default: ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--start", defaultValue = "2026-01-05T00:00:00Z", paramLabel = "INSTANT",
      description = "start of the quote window (default: ${DEFAULT-VALUE})")
  String start;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--penalised-share", defaultValue = "0", paramLabel = "F",
      description = "share of the SKUs without a planted role that also carry a penalty (repeat"
          + " 3%%, loyal 6%%): a platform that overcharges across its catalogue"
          + " (default: ${DEFAULT-VALUE})")
  double penalisedShare;

  @Option(names = "--defences",
      description = "also plant a platform's defences and fee penalties on six head SKUs: a"
          + " disclosed new-user offer (NEW-USER-10), the same offer undisclosed, an honest and a"
          + " rigged price experiment, a fee loyal customers pay more of, and a fee diamond"
          + " members pay more of; adds the quote columns offer_id, experiment_id,"
          + " experiment_arm, fee and coupon")
  boolean defences;

  @Option(names = "--single-file",
      description = "write quotes.csv, purchases.csv and customers.csv as single files instead of"
          + " directories")
  boolean singleFile;

  @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|parquet",
      description = "csv (directories of parts, or single files with --single-file) or parquet"
          + " (default: ${DEFAULT-VALUE})")
  String format;

  @Override
  public Integer call() throws Exception {
    if (quotes < 100 || skus < 10 || days < 1) {
      throw Errors.badArgument("generate needs --quotes >= 100, --skus >= 10 and --days >= 1");
    }
    if (!(penalisedShare >= 0 && penalisedShare <= 1)) {
      throw Errors.badArgument("--penalised-share must be between 0 and 1, not " + penalisedShare);
    }
    Instant from;
    try {
      from = Instant.parse(start);
    } catch (java.time.format.DateTimeParseException e) {
      throw Errors.badArgument("--start must be an ISO instant such as 2026-01-05T00:00:00Z, not " + start);
    }
    SampleGenerator.Output output = switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "csv" -> singleFile ? SampleGenerator.Output.CSV_FILE : SampleGenerator.Output.CSV_PARTS;
      case "parquet" -> SampleGenerator.Output.PARQUET;
      default -> throw Errors.badArgument("--format must be csv or parquet, not " + format);
    };
    SampleGenerator.Spec plan =
        new SampleGenerator.Spec(quotes, skus, days, from, seed, penalisedShare, defences);
    try (Sessions.Handle session = Sessions.open("loyalty-penalty-generate", AuditConfig.defaults())) {
      SampleGenerator.generate(session.spark(), plan, out, output);
    }
    spec.commandLine().getOut().printf("wrote ~%,d quotes of %,d customers over %d days and %d SKUs to %s%n",
        quotes, plan.customers(), days, skus, out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
