package org.loyaltypenalty.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a run's counts call for: nothing or little tested, too much quarantined. */
class RunQualityTest {
  @Test
  void nothingTestedWhetherOrNotThereWereComparisons() {
    assertEquals(List.of(RunWarning.NOTHING_TESTED),
        RunQuality.of(100, 0, 0, 0, 0, 0, 0.05).warnings(), "no comparison at all");
    assertEquals(List.of(RunWarning.NOTHING_TESTED),
        RunQuality.of(100, 0, 0, 0, 12, 0, 0.05).warnings(), "12 comparisons, none tested");
  }

  @Test
  void littleTestedBelowATenthOfTheComparisons() {
    assertEquals(List.of(RunWarning.LITTLE_TESTED),
        RunQuality.of(100, 0, 0, 0, 101, 10, 0.05).warnings(), "10 of 101");
    assertEquals(List.of(), RunQuality.of(100, 0, 0, 0, 100, 10, 0.05).warnings(), "10 of 100");
  }

  @Test
  void quarantineShareAboveTheLimitOfEitherInputIsAWarningAtTheLimitNot() {
    assertEquals(List.of(), RunQuality.of(100, 5, 100, 5, 4, 4, 0.05).warnings(), "5% at 5%");
    assertEquals(List.of(RunWarning.QUOTE_QUARANTINE_ABOVE_LIMIT,
            RunWarning.PURCHASE_QUARANTINE_ABOVE_LIMIT),
        RunQuality.of(100, 6, 1000, 51, 4, 4, 0.05).warnings(), "6% and 5.1% over 5%");
    assertEquals(List.of(), RunQuality.of(100, 100, 0, 0, 4, 4, 1).warnings(), "limit 1: never");
    assertEquals(List.of(RunWarning.QUOTE_QUARANTINE_ABOVE_LIMIT),
        RunQuality.of(100, 1, 0, 0, 4, 4, 0).warnings(), "limit 0: any quarantined row");
  }

  @Test
  void manifestEntryCarriesCodesAndTheSharesTheyJudge() {
    assertEquals(Map.of("warnings", List.of("little_tested", "quote_quarantine_above_limit"),
            "quote_quarantine_share", 0.25, "purchase_quarantine_share", 0.0,
            "max_quarantine_share", 0.05),
        new com.fasterxml.jackson.databind.ObjectMapper()
            .convertValue(RunQuality.of(8, 2, 0, 0, 20, 1, 0.05), Map.class));
  }
}
