package org.loyaltypenalty.cli;

import org.loyaltypenalty.audit.CodeVersion;
import picocli.CommandLine;

/** {@code --version}: build version and git commit. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    var v = CodeVersion.describe();
    return new String[] {"loyalty-penalty-detector " + v.get("version") + " (" + v.get("git_commit") + ")"};
  }
}
