package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The manifest's {@code period}: where the purchase history starts, the first and last quote
 * analysed (ISO-8601 instants, null when none), and the context dimensions held fixed (none when
 * a run's data does not say).
 */
@JsonPropertyOrder({"history_start", "first_quote_analysed", "last_quote_analysed",
    "dimensions_held_fixed"})
public record RunPeriod(
    @JsonProperty("history_start") String historyStart,
    @JsonProperty("first_quote_analysed") String firstQuoteAnalysed,
    @JsonProperty("last_quote_analysed") String lastQuoteAnalysed,
    @JsonProperty("dimensions_held_fixed") List<String> dimensionsHeldFixed) {

  public RunPeriod {
    dimensionsHeldFixed = dimensionsHeldFixed == null ? List.of() : List.copyOf(dimensionsHeldFixed);
  }
}
