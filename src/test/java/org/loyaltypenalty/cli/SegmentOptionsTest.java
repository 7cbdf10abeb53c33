package org.loyaltypenalty.cli;

import static org.loyaltypenalty.cli.CliErrorsTest.assertOneLineError;
import static org.loyaltypenalty.cli.CliErrorsTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;

/**
 * What the segments need of the inputs is checked before Spark starts: a segment that needs
 * --customers without it, and a column a segment reads that a CSV's header lacks, exit 2 with
 * one line naming the fix, before any output is written.
 */
class SegmentOptionsTest {
  private static final String QUOTES_HEADER =
      "quote_id,customer_id,sku_id,quoted_at,price,currency";

  private static String config(Path dir, String text) throws Exception {
    Path p = dir.resolve("segments.properties");
    Files.writeString(p, text + "\n");
    return p.toString();
  }

  @Test
  void ageWithoutCustomersExitsTwoOnAuditAndNightly(@TempDir Path dir) throws Exception {
    String q = TestSpark.csv(dir, "q.csv", QUOTES_HEADER);
    String cfg = config(dir, "segments = age");
    String expected = "segment age needs the customers' birth years: pass --customers PATH with"
        + " a column birth_year (or map yours with customers.columns.birth_year = <your column"
        + " name>), or remove age from segments";
    assertOneLineError(run("audit", "--quotes", q, "--config", cfg, "--out",
        dir.resolve("o").toString()), expected);
    assertOneLineError(run("nightly", "--quotes", q, "--purchases", q, "--config", cfg,
        "--history", dir.resolve("h").toString(), "--date", "2026-01-05"), expected);
    org.junit.jupiter.api.Assertions.assertTrue(Files.notExists(dir.resolve("o")));
  }

  @Test
  void aCustomersHeaderWithoutTheSegmentsColumnExitsTwoNamingTheColumnsFound(@TempDir Path dir)
      throws Exception {
    String q = TestSpark.csv(dir, "q.csv", QUOTES_HEADER + ",member_tier");
    String c = TestSpark.csv(dir, "customers.csv", "customer_id,tier,customer_email");
    assertOneLineError(run("audit", "--quotes", q, "--customers", c, "--config",
        config(dir, "segments = member_tier, age"), "--out", dir.resolve("o").toString()),
        "segment age needs the customers' birth years, and the customers input has no column"
            + " 'birth_year'; columns found: customer_id, tier, customer_email. Map it with"
            + " customers.columns.birth_year = <your column name>, or remove age from segments");
    assertOneLineError(run("audit", "--quotes", q, "--customers", c, "--config",
        config(dir, "segments = loyalty_level"), "--out", dir.resolve("o").toString()),
        "unknown segment 'loyalty_level': the customers input has no column 'loyalty_level' (and"
            + " it is not age or a quotes column that can be a segment: member_tier, device_os,"
            + " channel, region); columns found: customer_id, tier, customer_email. Map it with"
            + " customers.columns.loyalty_level = <your column name>, or remove it from segments");
  }

  @Test
  void aQuotesSegmentTheQuotesHeaderLacksExitsTwo(@TempDir Path dir) throws Exception {
    String q = TestSpark.csv(dir, "q.csv", QUOTES_HEADER);
    assertOneLineError(run("audit", "--quotes", q, "--config",
        config(dir, "segments = member_tier"), "--out", dir.resolve("o").toString()),
        "segment 'member_tier' is a quotes column, and the quotes input has no column"
            + " 'member_tier'; columns found: quote_id, customer_id, sku_id, quoted_at, price,"
            + " currency. Map it with columns.member_tier = <your column name>, read it from the"
            + " customers with customers.columns.member_tier = <your column name>, or remove it"
            + " from segments");
  }

  @Test
  void cohortAsASegmentExitsTwo(@TempDir Path dir) throws Exception {
    String q = TestSpark.csv(dir, "q.csv", QUOTES_HEADER);
    assertOneLineError(run("audit", "--quotes", q, "--config", config(dir, "segments = cohort"),
        "--out", dir.resolve("o").toString()),
        "config key 'segments' lists 'cohort', the loyalty cohort, which every audit tests;"
            + " remove it from segments (list only the attributes tested besides it)");
  }
}
