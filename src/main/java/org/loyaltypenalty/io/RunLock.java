package org.loyaltypenalty.io;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.loyaltypenalty.Errors;

/**
 * A run's claim on its output directory: while one run holds it, a second run on the same
 * directory is refused (exit 2, naming the holder) instead of mixing its outputs with the first's.
 *
 * <p>The claim is a file {@value #FILE} in the directory holding the holder's process id, host,
 * start time and command, created only if absent (an atomic create-new on a local filesystem,
 * {@code O_CREAT|O_EXCL}). The name starts with an underscore, so Spark and Hadoop skip it when
 * they read the directory. It is removed when the run ends, however it ends short of being
 * killed (also by a JVM shutdown hook on SIGTERM). A claim left by a killed run does not block
 * for ever: it is taken over, with a warning, when its holder ran on this host and is no longer
 * running, or when it is older than {@link #STALE_AFTER}. Runs taking over at once take turns
 * ({@link #takeOver}), so that one of them wins.
 *
 * <p>Limits. A claim of a process on another host is honoured until it is {@link #STALE_AFTER}
 * old (remove the file by hand to release it sooner); a process id reused by an unrelated process
 * keeps the claim alive until then too. A directory on another filesystem (a URI with a scheme
 * other than {@code file}) is not claimed: on object stores (S3, GCS, Azure Blob through their
 * Hadoop connectors) a create-new is a check followed by a write and a rename is a copy, so two
 * runs started within moments could both take a claim there; such a directory needs one job at
 * a time per directory from the scheduler. (HDFS could hold a claim, as its create-new is atomic;
 * it is not done yet.)
 */
public final class RunLock implements AutoCloseable {
  /**
   * Numbers this process's claims and claim attempts: each claim's text, and each attempt's file,
   * is its own.
   */
  private static final java.util.concurrent.atomic.AtomicLong ATTEMPTS =
      new java.util.concurrent.atomic.AtomicLong();
  /** The claim's file name in the output directory. */
  public static final String FILE = "_run.lock";
  /** The file a run holds while it takes a stale claim over ({@link #takeOver}). */
  private static final String TAKE_OVER = "_run.lock.takeover";
  /** Age after which a take-over file is taken for one left by a killed run. */
  private static final Duration TAKE_OVER_STALE_AFTER = Duration.ofMinutes(1);
  /** Age after which a claim is taken over whoever holds it. */
  public static final Duration STALE_AFTER = Duration.ofHours(24);

  private final Path file;
  private final Path createdDir;
  private final String content;
  private final Thread hook;
  private boolean released;

  private RunLock(Path file, Path createdDir, String content) {
    this.file = file;
    this.createdDir = createdDir;
    this.content = content;
    this.hook = new Thread(this::release, "run-lock-release");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Who holds a claim. */
  public record Holder(long pid, String host, Instant started, String command) {
    static Holder current(String command) {
      return new Holder(ProcessHandle.current().pid(), hostName(), Instant.now(), command);
    }

    /**
     * The claim's text: the holder and a number no other claim of this process has, so that no
     * two claims read the same (two threads of one process may start in one instant).
     */
    String text() {
      return "pid=" + pid + "\nhost=" + host + "\nstarted=" + started + "\ncommand=" + command
          + "\nclaim=" + ATTEMPTS.incrementAndGet() + "\n";
    }

    /** For messages: {@code audit (pid 1234 on host h, started 2026-12-04T19:00:00Z)}. */
    public String describe() {
      return String.format("%s (pid %d on host %s, started %s)", command, pid, host, started);
    }

    static Optional<Holder> parse(String text) {
      Properties p = new Properties();
      try {
        p.load(new StringReader(text));
        return Optional.of(new Holder(Long.parseLong(p.getProperty("pid", "").trim()),
            p.getProperty("host", "").trim(), Instant.parse(p.getProperty("started", "").trim()),
            p.getProperty("command", "").trim()));
      } catch (IOException | NumberFormatException | DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Claims {@code dir} (created when absent) for the run of {@code command}.
   *
   * @param option the option naming the directory, for messages ({@code --out})
   * @param warn where a take-over of a stale claim is reported
   * @throws org.loyaltypenalty.UserException when a live run holds it
   */
  public static RunLock acquire(String option, String dir, String command, Consumer<String> warn) {
    Path d = localPath(dir);
    if (d == null) {
      // another filesystem: see the class comment on object stores
      return new RunLock(null, null, "");
    }
    Path created = null;
    try {
      if (!Files.isDirectory(d)) {
        Files.createDirectories(d);
        created = d;
      }
    } catch (IOException e) {
      throw Errors.pathUnreadable(option.substring(2), dir, e.getMessage());
    }
    Path file = d.resolve(FILE);
    String claim = Holder.current(command).text();
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (create(file, claim)) {
          return new RunLock(file, created, claim);
        }
        String text = read(file);
        if (text == null) {
          continue; // released meanwhile: try again
        }
        Optional<Holder> holder = Holder.parse(text);
        Optional<String> stale = staleness(holder, file);
        if (stale.isEmpty()) {
          throw Errors.outputInUse(option, dir, holder.map(Holder::describe)
              .orElse("an unknown run"), file.toString());
        }
        if (takeOver(file, text)) {
          warn.accept(String.format("warning: %s %s was held by %s, which %s; this run takes it"
              + " over and replaces that run's outputs", option, dir,
              holder.map(Holder::describe).orElse("an unreadable claim"), stale.get()));
        }
      } catch (NoSuchFileException released) {
        continue; // the claim went away while this run looked at it: try again
      } catch (IOException e) {
        throw new UncheckedIOException("could not claim " + file, e);
      }
    }
    throw Errors.outputInUse(option, dir, "another run", file.toString());
  }

  /**
   * Creates {@code file} with {@code text} only if it is absent; false when it is there. The text
   * is written to a file of its own first and linked in under the claim's name (a hard link is
   * created atomically, or not at all), so a run never reads a claim half written; where hard
   * links are not supported the claim is created empty and then written.
   */
  private static boolean create(Path file, String text) throws IOException {
    // a name no other claim attempt uses, in this process (the counter) or another (the pid):
    // two attempts writing one file could each change the claim the other linked in
    Path own = file.resolveSibling(FILE + "." + ProcessHandle.current().pid() + "-"
        + ATTEMPTS.incrementAndGet());
    Files.writeString(own, text, StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
    try {
      Files.createLink(file, own);
      return true;
    } catch (FileAlreadyExistsException held) {
      return false;
    } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
      try {
        Files.writeString(file, text, StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException held) {
        return false;
      }
    } finally {
      Files.deleteIfExists(own);
    }
  }

  /** Why the claim is stale, or empty when its holder may still be running. */
  private static Optional<String> staleness(Optional<Holder> holder, Path file) throws IOException {
    // the file's time only for a claim that cannot be parsed (the claim may be gone meanwhile)
    Instant started = holder.isPresent() ? holder.get().started()
        : Files.getLastModifiedTime(file).toInstant();
    if (started.plus(STALE_AFTER).isBefore(Instant.now())) {
      return Optional.of("started more than " + STALE_AFTER.toHours() + " hours ago");
    }
    if (holder.isPresent() && holder.get().host().equals(hostName())
        && holder.get().pid() != ProcessHandle.current().pid()
        && ProcessHandle.of(holder.get().pid()).map(ProcessHandle::isAlive).orElse(false)
            == false) {
      return Optional.of("is no longer running");
    }
    return Optional.empty();
  }

  /**
   * Removes the stale claim, true when this run removed the claim it judged stale. Runs taking
   * over hold a second file, {@value #TAKE_OVER}, created only if absent, while they look at the
   * claim again and remove it: so a claim is only ever removed by its holder or by the one run
   * that holds that file and finds the claim it judged stale still there (each claim's text is
   * its own, {@link Holder#text}), never a fresh claim in its place. A take-over file older than
   * {@link #TAKE_OVER_STALE_AFTER} was left by a run killed in those few steps and is removed.
   */
  private static boolean takeOver(Path file, String judged) throws IOException {
    Path mutex = file.resolveSibling(TAKE_OVER);
    try {
      Files.createFile(mutex);
    } catch (FileAlreadyExistsException another) {
      try {
        if (Files.getLastModifiedTime(mutex).toInstant().plus(TAKE_OVER_STALE_AFTER)
            .isBefore(Instant.now())) {
          Files.deleteIfExists(mutex);
        }
      } catch (NoSuchFileException gone) {
        // the other run has finished its take-over
      }
      return false;
    }
    try {
      if (!judged.equals(read(file))) {
        return false; // taken over, or released, by another run meanwhile
      }
      Files.delete(file);
      return true;
    } catch (NoSuchFileException gone) {
      return false;
    } finally {
      Files.deleteIfExists(mutex);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  /** The local path of {@code dir}, or null when it is on another filesystem. */
  private static Path localPath(String dir) {
    try {
      URI u = new URI(dir);
      if (u.getScheme() != null && u.getScheme().length() > 1) {
        return "file".equals(u.getScheme()) ? Paths.get(u.getPath()) : null;
      }
    } catch (java.net.URISyntaxException e) {
      // a local path with characters a URI does not allow
    }
    return Paths.get(dir);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  /** Releases the claim (when it is still this run's), and the directory when it made it empty. */
  private synchronized void release() {
    if (released || file == null) {
      released = true;
      return;
    }
    released = true;
    try {
      if (content.equals(read(file))) {
        Files.deleteIfExists(file);
      }
      if (createdDir != null) {
        try (var entries = Files.list(createdDir)) {
          if (entries.findAny().isEmpty()) {
            Files.deleteIfExists(createdDir);
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort: a claim left behind is taken over by the next run
    }
  }

  @Override
  public void close() {
    release();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
