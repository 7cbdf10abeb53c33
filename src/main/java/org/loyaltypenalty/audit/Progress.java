package org.loyaltypenalty.audit;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints what the run is doing, with elapsed time, and keeps each step's duration. The steps
 * follow one another on the run's main line, and their durations add up to the run's; work that
 * runs beside the main line ({@link #beside}) keeps its own durations apart. Safe to call from
 * the threads of a step's concurrent parts.
 */
public final class Progress {
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final java.time.Instant startedAt = java.time.Instant.now();
  private final Map<Step, Double> seconds = new java.util.EnumMap<>(Step.class);
  private final Map<Step, Double> besideSeconds = new java.util.EnumMap<>(Step.class);
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
  public synchronized void step(Step step, Object... details) {
    finish();
    current = step;
    currentStart = System.nanoTime();
    printStep(step, details);
  }

  /** The console's line of a step as it starts. */
  private void printStep(Step step, Object... details) {
    out.printf("[%7.1fs] %s%n", elapsed(), step.describe(details));
    out.flush();
  }

  public synchronized void info(String message) {
    out.printf("[%7.1fs]   %s%n", elapsed(), message);
    out.flush();
  }

  public synchronized void finish() {
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

  /**
   * {@code work} as a step that runs beside the main line's steps (on a thread of its own, while
   * they go on): it prints its step's line when it starts and keeps its own duration, which
   * overlaps theirs, in {@link #besideTimings}, not in {@link #timings}.
   */
  public Runnable beside(Step step, Runnable work, Object... details) {
    return () -> {
      long begin;
      synchronized (this) {
        begin = System.nanoTime();
        printStep(step, details);
      }
      work.run();
      synchronized (this) {
        besideSeconds.merge(step, (System.nanoTime() - begin) / 1e9, Double::sum);
      }
    };
  }

  /**
   * Step id -> seconds of the main line's steps, in the order of {@link Step}, for the
   * manifest's {@code timings_s}: they add up to the run's duration. A step that ends before
   * the work beside it and waits for it counts the wait.
   */
  public synchronized Map<String, Double> timings() {
    return byId(seconds);
  }

  /**
   * Step id -> seconds of the steps run {@link #beside} the main line, for the manifest's
   * {@code beside_s}: each overlaps the main line's steps that ran at the same time.
   */
  public synchronized Map<String, Double> besideTimings() {
    return byId(besideSeconds);
  }

  private static Map<String, Double> byId(Map<Step, Double> seconds) {
    Map<String, Double> out = new LinkedHashMap<>();
    seconds.forEach((step, s) -> out.put(step.id(), s));
    return out;
  }
}
