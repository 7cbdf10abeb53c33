package org.loyaltypenalty.audit;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints what the run is doing, with elapsed time, and keeps each step's duration. */
public final class Progress {
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final java.time.Instant startedAt = java.time.Instant.now();
  private final Map<Step, Double> seconds = new java.util.EnumMap<>(Step.class);
  private Step current;
  private long currentStart;

  public Progress(PrintStream out) {
    this.out = out;
  }

  public static Progress silent() {
    return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  /**
   * Ends the current step, if any, and starts {@code step}, printing its line.
   *
   * @param details what {@link Step#describe} fills in
   */
  public void step(Step step, Object... details) {
    finish();
    current = step;
    currentStart = System.nanoTime();
    out.printf("[%7.1fs] %s%n", elapsed(), step.describe(details));
    out.flush();
  }

  public void info(String message) {
    out.printf("[%7.1fs]   %s%n", elapsed(), message);
    out.flush();
  }

  public void finish() {
    if (current != null) {
      seconds.merge(current, (System.nanoTime() - currentStart) / 1e9, Double::sum);
      current = null;
    }
  }

  /** When the run began: the manifest's {@code started_at}, the start of its steps. */
  public java.time.Instant startedAt() {
    return startedAt;
  }

  public double elapsed() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Step id -> seconds, in the order of {@link Step}, for the manifest's {@code timings_s}. */
  public Map<String, Double> timings() {
    Map<String, Double> out = new LinkedHashMap<>();
    seconds.forEach((step, s) -> out.put(step.id(), s));
    return out;
  }
}
