package org.loyaltypenalty.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;

class ConcurrentlyTest {

  @Test
  void tasksRunAtTheSameTime() {
    // each task waits for the other: run one after another, neither would see the count reach 0
    CountDownLatch both = new CountDownLatch(2);
    boolean[] met = new boolean[2];
    Concurrently.run(() -> met[0] = arriveAndWait(both), () -> met[1] = arriveAndWait(both));
    assertArrayEquals(new boolean[] {true, true}, met, "both tasks saw the other arrive");
  }

  @Test
  void aTaskRunningWhenAnotherFailsEndsBeforeTheFailureIsThrown() {
    CountDownLatch slowStarted = new CountDownLatch(1);
    AtomicBoolean slowEnded = new AtomicBoolean();
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
        Concurrently.run(() -> {
          await(slowStarted);
          throw new IllegalStateException("first");
        }, () -> {
          slowStarted.countDown();
          sleep(300);
          slowEnded.set(true);
        }));
    assertEquals("first", thrown.getMessage());
    assertTrue(slowEnded.get(), "the slow task ended before the failure was thrown");
  }

  @Test
  void theFirstFailureToHappenIsThrownWithTheOthersSuppressed() {
    RuntimeException second = new IllegalArgumentException("second");
    RuntimeException third = new UnsupportedOperationException("third");
    CountDownLatch secondStarted = new CountDownLatch(1);
    RuntimeException thrown = assertThrows(RuntimeException.class, () ->
        Concurrently.run(() -> {}, () -> {
          secondStarted.countDown();
          sleep(300); // fails after the third one: the third is thrown, whatever the order
          throw second;
        }, () -> {
          await(secondStarted);
          throw third;
        }));
    assertSame(third, thrown);
    assertEquals(1, thrown.getSuppressed().length);
    assertSame(second, thrown.getSuppressed()[0]);
  }

  /** Partitions of {@link #aFailureCancelsTheJobsTheOtherTasksAreRunning}'s job processed. */
  private static final AtomicInteger PARTITIONS_DONE = new AtomicInteger();
  private static final CountDownLatch JOB_RUNNING = new CountDownLatch(1);

  /**
   * With a Spark session, the first failure cancels the job another task is running (200
   * partitions of 100 ms, 10 s on two cores): that task ends with the cancellation, suppressed
   * under the failure, and the job's remaining partitions are never run.
   */
  @Test
  void aFailureCancelsTheJobsTheOtherTasksAreRunning() {
    SparkSession spark = TestSpark.spark();
    IllegalStateException failure = new IllegalStateException("a write failed");
    long[] counted = {-1};
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
        Concurrently.run(() -> {
          await(JOB_RUNNING);
          throw failure;
        }, () -> counted[0] = spark.range(0, 200, 1, 200)
            .mapPartitions((MapPartitionsFunction<Long, Long>) rows -> {
              JOB_RUNNING.countDown();
              Thread.sleep(100);
              PARTITIONS_DONE.incrementAndGet();
              return rows;
            }, Encoders.LONG()).count()));
    assertSame(failure, thrown);
    assertEquals(-1, counted[0], "the other task's count never returned");
    assertEquals(1, thrown.getSuppressed().length);
    assertTrue(thrown.getSuppressed()[0].getMessage().contains("cancelled"),
        thrown.getSuppressed()[0].getMessage());
    assertTrue(PARTITIONS_DONE.get() < 100, PARTITIONS_DONE.get() + " of 200 partitions ran");
  }

  @Test
  void anErrorIsThrownAsItIs() {
    AssertionError error = new AssertionError("broken");
    assertSame(error, assertThrows(AssertionError.class, () ->
        Concurrently.run(() -> {}, () -> {
          throw error;
        })));
  }

  @Test
  void aCheckedExceptionThrownUndeclaredReachesTheCallerAsItIs() {
    // as Spark's Scala code throws SparkException through a Runnable: from either thread
    IOException first = new IOException("from the calling thread");
    CountDownLatch slowStarted = new CountDownLatch(1);
    AtomicBoolean slowEnded = new AtomicBoolean();
    assertSame(first, assertThrows(IOException.class,
        () -> Concurrently.run(() -> {
          await(slowStarted);
          throwUndeclared(first);
        }, () -> {
          slowStarted.countDown();
          sleep(300);
          slowEnded.set(true);
        })));
    assertTrue(slowEnded.get(), "the other task ended before the failure was thrown");
    IOException later = new IOException("from a thread of its own");
    assertSame(later, assertThrows(IOException.class,
        () -> Concurrently.run(() -> {}, () -> throwUndeclared(later))));
  }

  @Test
  void allGivesTheValuesInTheSuppliersOrder() {
    List<Supplier<? extends Object>> suppliers = List.of(() -> {
      sleep(200);
      return "slow";
    }, () -> 2, () -> List.of(3));
    assertEquals(List.of("slow", 2, List.of(3)), Concurrently.all(suppliers));
  }

  @Test
  void noTasksIsNothingToDo() {
    Concurrently.run();
    assertEquals(List.of(), Concurrently.all(List.of()));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "the other task started");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean arriveAndWait(CountDownLatch latch) {
    latch.countDown();
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void throwUndeclared(Throwable t) throws T {
    throw (T) t;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
