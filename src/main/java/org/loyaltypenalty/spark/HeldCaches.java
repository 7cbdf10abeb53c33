package org.loyaltypenalty.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * What one run holds in Spark's caches, each registered as it is made and released together:
 * at the run's end, or after a failure, so that a session that outlives the run (a test's, a
 * notebook's) keeps none of them. A cache may be released earlier by its owner too: releasing
 * a cache twice is harmless, and every release this class runs must be.
 */
public final class HeldCaches {
  private final Deque<Runnable> releases = new ArrayDeque<>();

  /** Holds {@code rows} until {@link #releaseAll}; returns it. */
  public CachedRows hold(CachedRows rows) {
    return hold(rows, CachedRows::release);
  }

  /** Holds {@code value}, released by {@code release} at {@link #releaseAll}; returns it. */
  public synchronized <T> T hold(T value, Consumer<? super T> release) {
    releases.push(() -> release.accept(value));
    return value;
  }

  /** Runs every release, the last held first, and forgets them. */
  public synchronized void releaseAll() {
    while (!releases.isEmpty()) {
      releases.pop().run();
    }
  }

  /**
   * Runs every release after a step failed, as far as each can run; a release that fails is
   * added to {@code failure} as suppressed.
   */
  public synchronized void releaseAfter(Throwable failure) {
    while (!releases.isEmpty()) {
      try {
        releases.pop().run();
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
