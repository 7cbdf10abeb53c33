package org.loyaltypenalty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's two reference jobs: the bare scan-and-aggregate and the validation floor. */
class BaselineCommandTest {
  static Path quotes(Path dir) throws Exception {
    Path csv = dir.resolve("quotes.csv");
    Files.write(csv, List.of(
        "quote_id,customer_id,sku_id,quoted_at,price,currency,true_cohort",
        "q1,c1,s1,2026-01-05T10:00:00Z,10.00,GBP,new",
        "q2,c2,s1,2026-01-05T10:20:00Z,11.00,GBP,loyal",
        "q3,c3,s1,2026-01-05T11:00:00Z,twelve,GBP,new",
        "q3,c4,s2,2026-01-05T11:00:00Z,9.00,GBP,new",
        "q5,,s2,2026-01-05T11:00:00Z,9.00,GBP,new"));
    return csv;
  }

  @Test
  void baselineCountsGroupsOfSkuHourAndCohort(@TempDir Path dir) throws Exception {
    CliErrorsTest.Outcome o = CliErrorsTest.run("baseline", "--format", "csv", "--quotes",
        quotes(dir).toString());
    assertEquals(0, o.code(), o.err());
    // (s1, 10h, new), (s1, 10h, loyal), (s1, 11h, new), (s2, 11h, new)
    assertTrue(o.out().contains(" groups=4"), o.out());
  }

  @Test
  void validateOnlyChecksEveryQuoteAsTheAuditDoesAndCountsItsReasons(@TempDir Path dir)
      throws Exception {
    CliErrorsTest.Outcome o = CliErrorsTest.run("baseline", "--validate-only", "--format", "csv",
        "--quotes", quotes(dir).toString());
    assertEquals(0, o.code(), o.err());
    // valid, unparseable_price, missing_customer_id; q3 repeats but its first copy is invalid
    assertTrue(o.out().contains(" reasons=3"), o.out());
  }
}
