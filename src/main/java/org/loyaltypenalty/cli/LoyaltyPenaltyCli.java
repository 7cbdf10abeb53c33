package org.loyaltypenalty.cli;

import java.io.PrintWriter;
import org.loyaltypenalty.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code audit} and {@code generate}. Exit codes: 0 success; 2 bad input or
 * configuration (one line on stderr saying what and how to fix it); 1 any other failure.
 */
@Command(name = "loyalty-penalty",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Tests whether a platform charges loyal and repeat customers more than new "
        + "customers for the same SKU under the same transaction conditions.",
    subcommands = {AuditCommand.class, NightlyCommand.class, ReportCommand.class, GenerateCommand.class,
        BaselineCommand.class,
        CommandLine.HelpCommand.class})
public final class LoyaltyPenaltyCli implements Runnable {
  public static final int EXIT_FAILURE = 1;
  /** Width of --help: descriptions are single paragraphs that picocli wraps to it. */
  static final int HELP_WIDTH = 100;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: audit or generate");
  }

  /**
   * Exits with the command's code, except in a driver that spark-submit started in cluster
   * deploy mode: there YARN's ApplicationMaster reports any {@code System.exit} from the driver
   * as a failure (and starts another attempt), so success returns normally and any other code
   * is thrown: the application fails, and YARN runs it again unless
   * {@code spark.yarn.maxAppAttempts=1} (the cluster recipe in docs/operations.md sets it). The
   * exact code (3 for new penalties) reaches the caller only in client mode or locally.
   */
  public static void main(String[] args) {
    int code = execute(args);
    if (!isClusterDriver(System.getProperty("spark.submit.deployMode"))) {
      System.exit(code);
    }
    if (code != 0) {
      throw new IllegalStateException("loyalty-penalty exited with code " + code
          + " (2 bad input or config, 3 new penalties, 1 failure); see the driver log");
    }
  }

  /** Whether {@code deployMode} (spark.submit.deployMode) says the driver runs in the cluster. */
  static boolean isClusterDriver(String deployMode) {
    return "cluster".equalsIgnoreCase(deployMode);
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output streams and returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new LoyaltyPenaltyCli());
    // picocli wraps every description to this width (set before the help sections below)
    cli.setUsageHelpWidth(HELP_WIDTH);
    cli.setOut(out);
    cli.setErr(err);
    CommandLine audit = cli.getSubcommands().get("audit");
    audit.getHelpSectionMap().put("configKeys",
        help -> AuditCommand.keyTable(help.commandSpec().usageMessage().width()));
    java.util.List<String> sections = new java.util.ArrayList<>(audit.getHelpSectionKeys());
    sections.add(sections.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER), "configKeys");
    audit.setHelpSectionKeys(sections);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter w = cmd.getErr();
      Throwable user = userCause(e);
      if (user != null) {
        w.println("error: " + user.getMessage());
        w.flush();
        return UserException.EXIT_CODE;
      }
      w.println("failed: " + e);
      e.printStackTrace(w);
      w.flush();
      return EXIT_FAILURE;
    });
    cli.setParameterExceptionHandler((e, a) -> {
      PrintWriter w = e.getCommandLine().getErr();
      w.println("error: " + e.getMessage() + " (see --help)");
      w.flush();
      return UserException.EXIT_CODE;
    });
    return cli.execute(args);
  }

  /**
   * The user error behind {@code e}: in its causes, else in a failure suppressed beside it (a
   * query of a step that failed on the same bad input while another failed first); null for none.
   */
  static Throwable userCause(Throwable e) {
    return userCause(e, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
  }

  private static Throwable userCause(Throwable e, java.util.Set<Throwable> seen) {
    java.util.List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof UserException) {
        return t;
      }
      chain.add(t);
    }
    for (Throwable t : chain) {
      for (Throwable beside : t.getSuppressed()) {
        Throwable user = userCause(beside, seen);
        if (user != null) {
          return user;
        }
      }
    }
    return null;
  }
}
