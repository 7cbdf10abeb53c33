package org.loyaltypenalty.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.config.ConfigKey;
import org.loyaltypenalty.io.OutputWriter;
import org.loyaltypenalty.io.RunDirectory;
import org.loyaltypenalty.io.RunLayout;
import org.loyaltypenalty.report.Messages;
import org.loyaltypenalty.report.ReportRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code report}: renders a finished run's report again from its {@code report-data.json} and
 * {@code manifest.json}, in either language, without Spark or the input data.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Renders the report of a finished run (an audit's --out directory, or a"
        + " nightly runs/<date> directory) into DIR/report/: index.html, report.pdf and"
        + " report.json. With the run's annex data, it also writes the evidence annex"
        + " (evidence-annex.csv) beside them, filtered with the same k as the report.",
    footer = {"", "Exit codes: 0 done; 2 bad arguments or not a run directory; 1 failure."})
public final class ReportCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "DIR",
      description = "the run's directory (holds manifest.json and report-data.json)")
  Path run;

  @Option(names = "--lang", paramLabel = "en|zh-CN",
      description = "report language (default: the run's report.lang)")
  String lang;

  @Option(names = "--k", paramLabel = "N",
      description = "suppress figures over fewer than N distinct customers per cohort"
          + " (default: the run's report.min_customers)")
  Integer k;

  @Option(names = "--out", paramLabel = "DIR",
      description = "where to write the report's files (default: DIR/report)")
  Path out;

  @Override
  public Integer call() {
    String manifestJson = RunDirectory.readText(run, RunLayout.MANIFEST);
    String data = RunDirectory.readText(run, RunLayout.REPORT_DATA);
    @SuppressWarnings("unchecked")
    Map<String, String> config =
        (Map<String, String>) ReportRenderer.parse(manifestJson).getOrDefault("config", Map.of());
    String language = lang != null ? lang
        : config.getOrDefault(ConfigKey.REPORT_LANG.key(), ConfigKey.REPORT_LANG.defaultValue());
    if (!Messages.LANGUAGES.contains(language)) {
      throw Errors.badArgument("--lang must be one of " + String.join(", ", Messages.LANGUAGES)
          + ", not " + language);
    }
    int threshold = k != null ? k : Integer.parseInt(config.getOrDefault(
        ConfigKey.REPORT_MIN_CUSTOMERS.key(), ConfigKey.REPORT_MIN_CUSTOMERS.defaultValue()));
    if (threshold < 1) {
      throw Errors.badArgument("--k must be at least 1");
    }
    Path target = out != null ? out : run.resolve(RunLayout.REPORT_DIR);
    ReportRenderer.write(data, manifestJson,
        OutputWriter.withoutSpark(run.toAbsolutePath().toString()).readText(RunLayout.ANNEX_DATA),
        OutputWriter.withoutSpark(run.toAbsolutePath().toString()).readText(RunLayout.PAIRS_DATA),
        language, threshold, OutputWriter.withoutSpark(target.toAbsolutePath().toString()));
    spec.commandLine().getOut().printf("report (%s, k = %d): %s%n", language, threshold,
        target.resolve(RunLayout.HTML));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
