package org.loyaltypenalty.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldCachesTest {

  @Test
  void releaseAllRunsEveryReleaseOnceTheLastHeldFirst() {
    List<String> released = new ArrayList<>();
    HeldCaches held = new HeldCaches();
    String first = held.hold("first", released::add);
    held.hold("second", released::add);
    held.hold("third", released::add);
    assertSame("first", first, "hold returns what it holds");
    held.releaseAll();
    held.releaseAll();
    assertEquals(List.of("third", "second", "first"), released);
  }

  @Test
  void releaseAfterAFailureRunsTheRestAndAddsFailedReleasesAsSuppressed() {
    List<String> released = new ArrayList<>();
    HeldCaches held = new HeldCaches();
    held.hold("first", released::add);
    held.hold("second", s -> {
      throw new IllegalStateException("cannot release " + s);
    });
    held.hold("third", released::add);
    RuntimeException failure = new RuntimeException("a step failed");
    held.releaseAfter(failure);
    assertEquals(List.of("third", "first"), released);
    assertEquals(1, failure.getSuppressed().length);
    assertEquals("cannot release second", failure.getSuppressed()[0].getMessage());
  }
}
