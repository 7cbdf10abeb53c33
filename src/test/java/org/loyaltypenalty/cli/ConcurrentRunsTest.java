package org.loyaltypenalty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.io.RunLock;

/** Two audits started together on one --out: one runs, the other is refused; nothing is mixed. */
class ConcurrentRunsTest {
  @Test
  void twoAuditsOnOneOutNeverLeaveAMixedDirectory(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>(List.of(
        "quote_id,customer_id,sku_id,quoted_at,price,currency"));
    for (int i = 0; i < 40; i++) {
      lines.add(String.format("q%d,c%d,s1,2026-01-05T10:%02d:00Z,%d.50,GBP", i, i % 7, i, 10 + i % 3));
    }
    lines.add("bad,c1,s1,10:00:00,10,GBP");
    String quotes = TestSpark.csv(dir, "quotes.csv", lines.toArray(String[]::new));
    String out = dir.resolve("out").toString();
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<CliErrorsTest.Outcome>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return CliErrorsTest.run("audit", "--quotes", quotes, "--out", out, "--quiet");
      }));
    }
    start.countDown();
    List<CliErrorsTest.Outcome> outcomes = new ArrayList<>();
    for (CompletableFuture<CliErrorsTest.Outcome> r : runs) {
      outcomes.add(r.get());
    }
    outcomes.sort((a, b) -> Integer.compare(a.code(), b.code()));
    assertEquals(0, outcomes.get(0).code(), outcomes.get(0).err());
    assertEquals(2, outcomes.get(1).code(), outcomes.get(1).err());
    assertTrue(outcomes.get(1).err().startsWith("error: --out " + out + " is in use by audit (pid "),
        outcomes.get(1).err());
    String manifest = Files.readString(Path.of(out, "manifest.json"));
    List<Row> quarantineRuns = TestSpark.spark().read().format("delta")
        .load(Path.of(out, "quarantine").toString()).select("run_id").distinct().collectAsList();
    assertEquals(1, quarantineRuns.size());
    assertTrue(manifest.contains("\"run_id\" : \"" + quarantineRuns.get(0).getString(0) + "\"")
        || manifest.contains("\"run_id\":\"" + quarantineRuns.get(0).getString(0) + "\""),
        "the manifest and the quarantine are of one run: " + quarantineRuns);
    assertTrue(Files.notExists(Path.of(out, RunLock.FILE)), "the claim is released");
  }
}
