package org.loyaltypenalty.audit;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The version of this code: the build's version and the git commit it was built from. */
public final class CodeVersion {
  private CodeVersion() {}

  public static Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    String version = CodeVersion.class.getPackage().getImplementationVersion();
    out.put("version", version == null ? "dev" : version);
    Properties git = new Properties();
    try (InputStream in = CodeVersion.class.getResourceAsStream("/git.properties")) {
      if (in != null) {
        git.load(in);
      }
    } catch (IOException ignored) {
      // no git information in this build
    }
    out.put("git_commit", git.getProperty("git.commit.id", "unknown"));
    out.put("git_dirty", git.getProperty("git.dirty", "unknown"));
    out.put("build_time", git.getProperty("git.build.time", "unknown"));
    return out;
  }
}
