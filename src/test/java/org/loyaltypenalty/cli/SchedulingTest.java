package org.loyaltypenalty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the schedulers get from the shipped files and the main class (no Spark). */
class SchedulingTest {
  private static final Path CRON = Path.of("jobs/schedule/loyalty-penalty.cron");

  /**
   * cron turns each unescaped % of a command into a newline and feeds the rest to stdin: the
   * shipped line must survive that and still be a valid shell command.
   */
  @Test
  void cronLineIsValidShellAfterCronsPercentRule() throws Exception {
    // schedule lines start with a time field; comments and MAILTO= do not
    List<String> entries = Files.readAllLines(CRON).stream()
        .filter(l -> l.matches("^[0-9*@].*")).toList();
    assertEquals(1, entries.size(), entries.toString());
    String command = entries.get(0).trim().split("\\s+", 6)[5];
    StringBuilder shell = new StringBuilder();
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (c == '\\' && i + 1 < command.length() && command.charAt(i + 1) == '%') {
        shell.append('%');
        i++;
      } else if (c == '%') {
        break; // cron ends the command here
      } else {
        shell.append(c);
      }
    }
    assertEquals(command.replace("\\%", "%"), shell.toString(), "an unescaped % in the cron line");
    assertTrue(shell.toString().contains("nightly.sh"));
    Process sh = new ProcessBuilder("sh", "-n", "-c", shell.toString()).redirectErrorStream(true)
        .start();
    String out = new String(sh.getInputStream().readAllBytes());
    assertEquals(0, sh.waitFor(), out);
  }

  /** Under spark-submit --deploy-mode cluster, main must not call System.exit (YARN). */
  @Test
  void onlyAClusterDeployedDriverAvoidsSystemExit() {
    assertTrue(LoyaltyPenaltyCli.isClusterDriver("cluster"));
    assertFalse(LoyaltyPenaltyCli.isClusterDriver("client"));
    assertFalse(LoyaltyPenaltyCli.isClusterDriver(null));
  }
}
