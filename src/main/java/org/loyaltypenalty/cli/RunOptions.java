package org.loyaltypenalty.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.audit.AuditRequest;
import org.loyaltypenalty.audit.Progress;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;
import org.loyaltypenalty.config.Segments;
import org.loyaltypenalty.io.CsvHeader;
import org.loyaltypenalty.io.InputFormat;
import org.loyaltypenalty.io.InputPaths;
import picocli.CommandLine.Option;

/**
 * Options the audit and nightly commands share: the customers input, input formats, the config
 * file, verbosity.
 */
public final class RunOptions {
  @Option(names = "--format", paramLabel = "csv|parquet|delta", defaultValue = "csv",
      description = "format of the inputs (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--purchases-format", paramLabel = "csv|parquet|delta",
      description = "format of --purchases when it differs from --format")
  String purchasesFormat;

  @Option(names = "--customers", paramLabel = "PATH",
      description = "customers table (customer_id plus the attributes the configured segments"
          + " test, birth_year for age); only the columns a segment needs are read")
  String customers;

  @Option(names = "--customers-format", paramLabel = "csv|parquet|delta",
      description = "format of --customers when it differs from --format")
  String customersFormat;

  @Option(names = "--config", paramLabel = "FILE", description = "config file (Java properties)")
  Path config;

  @Option(names = "--quiet", description = "print only the final summary")
  boolean quiet;

  /**
   * The validated config: the file's values over the defaults; its pseudonymisation key, when
   * one is set, is read once here so that a missing or short key stops the run before Spark.
   */
  AuditConfig loadConfig() {
    if (config != null && !Files.isReadable(config)) {
      throw Errors.configUnreadable(config.toString(), "no such readable file");
    }
    AuditConfig cfg = ConfigLoader.load(config);
    cfg.privacy().keyFile().ifPresent(org.loyaltypenalty.privacy.PseudonymKey::load);
    return cfg;
  }

  InputFormat quotesFormat() {
    return InputFormat.of(format);
  }

  InputFormat purchasesFormat() {
    return purchasesFormat == null ? quotesFormat() : InputFormat.of(purchasesFormat);
  }

  InputFormat customersFormat() {
    return customersFormat == null ? quotesFormat() : InputFormat.of(customersFormat);
  }

  /** {@code request} with the customers input, when one is given. */
  AuditRequest withCustomers(AuditRequest request) {
    return customers == null ? request : request.withCustomers(customers, customersFormat());
  }

  /**
   * What can be checked of the segments before Spark starts: a segment that needs the customers
   * input without one; the customers path; and, in a local CSV's header, the columns the
   * segments read from the customers and from the quotes.
   */
  void checkSegmentInputs(AuditConfig cfg, String quotes) {
    Segments.requireCustomersInput(cfg, customers != null);
    if (customers != null) {
      InputPaths.requireLocal("customers", customers);
      if (customersFormat() == InputFormat.CSV) {
        CsvHeader.local(customers, cfg.csv("customers")).ifPresent(header -> {
          String id = cfg.customerColumns().source(Columns.Customers.CUSTOMER_ID);
          if (!Segments.customerColumns(cfg).isEmpty() && !header.contains(id)) {
            throw Errors.missingColumn("customers", Columns.Customers.CUSTOMER_ID, id, header);
          }
          Segments.requireCustomerColumns(cfg, header);
        });
      }
    }
    if (!Segments.quoteColumns(cfg).isEmpty() && quotesFormat() == InputFormat.CSV) {
      CsvHeader.local(quotes, cfg.csv("quotes"))
          .ifPresent(header -> Segments.requireQuoteColumns(cfg, header));
    }
    if (!cfg.disclosedOffers().isEmpty() && quotesFormat() == InputFormat.CSV) {
      CsvHeader.local(quotes, cfg.csv("quotes"))
          .ifPresent(header -> org.loyaltypenalty.io.InputReader.requireOfferColumn(cfg, header));
    }
  }

  Optional<String> configFile() {
    return Optional.ofNullable(config).map(Path::toString);
  }

  Progress progress() {
    return quiet ? Progress.silent() : new Progress(System.err);
  }
}
