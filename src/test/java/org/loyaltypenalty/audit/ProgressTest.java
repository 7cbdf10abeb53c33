package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void aStepBesideTheMainLineKeepsItsOwnTimeAndTheMainLineStillAddsUp() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Progress progress = new Progress(new PrintStream(printed, true, StandardCharsets.UTF_8));
    long start = System.nanoTime();
    progress.step(Step.COHORTS, "");
    Thread beside = new Thread(progress.beside(Step.QUARANTINE, () -> sleep(300)));
    beside.start();
    progress.step(Step.PER_SKU, "x");
    sleep(100);
    progress.step(Step.MERCHANTS);
    beside.join();
    progress.finish();
    double wall = (System.nanoTime() - start) / 1e9;

    Map<String, Double> main = progress.timings();
    assertEquals(List.of("cohorts", "per_sku", "merchants"), List.copyOf(main.keySet()));
    double sum = main.values().stream().mapToDouble(Double::doubleValue).sum();
    assertTrue(sum <= wall && sum >= 0.3, "the main line's steps add up to its time: " + main);
    Map<String, Double> side = progress.besideTimings();
    assertEquals(List.of("quarantine"), List.copyOf(side.keySet()));
    assertTrue(side.get("quarantine") >= 0.3 && side.get("quarantine") <= wall, side.toString());
    assertTrue(main.get("per_sku") < 0.3, "the step beside is not in the main line's: " + main);
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains(Step.QUARANTINE.describe()),
        "the step beside prints its line");
  }

  @Test
  void noStepBesideTheMainLineLeavesItsTimingsEmpty() {
    Progress progress = Progress.silent();
    progress.step(Step.COHORTS, "");
    progress.finish();
    assertTrue(progress.besideTimings().isEmpty());
    assertEquals(List.of("cohorts"), List.copyOf(progress.timings().keySet()));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
