package org.loyaltypenalty.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.audit.LoyaltyAudit;
import org.loyaltypenalty.report.Messages;
import org.loyaltypenalty.report.ReportData;
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
        + " report.json. The evidence annex (report/evidence-annex.csv) is written by the run"
        + " itself.",
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
      description = "where to write the three files (default: DIR/report)")
  Path out;

  @Override
  public Integer call() throws IOException {
    Map<String, Object> manifest = ReportRenderer.parse(read(LoyaltyAudit.MANIFEST));
    Map<String, Object> data = ReportRenderer.parse(read(ReportData.FILE));
    @SuppressWarnings("unchecked")
    Map<String, String> config = (Map<String, String>) manifest.getOrDefault("config", Map.of());
    String language = lang != null ? lang : config.getOrDefault("report.lang", "en");
    if (!Messages.LANGUAGES.contains(language)) {
      throw Errors.badArgument("--lang must be one of " + String.join(", ", Messages.LANGUAGES)
          + ", not " + language);
    }
    int threshold = k != null ? k : Integer.parseInt(config.getOrDefault("report.min_customers", "10"));
    if (threshold < 1) {
      throw Errors.badArgument("--k must be at least 1");
    }
    ReportRenderer.Rendered report = new ReportRenderer(data, manifest, language, threshold).render();
    Path target = out != null ? out : run.resolve("report");
    Files.createDirectories(target);
    Files.writeString(target.resolve(ReportRenderer.HTML), report.html(), StandardCharsets.UTF_8);
    Files.write(target.resolve(ReportRenderer.PDF), report.pdf());
    Files.writeString(target.resolve(ReportRenderer.JSON), report.json(), StandardCharsets.UTF_8);
    spec.commandLine().getOut().printf("report (%s, k = %d): %s%n", language, threshold,
        target.resolve(ReportRenderer.HTML));
    spec.commandLine().getOut().flush();
    return 0;
  }

  private String read(String name) throws IOException {
    Path file = run.resolve(name);
    if (!Files.isDirectory(run)) {
      throw Errors.pathNotFound("run", run.toString());
    }
    if (!Files.isRegularFile(file)) {
      throw Errors.badArgument(run + " is not a finished run: it has no " + name);
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.pathUnreadable(name, file.toString(), e.getMessage());
    }
  }
}
