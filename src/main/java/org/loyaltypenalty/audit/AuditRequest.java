package org.loyaltypenalty.audit;

import java.util.List;
import java.util.Optional;
import org.loyaltypenalty.io.InputFormat;

/**
 * What to audit and where to write it.
 *
 * @param commandLine the arguments as given, recorded in the manifest
 */
public record AuditRequest(
    String quotesPath,
    InputFormat quotesFormat,
    Optional<String> purchasesPath,
    InputFormat purchasesFormat,
    String outDir,
    Optional<String> configFile,
    List<String> commandLine) {

  public AuditRequest {
    commandLine = List.copyOf(commandLine);
  }

  public static AuditRequest of(String quotes, Optional<String> purchases, InputFormat format,
      String outDir) {
    return new AuditRequest(quotes, format, purchases, format, outDir, Optional.empty(), List.of());
  }
}
