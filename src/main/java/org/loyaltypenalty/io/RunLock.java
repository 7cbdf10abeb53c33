package org.loyaltypenalty.io;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
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
 * running, or when it is older than {@link #STALE_AFTER}. The take-over moves the stale file
 * aside atomically before creating a new one, so of two runs taking over at once one wins.
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
  /** Numbers this process's claim attempts and take-overs: each uses a file name of its own. */
  private static final java.util.concurrent.atomic.AtomicLong ATTEMPTS =
      new java.util.concurrent.atomic.AtomicLong();
  /** The claim's file name in the output directory. */
  public static final String FILE = "_run.lock";
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

    String text() {
      return "pid=" + pid + "\nhost=" + host + "\nstarted=" + started + "\ncommand=" + command
          + "\n";
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
    Holder me = Holder.current(command);
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (create(file, me.text())) {
          return new RunLock(file, created, me.text());
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
   * Moves the stale claim aside (atomically: of two runs taking it over, one moves it) and
   * deletes it; true when this run moved the claim it judged stale.
   */
  private static boolean takeOver(Path file, String judged) throws IOException {
    Path aside = file.resolveSibling(FILE + ".stale-" + ProcessHandle.current().pid() + "-"
        + ATTEMPTS.incrementAndGet());
    try {
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException gone) {
      return false;
    } catch (AtomicMoveNotSupportedException e) {
      return false;
    }
    String moved = read(aside);
    if (!judged.equals(moved)) {
      // another run took it over first and this moved its fresh claim: put it back
      try {
        Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(aside);
      }
      return false;
    }
    Files.deleteIfExists(aside);
    return true;
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
