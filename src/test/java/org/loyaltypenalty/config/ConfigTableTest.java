package org.loyaltypenalty.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration table (docs/configuration.md) is what users copy keys from, so it is checked
 * against the code rather than trusted to be copied by hand: it must list exactly the keys of
 * {@link ConfigKey}, each with its default, plus the column-mapping and reference patterns that
 * {@link ConfigLoader} reads by prefix. In the table's default column a key is written
 * {@code `value`}, and {@value #NO_DEFAULT} stands for an empty default (the key is unset).
 */
class ConfigTableTest {
  static final Path TABLE = Path.of("docs/configuration.md");
  static final String SECTION = "## Keys";
  static final String NO_DEFAULT = "—";
  /**
   * Column-mapping rows and the segment reference row: ConfigLoader reads these keys by prefix,
   * not from ConfigKey.
   */
  static final List<String> MAPPING_ROWS = List.of("columns.<name>", "purchases.columns.<name>",
      "customers.columns.<name>", "segment.<name>.reference");

  @Test
  void theConfigurationTableListsExactlyTheConfigKeysWithTheirDefaults() throws IOException {
    List<String> problems = differences(Files.readString(TABLE));
    assertTrue(problems.isEmpty(), TABLE + "'s configuration table does not match ConfigKey:\n  "
        + String.join("\n  ", problems));
  }

  @Test
  void aMissingKeyAnExtraKeyAndADifferentDefaultAreEachNamed() {
    Map<String, String> rows = expected();
    rows.remove(ConfigKey.FDR_Q.key());
    rows.put("test.fdr", "0.1");
    rows.put(ConfigKey.LOOKBACK_DAYS.key(), "30");
    assertEquals(List.of(
        "cohort.lookback_days: documented default `30`, ConfigKey.LOOKBACK_DAYS default `365`",
        "missing key test.fdr_q (ConfigKey.FDR_Q, default `0.05`)",
        "extra key test.fdr (not in ConfigKey)"),
        differences(page(rows)));
  }

  @Test
  void anEmptyDefaultIsWrittenAsADashAndAValueIsNot() {
    Map<String, String> rows = expected();
    rows.put(ConfigKey.DEFAULT_CURRENCY.key(), "GBP");
    rows.put(ConfigKey.CSV_DELIMITER.key(), "");
    assertEquals(List.of(
        "csv.delimiter: documented default " + NO_DEFAULT + ", ConfigKey.CSV_DELIMITER default `,`",
        "defaults.currency: documented default `GBP`, ConfigKey.DEFAULT_CURRENCY default "
            + NO_DEFAULT),
        differences(page(rows)));
  }

  @Test
  void aPageWithoutTheSectionIsReportedNotPassed() {
    assertEquals(List.of("no table under '" + SECTION + "'"),
        differences("# Title\n\n## Outputs\n\n| a | b |\n| --- | --- |\n| `x` | `y` |\n"));
  }

  /** What is wrong with the configuration table of {@code markdown}; empty when it matches. */
  static List<String> differences(String markdown) {
    List<String> problems = new ArrayList<>();
    Map<String, String> documented = table(markdown, problems);
    if (documented.isEmpty()) {
      return problems.isEmpty() ? List.of("no table under '" + SECTION + "'") : problems;
    }
    Map<String, String> expected = expected();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String key = e.getKey();
      String name = ConfigKey.of(key).map(k -> "ConfigKey." + k.name()).orElse("ConfigLoader");
      if (!documented.containsKey(key)) {
        problems.add("missing key " + key + " (" + name + ", default " + cell(e.getValue()) + ")");
      } else if (!documented.get(key).equals(e.getValue())) {
        problems.add(key + ": documented default " + cell(documented.get(key)) + ", " + name
            + " default " + cell(e.getValue()));
      }
    }
    documented.keySet().stream().filter(k -> !expected.containsKey(k))
        .forEach(k -> problems.add("extra key " + k + " (not in ConfigKey)"));
    return problems;
  }

  /** Key -> default as the code has them, in ConfigKey's order after the mapping rows. */
  static Map<String, String> expected() {
    Map<String, String> out = new LinkedHashMap<>();
    MAPPING_ROWS.forEach(k -> out.put(k, ""));
    for (ConfigKey k : ConfigKey.values()) {
      out.put(k.key(), k.defaultValue());
    }
    return out;
  }

  /**
   * Key -> default of the first table under {@link #SECTION} (up to the next heading); rows whose
   * key or default cell is malformed, and keys listed twice, are added to {@code problems}.
   */
  static Map<String, String> table(String markdown, List<String> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> lines = markdown.lines().toList();
    int at = lines.indexOf(SECTION);
    if (at < 0) {
      return out;
    }
    List<String> rows = new ArrayList<>();
    for (String line : lines.subList(at + 1, lines.size())) {
      if (line.startsWith("#")) {
        break;
      }
      if (line.startsWith("|")) {
        rows.add(line);
      } else if (!rows.isEmpty()) {
        break;
      }
    }
    // the header row and the --- row come first
    for (String row : rows.subList(Math.min(2, rows.size()), rows.size())) {
      String[] cells = row.replace("\\|", "\u0000").split("\\|", -1);
      if (cells.length < 4) {
        problems.add("a row without key, default and meaning: " + row);
        continue;
      }
      String key = unquote(cells[1].trim());
      String value = cells[2].trim();
      String defaultValue = value.equals(NO_DEFAULT) ? "" : unquote(value);
      if (key == null || defaultValue == null) {
        problems.add("a row whose key or default is not written `like this` (or "
            + NO_DEFAULT + " for none): " + row);
      } else if (out.put(key, defaultValue.replace('\u0000', '|')) != null) {
        problems.add("key " + key + " listed twice");
      }
    }
    return out;
  }

  /** The text inside one pair of backticks, or null when the cell is not written that way. */
  private static String unquote(String cell) {
    return cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`")
        && cell.indexOf('`', 1) == cell.length() - 1 ? cell.substring(1, cell.length() - 1) : null;
  }

  private static String cell(String defaultValue) {
    return defaultValue.isEmpty() ? NO_DEFAULT : "`" + defaultValue + "`";
  }

  /** A page whose configuration table has exactly {@code rows}. */
  private static String page(Map<String, String> rows) {
    StringBuilder md = new StringBuilder("# Title\n\n" + SECTION + "\n\nText.\n\n"
        + "| key | default | meaning |\n| --- | --- | --- |\n");
    rows.forEach((k, v) -> md.append("| `").append(k).append("` | ").append(cell(v))
        .append(" | what it does |\n"));
    return md.append("\n## Outputs\n").toString();
  }
}
