package org.loyaltypenalty.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;

class PurchaseValidatorTest {
  /** purchased_at follows the accepted formats of {@link TimestampFormats}, as quoted_at does. */
  @Test
  void purchaseTimesOutsideTheAcceptedFormatsAreQuarantinedWithWhatIsWrong() {
    Map<String, String> cases = new TreeMap<>(Map.of(
        "2026-01-05T10:00:00Z", "",
        "2026-01-05", "",
        "10:00", "incomplete_purchased_at",
        "2026-01", "incomplete_purchased_at",
        "2026-01-05 10:00 CST", "ambiguous_purchased_at_zone",
        "9999-12-31", "implausible_purchased_at",
        "05/01/2026", "unparseable_purchased_at"));
    List<List<String>> rows = cases.keySet().stream().map(at -> Arrays.asList(at, at)).toList();
    Map<String, String> reasons = new TreeMap<>();
    for (Row r : new PurchaseValidator().validate(QuoteValidatorTest.withRaw(
        TestSpark.strings(List.of("customer_id", "purchased_at"), rows))).checked()
        .select("customer_id", "reason").collectAsList()) {
      reasons.put(r.getString(0), r.isNullAt(1) ? "" : r.getString(1));
    }
    assertEquals(cases, reasons);
  }
}
