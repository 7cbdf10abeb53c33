package org.loyaltypenalty.audit;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints what the run is doing, with elapsed time, and keeps each step's duration. */
public final class Progress {
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private String current;
  private long currentStart;

  public Progress(PrintStream out) {
    this.out = out;
  }

  public static Progress silent() {
    return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  /** Ends the current step, if any, and starts {@code step}. */
  public void step(String step) {
    finish();
    current = step;
    currentStart = System.nanoTime();
    out.printf("[%7.1fs] %s%n", elapsed(), step);
    out.flush();
  }

  public void info(String message) {
    out.printf("[%7.1fs]   %s%n", elapsed(), message);
    out.flush();
  }

  public void finish() {
    if (current != null) {
      seconds.put(current, (System.nanoTime() - currentStart) / 1e9);
      current = null;
    }
  }

  public double elapsed() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Step name -> seconds, for the manifest. */
  public Map<String, Double> timings() {
    return new LinkedHashMap<>(seconds);
  }
}
