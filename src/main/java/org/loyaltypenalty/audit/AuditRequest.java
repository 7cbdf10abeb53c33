package org.loyaltypenalty.audit;

import java.util.List;
import java.util.Optional;
import org.loyaltypenalty.io.InputFormat;

/**
 * What to audit: the inputs, the config file and the command line, as the manifest records them.
 *
 * @param commandLine the arguments as given, recorded in the manifest
 * @param customersPath the customers input ({@code --customers}), read only for the columns the
 *     configured segments need
 */
public record AuditRequest(
    String quotesPath,
    InputFormat quotesFormat,
    Optional<String> purchasesPath,
    InputFormat purchasesFormat,
    Optional<String> configFile,
    List<String> commandLine,
    Optional<String> customersPath,
    InputFormat customersFormat) {

  public AuditRequest {
    commandLine = List.copyOf(commandLine);
  }

  /** A request without a customers input. */
  public AuditRequest(String quotesPath, InputFormat quotesFormat, Optional<String> purchasesPath,
      InputFormat purchasesFormat, Optional<String> configFile, List<String> commandLine) {
    this(quotesPath, quotesFormat, purchasesPath, purchasesFormat, configFile, commandLine,
        Optional.empty(), quotesFormat);
  }

  public static AuditRequest of(String quotes, Optional<String> purchases, InputFormat format) {
    return new AuditRequest(quotes, format, purchases, format, Optional.empty(), List.of());
  }

  /** This request with the customers input {@code path} in {@code format}. */
  public AuditRequest withCustomers(String path, InputFormat format) {
    return new AuditRequest(quotesPath, quotesFormat, purchasesPath, purchasesFormat, configFile,
        commandLine, Optional.of(path), format);
  }
}
