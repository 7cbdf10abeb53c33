package org.loyaltypenalty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * --help reads as a layout: lines of at most {@link LoyaltyPenaltyCli#HELP_WIDTH} characters,
 * paragraphs wrapped by one wrapper (no line breaks before a word that would have fit), and the
 * audit's config keys under their heading after the options.
 */
class HelpTest {
  static List<String> help(String... command) {
    StringWriter out = new StringWriter();
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
        java.util.stream.Stream.of("--help")).toArray(String[]::new);
    assertEquals(0, LoyaltyPenaltyCli.execute(new PrintWriter(out), new PrintWriter(new StringWriter()),
        args));
    return out.toString().replace("\r", "").lines().toList();
  }

  @Test
  void everyHelpIsWrappedOnceToTheHelpWidth() {
    for (String[] command : new String[][] {{}, {"audit"}, {"nightly"}, {"generate"}, {"report"},
        {"baseline"}}) {
      List<String> lines = help(command);
      String text = String.join("\n", lines);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        assertTrue(line.length() <= LoyaltyPenaltyCli.HELP_WIDTH, "too long: " + line + "\n" + text);
        if (i + 1 == lines.size() || line.isBlank() || line.endsWith(".")
            || line.startsWith("Usage:")) {
          continue;
        }
        String next = lines.get(i + 1);
        String nextWord = next.strip().split(" ")[0];
        boolean sameIndent = !next.isBlank() && indent(next) == indent(line);
        // picocli keeps the last column free, as keyTable does
        assertTrue(!sameIndent || nextWord.startsWith("-")
                || line.length() + 1 + nextWord.length() >= LoyaltyPenaltyCli.HELP_WIDTH,
            "'" + nextWord + "' would have fit on the line before:\n" + line + "\n" + next
                + "\nin:\n" + text);
      }
    }
  }

  @Test
  void auditListsTheConfigKeysUnderTheirHeadingAfterTheOptions() {
    List<String> lines = help("audit");
    int heading = lines.indexOf(
        "Config file keys (Java properties; command line > config file > default):");
    int lastOption = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().startsWith("-V, --version")) {
        lastOption = i;
      }
    }
    assertTrue(lastOption > 0 && heading > lastOption, String.join("\n", lines));
    assertEquals("  columns.<name> = <your column>", lines.get(heading + 1));
    assertTrue(lines.contains("  customers.columns.<name> = <your column>"),
        String.join("\n", lines));
    assertTrue(lines.contains("  segment.<name>.reference = <level>"), String.join("\n", lines));
    int timezone = lines.indexOf("  input.timezone (default: UTC)");
    assertTrue(timezone > heading + 1, String.join("\n", lines));
    assertTrue(lines.get(timezone + 1).startsWith("      zone for timestamps without an offset"));
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }
}
