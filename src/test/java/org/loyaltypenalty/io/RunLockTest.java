package org.loyaltypenalty.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.UserException;

class RunLockTest {
  private static String host() throws Exception {
    return java.net.InetAddress.getLocalHost().getHostName();
  }

  private static void claim(Path dir, long pid, String host, Instant started) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(RunLock.FILE), "pid=" + pid + "\nhost=" + host + "\nstarted="
        + started + "\ncommand=audit\n");
  }

  /** A process id that has just ended. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  @Test
  void aSecondRunOnAClaimedDirectoryIsRefusedNamingTheHolder(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    try (RunLock first = RunLock.acquire("--out", out.toString(), "audit", w -> { })) {
      UserException e = assertThrows(UserException.class,
          () -> RunLock.acquire("--out", out.toString(), "audit", w -> { }));
      String started = Files.readAllLines(out.resolve(RunLock.FILE)).get(2).substring(8);
      assertEquals("--out " + out + " is in use by audit (pid " + ProcessHandle.current().pid()
          + " on host " + host() + ", started " + started + "); wait for it to finish or choose"
          + " another directory (if that run was stopped, remove " + out.resolve(RunLock.FILE)
          + ")", e.getMessage());
    }
    assertFalse(Files.exists(out), "the claim, and the directory it created empty, are released");
  }

  @Test
  void theClaimOfAProcessThatEndedOnThisHostIsTakenOverWithAWarning(@TempDir Path dir)
      throws Exception {
    long pid = deadPid();
    claim(dir, pid, host(), Instant.now().minusSeconds(60));
    List<String> warnings = new ArrayList<>();
    try (RunLock lock = RunLock.acquire("--out", dir.toString(), "audit", warnings::add)) {
      assertTrue(Files.readString(dir.resolve(RunLock.FILE))
          .startsWith("pid=" + ProcessHandle.current().pid() + "\n"));
    }
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).startsWith("warning: --out " + dir + " was held by audit (pid "
        + pid + " on host " + host() + ", started "), warnings.get(0));
    assertTrue(warnings.get(0).endsWith("which is no longer running; this run takes it over and"
        + " replaces that run's outputs"), warnings.get(0));
    assertFalse(Files.exists(dir.resolve(RunLock.FILE)));
    assertTrue(Files.isDirectory(dir), "a directory this run did not create stays");
  }

  @Test
  void aFreshClaimFromAnotherHostHoldsAndAnOldOneIsTakenOver(@TempDir Path dir) throws Exception {
    claim(dir, 1, "elsewhere.example", Instant.now().minusSeconds(3600));
    assertThrows(UserException.class, () -> RunLock.acquire("--out", dir.toString(), "audit",
        w -> { }));
    claim(dir, 1, "elsewhere.example",
        Instant.now().minus(RunLock.STALE_AFTER).minus(Duration.ofMinutes(1)));
    List<String> warnings = new ArrayList<>();
    RunLock.acquire("--out", dir.toString(), "audit", warnings::add).close();
    assertTrue(warnings.get(0).endsWith("which started more than 24 hours ago; this run takes it"
        + " over and replaces that run's outputs"), warnings.get(0));
  }

  /**
   * Eight runs claim one directory at once, over a stale claim: exactly one holds it. Repeated:
   * a race between runs taking the stale claim over shows in a few percent of tries.
   */
  @RepeatedTest(50)
  void ofRunsClaimingAtOnceExactlyOneHoldsTheDirectory(@TempDir Path dir) throws Exception {
    claim(dir, deadPid(), host(), Instant.now());
    int runs = 8;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(runs);
    List<RunLock> held = new CopyOnWriteArrayList<>();
    List<String> refused = new CopyOnWriteArrayList<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Callable<Void> run = () -> {
        start.await();
        try {
          held.add(RunLock.acquire("--out", dir.toString(), "audit", w -> { }));
        } catch (UserException e) {
          refused.add(e.getMessage());
        } finally {
          done.countDown();
        }
        done.await(); // hold the claim until every run has tried
        return null;
      };
      futures.add(pool.submit(run));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertEquals(1, held.size(), "refused: " + refused);
    assertEquals(runs - 1, refused.size());
    held.get(0).close();
  }
}
