package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.cli.LoyaltyPenaltyCli;

/** An audit through the command line, as a user runs it, on the shared test session. */
final class CliAudit {
  private CliAudit() {}

  /**
   * Audits {@code dir/quotes.csv} with {@code dir/purchases.csv} and the config
   * {@code dir/audit.properties} into {@code dir/out}, and asserts that it exits 0.
   *
   * @return the output directory
   */
  static Path run(Path dir) {
    Path out = dir.resolve("out");
    TestSpark.spark();
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "audit", "--quotes", dir.resolve("quotes.csv").toString(), "--purchases",
        dir.resolve("purchases.csv").toString(), "--config",
        dir.resolve("audit.properties").toString(), "--out", out.toString(), "--quiet");
    assertEquals(0, code, err.toString());
    return out;
  }

  /**
   * Renders the report of the run in {@code out} again in Simplified Chinese, into
   * {@code out/report-zh}, and asserts that it exits 0.
   *
   * @return the Chinese report's directory
   */
  static Path reportInChinese(Path out) {
    Path zh = out.resolve("report-zh");
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "report", "--run", out.toString(), "--lang", "zh-CN", "--out", zh.toString());
    assertEquals(0, code, err.toString());
    return zh;
  }
}
