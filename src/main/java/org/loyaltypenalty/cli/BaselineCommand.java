package org.loyaltypenalty.cli;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.variance;

import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.io.InputFormat;
import org.loyaltypenalty.io.InputPaths;
import org.loyaltypenalty.io.InputReader;
import org.loyaltypenalty.spark.Sessions;
import org.loyaltypenalty.validate.QuoteValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baseline}: the bare Spark job the benchmark compares the audit with — read a generated
 * log, then one {@code groupBy(sku, hour, cohort)} with count, mean and variance of log price.
 * With {@code --validate-only}, instead a lower bound of what an audit must do before any
 * comparison: read every quote through the audit's reader and check it as the audit does (the id
 * pre-pass and the typed, checked rows, not cached), then count the rows per quarantine reason.
 * It does less than the audit's validation: the copies of repeated ids are not ranked, and Spark
 * prunes the JSON copy kept of quarantined rows.
 */
@Command(name = "baseline", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmark baseline: read + groupBy(sku, hour, cohort) of a generated log.")
public final class BaselineCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--quotes", required = true, paramLabel = "PATH") String quotes;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "csv|parquet") String format;

  @Option(names = "--validate-only",
      description = "Read and check every quote as the audit does, count rows per reason "
          + "(a lower bound of the audit's time).")
  boolean validateOnly;

  @Override
  public Integer call() throws Exception {
    AuditConfig config = AuditConfig.defaults();
    try (Sessions.Handle session = Sessions.open("loyalty-penalty-baseline", config,
        InputPaths.localBytes(java.util.List.of(quotes)))) {
      long start = System.nanoTime();
      if (validateOnly) {
        Dataset<Row> in = new InputReader(session.spark(), config)
            .readQuotes(quotes, InputFormat.of(format)).data();
        QuoteValidator.Pending checked = new QuoteValidator(config).check(in, lit(true));
        long reasons = checked.rows().groupBy(col(Columns.Derived.REASON)).count().count();
        checked.release();
        spec.commandLine().getOut().printf("validate_s=%.1f reasons=%d%n",
            (System.nanoTime() - start) / 1e9, reasons);
        spec.commandLine().getOut().flush();
        return 0;
      }
      Dataset<Row> in = InputReader.bare(session.spark(), quotes, InputFormat.of(format));
      long groups = in
          .groupBy(col("sku_id"), date_trunc("hour", col("quoted_at").try_cast("timestamp")),
              col("true_cohort"))
          .agg(count(lit(1)), avg(log(col("price").try_cast("double"))),
              variance(log(col("price").try_cast("double"))))
          .count();
      spec.commandLine().getOut().printf("baseline_s=%.1f groups=%d%n",
          (System.nanoTime() - start) / 1e9, groups);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
