package org.loyaltypenalty.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.audit.Progress;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;
import org.loyaltypenalty.io.InputFormat;
import picocli.CommandLine.Option;

/** Options the audit and nightly commands share: input formats, the config file, verbosity. */
public final class RunOptions {
  @Option(names = "--format", paramLabel = "csv|parquet|delta", defaultValue = "csv",
      description = "format of the inputs (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--purchases-format", paramLabel = "csv|parquet|delta",
      description = "format of --purchases when it differs from --format")
  String purchasesFormat;

  @Option(names = "--config", paramLabel = "FILE", description = "config file (Java properties)")
  Path config;

  @Option(names = "--quiet", description = "print only the final summary")
  boolean quiet;

  /** The validated config: the file's values over the defaults. */
  AuditConfig loadConfig() {
    if (config != null && !Files.isReadable(config)) {
      throw Errors.configUnreadable(config.toString(), "no such readable file");
    }
    return ConfigLoader.load(config);
  }

  InputFormat quotesFormat() {
    return InputFormat.of(format);
  }

  InputFormat purchasesFormat() {
    return purchasesFormat == null ? quotesFormat() : InputFormat.of(purchasesFormat);
  }

  Optional<String> configFile() {
    return Optional.ofNullable(config).map(Path::toString);
  }

  Progress progress() {
    return quiet ? Progress.silent() : new Progress(System.err);
  }
}
