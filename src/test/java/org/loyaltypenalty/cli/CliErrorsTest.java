package org.loyaltypenalty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;

/** Bad input gets exit code 2 and one line naming the problem and the fix; no stack trace. */
class CliErrorsTest {
  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    TestSpark.spark();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LoyaltyPenaltyCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  static void assertOneLineError(Outcome o, String expected) {
    assertEquals(2, o.code(), o.err());
    assertEquals("error: " + expected + "\n", o.err().replace("\r", ""));
  }

  /**
   * A user error is found in a failure's causes, or suppressed beside it: when two queries of a
   * step fail on the same bad input, the one that failed first may be Spark's.
   */
  @Test
  void aUserErrorIsFoundAmongTheCausesOrSuppressedBesideThem() {
    RuntimeException user = org.loyaltypenalty.Errors.pathUnreadable("quotes", "/q", "gone");
    RuntimeException caused = new RuntimeException("wrapped", user);
    assertEquals(user, LoyaltyPenaltyCli.userCause(caused));
    RuntimeException spark = new IllegalStateException("job failed",
        new java.io.FileNotFoundException("/q/part-0"));
    assertEquals(null, LoyaltyPenaltyCli.userCause(spark));
    RuntimeException wrapped = new RuntimeException("wrapped", caused);
    spark.addSuppressed(wrapped);
    assertEquals(user, LoyaltyPenaltyCli.userCause(spark));
  }

  @Test
  void reportOfADirectoryThatIsNotARunExitsTwo(@TempDir Path dir) {
    String nowhere = dir.resolve("nowhere").toString();
    assertOneLineError(run("report", "--run", nowhere), "run path not found: " + nowhere
        + " (check the path, or pass the right one with --run)");
    assertOneLineError(run("report", "--run", dir.toString()),
        dir + " is not a finished run: it has no manifest.json");
  }

  @Test
  void generatePenalisedShareOutsideZeroToOneExitsTwoBeforeWriting(@TempDir Path dir) {
    Path out = dir.resolve("sample");
    assertOneLineError(run("generate", "--out", out.toString(), "--penalised-share", "1.5"),
        "--penalised-share must be between 0 and 1, not 1.5");
    assertTrue(Files.notExists(out));
  }

  @Test
  void aShortPseudonymisationKeyExitsTwoBeforeAnyOutputIsClaimed(@TempDir Path dir)
      throws Exception {
    String q = TestSpark.csv(dir, "q.csv", "quote_id,customer_id,sku_id,quoted_at,price,currency");
    Path key = dir.resolve("key");
    Files.writeString(key, "short\n");
    Path cfg = dir.resolve("c.properties");
    Files.writeString(cfg, "privacy.key_file = " + key.toString().replace("\\", "/") + "\n");
    Path out = dir.resolve("o");
    assertOneLineError(run("audit", "--quotes", q, "--config", cfg.toString(), "--out",
        out.toString()), "privacy.key_file " + key.toString().replace("\\", "/")
        + " holds a key of 5 bytes; a key needs at least 16 (write a new one with:"
        + " openssl rand -hex 32 > FILE)");
    assertTrue(Files.notExists(out));
  }

  @Test
  void missingRequiredOptionExitsTwo() {
    Outcome o = run("audit", "--out", "x");
    assertOneLineError(o, "Missing required option: '--quotes=PATH' (see --help)");
  }

  @Test
  void unknownFormatExitsTwo(@TempDir Path dir) throws Exception {
    String q = TestSpark.csv(dir, "q.csv", "quote_id");
    Outcome o = run("audit", "--quotes", q, "--format", "xlsx", "--out", dir.resolve("o").toString());
    assertOneLineError(o, "unknown input format 'xlsx'; use one of: csv, parquet, delta");
  }

  @Test
  void unreadablePathExitsTwo(@TempDir Path dir) {
    String missing = dir.resolve("missing.csv").toString();
    Outcome o = run("audit", "--quotes", missing, "--out", dir.resolve("o").toString());
    assertOneLineError(o, "quotes path not found: " + missing
        + " (check the path, or pass the right one with --quotes)");
  }

  @Test
  void missingInputPathIsReportedBeforeSparkStarts(@TempDir Path dir) throws Exception {
    String q = TestSpark.csv(dir, "q.csv", "quote_id");
    String missing = dir.resolve("missing.csv").toString();
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
    Outcome o;
    System.setErr(new java.io.PrintStream(progress, true));
    try {
      o = run("audit", "--quotes", q, "--purchases", missing, "--out", dir.resolve("o").toString());
    } finally {
      System.setErr(stderr);
    }
    assertOneLineError(o, "purchases path not found: " + missing
        + " (check the path, or pass the right one with --purchases)");
    assertEquals("", progress.toString(), "no progress: Spark was not started");
  }

  @Test
  void badConfigKeyExitsTwo(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("a.properties");
    Files.writeString(cfg, "test.fdr_q = 0.1\ntest.fdr = 0.1\n");
    String q = TestSpark.csv(dir, "q.csv", "quote_id");
    Outcome o = run("audit", "--quotes", q, "--config", cfg.toString(), "--out", dir.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().startsWith("error: unknown config key 'test.fdr' in " + cfg + "; known keys: "),
        o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
  }

  @Test
  void missingConfigFileExitsTwo(@TempDir Path dir) throws Exception {
    String q = TestSpark.csv(dir, "q.csv", "quote_id");
    Path cfg = dir.resolve("nope.properties");
    Outcome o = run("audit", "--quotes", q, "--config", cfg.toString(), "--out", dir.toString());
    assertOneLineError(o, "config file cannot be read: " + cfg + " (no such readable file)");
  }

  @Test
  void missingColumnExitsTwoNamingTheColumn(@TempDir Path dir) throws Exception {
    String q = TestSpark.csv(dir, "q.csv", "quote_id,customer_id,sku_id,quoted_at,price",
        "q1,c1,s1,2026-01-01T00:00:00Z,1");
    Outcome o = run("audit", "--quotes", q, "--out", dir.resolve("o").toString());
    assertOneLineError(o, "quotes input has no column 'currency'; columns found: quote_id,"
        + " customer_id, sku_id, quoted_at, price. Map it in the config with columns.currency ="
        + " <your column name>");
  }

  @Test
  void anExperimentIdColumnWithoutAnArmColumnExitsTwoNamingBoth(@TempDir Path dir)
      throws Exception {
    String q = TestSpark.csv(dir, "q.csv",
        "quote_id,customer_id,sku_id,quoted_at,price,currency,experiment_id",
        "q1,c1,s1,2026-01-01T00:00:00Z,1,EUR,exp1");
    Outcome o = run("audit", "--quotes", q, "--out", dir.resolve("o").toString());
    assertOneLineError(o, "quotes input has column 'experiment_id' but no column"
        + " 'experiment_arm' (columns found: quote_id, customer_id, sku_id, quoted_at, price,"
        + " currency, experiment_id): a price experiment needs both; map it with"
        + " columns.experiment_arm = <your column name>, or leave both out");
  }

  @Test
  void semicolonHeaderSuggestsTheDelimiterNotAMapping(@TempDir Path dir) throws Exception {
    String q = TestSpark.csv(dir, "q.csv", "quote_id;customer_id;sku_id;quoted_at;price;currency",
        "q1;c1;s1;2026-01-01T00:00:00Z;1;GBP");
    Outcome o = run("audit", "--quotes", q, "--out", dir.resolve("o").toString());
    assertOneLineError(o, "quotes input has no column 'quote_id'; columns found:"
        + " quote_id;customer_id;sku_id;quoted_at;price;currency. The header looks separated by"
        + " ';' instead: set csv.delimiter = ; in the config");
  }

  @Test
  void auditWithoutAValidQuoteExitsTwoNamingTheTopReasonsAndWritesNothing(@TempDir Path dir)
      throws Exception {
    String q = TestSpark.csv(dir, "q.csv", "quote_id,customer_id,sku_id,quoted_at,price,currency",
        "q1,c1,s1,2026-01-01T00:00:00Z,\"12,50\",GBP", "q2,c2,s1,2026-01-01T00:00:00Z,\"3,10\",GBP",
        "q3,c3,s1,2026-01-01T00:00:00Z,0,GBP", "q4,,s1,2026-01-01T00:00:00Z,1,GBP",
        "q5,c5,s1,2026-01-01T00:00:00Z,1,GBPX");
    Path out = dir.resolve("o");
    Outcome o = run("audit", "--quotes", q, "--out", out.toString());
    assertOneLineError(o, "no valid quotes in " + q + ": all 5 rows are quarantined"
        + " (unparseable_price 2, malformed_currency 1, missing_customer_id 1, 1 other reason), and"
        + " an audit of nothing would read as a finding of no penalty, so nothing is written (check"
        + " the export's format against the config and the README's data contract)");
    assertTrue(Files.notExists(out.resolve("manifest.json")) && Files.notExists(out.resolve("findings")));
  }

  @Test
  void helpListsEveryOptionAndConfigKey() {
    Outcome o = run("audit", "--help");
    assertEquals(0, o.code());
    for (String option : new String[] {"--quotes", "--purchases", "--format", "--out", "--config",
        "test.fdr_q", "context.time_bucket", "cohort.loyal_min", "Exit codes"}) {
      assertTrue(o.out().contains(option), option + " in --help:\n" + o.out());
    }
  }

  @Test
  void anEmptyInputFileSaysItIsEmpty(@TempDir Path dir) throws Exception {
    Path q = dir.resolve("q.csv");
    Files.writeString(q, "");
    Outcome o = run("audit", "--quotes", q.toString(), "--out", dir.resolve("o").toString());
    assertOneLineError(o, "quotes input " + q + " is empty: it has no header row and no records"
        + " (check the export, or pass the right file with --quotes)");
  }

  @Test
  void outAtTheRootOfAFilesystemExitsTwoBeforeWriting(@TempDir Path dir) throws Exception {
    String q = TestSpark.csv(dir, "q.csv", "quote_id");
    assertOneLineError(run("audit", "--quotes", q, "--out", "/"), "--out / is the root of a"
        + " filesystem; give the run a directory of its own, such as --out /tmp/audit");
    assertOneLineError(run("audit", "--quotes", q, "--out", "/tmp/.."), "--out /tmp/.. is the"
        + " root of a filesystem; give the run a directory of its own, such as --out /tmp/audit");
  }

  @Test
  void outInsideAnInputDirectoryExitsTwoBeforeWriting(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("exports"));
    TestSpark.csv(in, "q.csv", "quote_id");
    Path out = in.resolve("audit");
    assertOneLineError(run("audit", "--quotes", in.toString(), "--out", out.toString()),
        "--out " + out + " is inside the quotes input " + in + ", so a later run would read the"
            + " outputs as input; choose a directory outside it");
    assertTrue(Files.notExists(out));
    assertOneLineError(run("audit", "--quotes", in + "/*.csv", "--out", out.toString()),
        "--out " + out + " is inside the quotes input " + in + ", so a later run would read the"
            + " outputs as input; choose a directory outside it");
    Path purchases = Files.createDirectories(dir.resolve("purchases"));
    assertOneLineError(run("nightly", "--quotes", in.resolve("q.csv").toString(), "--purchases",
        purchases.toString(), "--history", purchases.toString()),
        "--history " + purchases + " is inside the purchases input " + purchases + ", so a later"
            + " run would read the outputs as input; choose a directory outside it");
  }
}
