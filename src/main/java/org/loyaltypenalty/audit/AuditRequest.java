package org.loyaltypenalty.audit;

import java.util.List;
import java.util.Optional;
import org.loyaltypenalty.io.InputFormat;

/**
 * What to audit: the inputs, the config file and the command line, as the manifest records them.
 *
 * @param commandLine the arguments as given, recorded in the manifest
 */
public record AuditRequest(
    String quotesPath,
    InputFormat quotesFormat,
    Optional<String> purchasesPath,
    InputFormat purchasesFormat,
    Optional<String> configFile,
    List<String> commandLine) {

  public AuditRequest {
    commandLine = List.copyOf(commandLine);
  }

  public static AuditRequest of(String quotes, Optional<String> purchases, InputFormat format) {
    return new AuditRequest(quotes, format, purchases, format, Optional.empty(), List.of());
  }
}
