package org.loyaltypenalty;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;

/** The advice in user-facing errors: a config line a message suggests is one the loader takes. */
class ErrorsTest {
  /** {@code key = value} as the messages write a config line; a value in angle brackets is a placeholder. */
  private static final Pattern SUGGESTION =
      Pattern.compile("([a-z_]+(?:\\.[a-z_]+)+) = (<[^>]*>|\\S+)");

  /** Every message that suggests a config line, built for every input and column it can name. */
  static List<String> messagesThatSuggestConfig() {
    List<String> messages = new ArrayList<>();
    for (String column : Columns.Quotes.all()) {
      messages.add(Errors.missingColumn("quotes", column, column, List.of("a", "b")).getMessage());
    }
    for (String column : Columns.Purchases.all()) {
      messages.add(Errors.missingColumn("purchases", column, column, List.of("a", "b")).getMessage());
    }
    for (String column : List.of(Columns.Customers.CUSTOMER_ID, Columns.Customers.BIRTH_YEAR)) {
      messages.add(
          Errors.missingColumn("customers", column, column, List.of("a", "b")).getMessage());
    }
    messages.add(Errors.experimentColumnMissing("experiment_id", "experiment_arm",
        "experiment_arm", List.of("a", "b")).getMessage());
    messages.add(Errors.experimentColumnMissing("experiment_arm", "experiment_id",
        "experiment_id", List.of("a", "b")).getMessage());
    for (char delimiter : new char[] {';', '\t', '|', ','}) {
      messages.add(Errors.wrongDelimiter("quotes", "quote_id", List.of("a"), delimiter).getMessage());
      messages.add(Errors.wrongDelimiter("customers", "customer_id", List.of("a"), delimiter)
          .getMessage());
    }
    messages.add(Errors.disclosedOffersWithoutColumn("offer_id", List.of("a", "b")).getMessage());
    return messages;
  }

  @Test
  void missingPurchasesColumnSuggestsThePurchasesMappingKey() {
    assertEquals("purchases input has no column 'customer_id'; columns found: buyer, at. Map it in"
            + " the config with purchases.columns.customer_id = <your column name>",
        Errors.missingColumn("purchases", "customer_id", "customer_id", List.of("buyer", "at"))
            .getMessage());
  }

  @Test
  void everyConfigLineAnErrorSuggestsIsAcceptedByTheLoaderAndTakesEffectAsWritten(@TempDir Path dir)
      throws Exception {
    int n = 0;
    for (String message : messagesThatSuggestConfig()) {
      Matcher m = SUGGESTION.matcher(message);
      assertFalse(!m.find(), "a config line in: " + message);
      do {
        String key = m.group(1);
        String value = m.group(2).startsWith("<") ? "some_column" : m.group(2);
        Path file = dir.resolve("suggested-" + n++ + ".properties");
        Files.writeString(file, key + " = " + value + "\n");
        AuditConfig loaded = assertDoesNotThrow(() -> ConfigLoader.load(file),
            "the loader takes '" + key + " = " + value + "' from: " + message);
        java.util.Properties asWritten = new java.util.Properties();
        asWritten.load(new java.io.StringReader(key + " = " + value));
        assertEquals(asWritten.getProperty(key), loaded.asMap().get(key),
            "'" + key + " = " + value + "' takes effect as written, from: " + message);
      } while (m.find());
    }
  }
}
