package org.loyaltypenalty.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs independent pieces of the driver's work at the same time: each submits its own Spark
 * jobs, so one piece's planning, code generation and commits on the driver overlap another's
 * tasks, and the tasks of small jobs fill the cores together instead of one job at a time.
 *
 * <p>Contract: every task has ended (or, after a failure, was never started) before
 * {@link #run} returns or throws, so no task reads a cache its caller releases after a failure.
 * The first task runs on the calling thread, each other on a daemon thread of its own, which
 * inherits the caller's Spark session and local properties (job group, scheduler pool) as any
 * thread started from it does. The tasks must not share mutable state: each writes only its own
 * outputs and fields, and none changes the session's configuration or caches that another reads.
 * Each query's result is then the same whichever jobs run beside it, and so are the outputs of
 * running the tasks one after another.
 *
 * <p>A failure does not wait for the other tasks' work, whose results the call would throw
 * away: with an active Spark session, each call's jobs carry a job tag of their own, and the
 * first failure cancels the jobs of that tag then running (their tasks already running on an
 * executor finish, no other starts; the task that submitted the job ends with the
 * cancellation), and a task not yet started is not run. A job a task submits after the
 * cancellation runs to its end.
 */
public final class Concurrently {
  private static final AtomicLong CALLS = new AtomicLong();

  private Concurrently() {}

  /**
   * Runs {@code tasks} at the same time and returns when all have ended. If any failed, throws
   * the failure that happened first, as it was thrown (Spark's checked exceptions, such as
   * {@code SparkException}, included), with the other tasks' failures (their cancellations
   * among them) added as suppressed, in argument order.
   */
  public static void run(Runnable... tasks) {
    Call call = new Call(activeContext(), "lpd-concurrently-" + CALLS.incrementAndGet());
    Throwable[] failures = new Throwable[tasks.length];
    List<Thread> threads = new ArrayList<>();
    boolean started = true;
    for (int i = 1; i < tasks.length && started; i++) {
      int index = i;
      Thread t = new Thread(() -> failures[index] = call.attempt(tasks[index]),
          "lpd-concurrent-" + i);
      t.setDaemon(true);
      try {
        t.start();
        threads.add(t);
      } catch (Throwable e) { // no thread to be had: the tasks not started are not run
        failures[i] = call.failed(e);
        started = false;
      }
    }
    if (tasks.length > 0 && started) {
      failures[0] = call.attempt(tasks[0]);
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
    Throwable first = call.firstFailure.get();
    if (first != null) {
      for (Throwable f : failures) {
        if (f != null && f != first) {
          first.addSuppressed(f);
        }
      }
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

  /** One call's tasks: the job tag their jobs carry, and the failure that happened first. */
  private static final class Call {
    private final SparkContext spark;
    private final String tag;
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    /** @param spark the active session's context, or null (no job is tagged or cancelled) */
    Call(SparkContext spark, String tag) {
      this.spark = spark;
      this.tag = tag;
    }

    /**
     * Runs {@code task} on this thread with its jobs tagged, unless a task of the call has
     * failed already (the call throws that failure: the task's work would be thrown away);
     * catches everything it throws, checked exceptions that Scala code throws included.
     */
    Throwable attempt(Runnable task) {
      if (firstFailure.get() != null) {
        return null;
      }
      try {
        if (spark != null) {
          spark.addJobTag(tag);
        }
        try {
          task.run();
        } finally {
          if (spark != null) {
            spark.removeJobTag(tag);
          }
        }
        return null;
      } catch (Throwable e) {
        return failed(e);
      }
    }

    /** Records {@code e}; the first failure cancels the call's running jobs. Returns it. */
    Throwable failed(Throwable e) {
      if (firstFailure.compareAndSet(null, e) && spark != null && !spark.isStopped()) {
        try {
          spark.cancelJobsWithTag(tag, "another task of the same step failed");
        } catch (RuntimeException cancelling) {
          e.addSuppressed(cancelling);
        }
      }
      return e;
    }
  }

  /** The active (or default) Spark session's context when one is running, else null. */
  private static SparkContext activeContext() {
    scala.Option<SparkSession> session = SparkSession.getActiveSession();
    if (session.isEmpty()) {
      session = SparkSession.getDefaultSession();
    }
    if (session.isEmpty() || session.get().sparkContext().isStopped()) {
      return null;
    }
    return session.get().sparkContext();
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
