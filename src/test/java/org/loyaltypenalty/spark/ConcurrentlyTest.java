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
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

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
  void everyTaskEndsBeforeRunReturnsEvenWhenOneFailsAtOnce() {
    AtomicBoolean slowEnded = new AtomicBoolean();
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
        Concurrently.run(() -> {
          throw new IllegalStateException("first");
        }, () -> {
          sleep(300);
          slowEnded.set(true);
        }));
    assertEquals("first", thrown.getMessage());
    assertTrue(slowEnded.get(), "the slow task ended before the failure was thrown");
  }

  @Test
  void theFirstFailureInArgumentOrderIsThrownWithTheLaterOnesSuppressed() {
    RuntimeException second = new IllegalArgumentException("second");
    RuntimeException third = new UnsupportedOperationException("third");
    RuntimeException thrown = assertThrows(RuntimeException.class, () ->
        Concurrently.run(() -> {}, () -> {
          sleep(300); // fails after the third one: order of arguments, not of time
          throw second;
        }, () -> {
          throw third;
        }));
    assertSame(second, thrown);
    assertEquals(1, thrown.getSuppressed().length);
    assertSame(third, thrown.getSuppressed()[0]);
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
    AtomicBoolean slowEnded = new AtomicBoolean();
    assertSame(first, assertThrows(IOException.class,
        () -> Concurrently.run(() -> throwUndeclared(first), () -> {
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
