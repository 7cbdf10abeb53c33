package org.loyaltypenalty.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs independent pieces of the driver's work at the same time: each submits its own Spark
 * jobs, so one piece's planning, code generation and commits on the driver overlap another's
 * tasks, and the tasks of small jobs fill the cores together instead of one job at a time.
 *
 * <p>Contract: every task runs to its end before {@link #run} returns or throws, whether or
 * not another failed, so no task reads a cache its caller releases after a failure. The first
 * task runs on the calling thread, each other on a daemon thread of its own, which inherits the
 * caller's Spark session and local properties (job group, scheduler pool) as any thread started
 * from it does. The tasks must not share mutable state: each writes only its own outputs and
 * fields, and none changes the session's configuration or caches that another reads. Each
 * query's result is then the same whichever jobs run beside it, and so are the outputs of
 * running the tasks one after another.
 */
public final class Concurrently {
  private Concurrently() {}

  /**
   * Runs {@code tasks} at the same time and returns when all have ended. If any failed, throws
   * the failure of the first task in argument order that failed, as it was thrown (Spark's
   * checked exceptions, such as {@code SparkException}, included), with the failures of the
   * later ones added as suppressed.
   */
  public static void run(Runnable... tasks) {
    Throwable[] failures = new Throwable[tasks.length];
    List<Thread> threads = new ArrayList<>();
    boolean started = true;
    for (int i = 1; i < tasks.length && started; i++) {
      int index = i;
      Thread t = new Thread(() -> failures[index] = runCatching(tasks[index]),
          "lpd-concurrent-" + i);
      t.setDaemon(true);
      try {
        t.start();
        threads.add(t);
      } catch (Throwable e) { // no thread to be had: the tasks not started are not run
        failures[i] = e;
        started = false;
      }
    }
    if (tasks.length > 0 && started) {
      failures[0] = runCatching(tasks[0]);
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true; // the tasks still end before this returns; the flag is kept
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable first = null;
    for (Throwable f : failures) {
      if (f == null) {
        continue;
      }
      if (first == null) {
        first = f;
      } else {
        first.addSuppressed(f);
      }
    }
    if (first != null) {
      throw Concurrently.<RuntimeException>rethrow(first);
    }
  }

  /**
   * Gets every supplier's value at the same time ({@link #run}'s contract) and returns them in
   * the suppliers' order.
   */
  public static <T> List<T> all(List<Supplier<? extends T>> suppliers) {
    Object[] values = new Object[suppliers.size()];
    Runnable[] tasks = new Runnable[suppliers.size()];
    for (int i = 0; i < tasks.length; i++) {
      int index = i;
      tasks[i] = () -> values[index] = suppliers.get(index).get();
    }
    run(tasks);
    List<T> out = new ArrayList<>(values.length);
    for (Object v : values) {
      @SuppressWarnings("unchecked")
      T value = (T) v;
      out.add(value);
    }
    return out;
  }

  /** Catches everything a task throws, checked exceptions that Scala code throws included. */
  private static Throwable runCatching(Runnable task) {
    try {
      task.run();
      return null;
    } catch (Throwable e) {
      return e;
    }
  }

  /**
   * Throws {@code t} as it is: a checked exception that Spark's Scala code threw through a
   * {@link Runnable} reaches the caller as it would have without the thread in between.
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T rethrow(Throwable t) throws T {
    throw (T) t;
  }
}
