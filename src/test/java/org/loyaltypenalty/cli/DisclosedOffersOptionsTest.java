package org.loyaltypenalty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;

/** What {@code offers.disclosed} needs, checked before Spark starts. */
class DisclosedOffersOptionsTest {
  @Test
  void disclosedOffersWithoutAnOfferIdColumnExitTwoBeforeSparkStarts(@TempDir Path dir)
      throws Exception {
    String q = TestSpark.csv(dir, "q.csv", "quote_id,customer_id,sku_id,quoted_at,price,currency",
        "q1,c1,s1,2026-01-01T00:00:00Z,1,EUR");
    Path cfg = dir.resolve("a.properties");
    Files.writeString(cfg, "offers.disclosed = NEWUSER, SPRING24\n");
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
    CliErrorsTest.Outcome o;
    System.setErr(new java.io.PrintStream(progress, true));
    try {
      o = CliErrorsTest.run("audit", "--quotes", q, "--config", cfg.toString(), "--out",
          dir.resolve("o").toString());
    } finally {
      System.setErr(stderr);
    }
    CliErrorsTest.assertOneLineError(o, "offers.disclosed lists offers, and the quotes input has"
        + " no column 'offer_id' saying which offer a quote carried; columns found: quote_id,"
        + " customer_id, sku_id, quoted_at, price, currency. Map it with columns.offer_id ="
        + " <your column name>, or remove offers.disclosed");
    assertEquals("", progress.toString(), "no progress: Spark was not started");
  }
}
