package org.loyaltypenalty.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The report data's {@code segments}: per tested attribute (the loyalty cohort first), its
 * levels and reference, how its comparisons came out, and each flagged penalty with its
 * adjusted view. Present only when segments are configured.
 *
 * @param segment {@code cohort} or the configured segment's name
 * @param referenceConfigured whether the reference was configured, else it has the most
 *     customers
 * @param unknownQuotes analysed quotes whose level in this segment is unknown (left out of it)
 * @param statuses SKU comparisons per findings status
 * @param flagged the flagged SKU and merchant rows, largest penalty first
 * @param coverage the compared groups' quotes and what they paid, by the outcome of their SKU
 *     comparison and currency
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SegmentReport(String segment, String reference, boolean referenceConfigured,
    List<Level> levels, long unknownQuotes, Map<String, Long> statuses, List<Flag> flagged,
    List<Coverage> coverage) {

  public SegmentReport {
    levels = levels == null ? List.of() : levels;
    statuses = statuses == null ? Map.of() : statuses;
    flagged = flagged == null ? List.of() : flagged;
    coverage = coverage == null ? List.of() : coverage;
  }

  /**
   * The quotes of the compared groups (and what they paid: price x quantity over the purchased
   * quotes, or every quote without a {@code purchased} column) whose SKU comparison came out
   * {@code outcome}: {@code flagged}, {@code ruled_out}, {@code inconclusive} or {@code untested}.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Coverage(String outcome, String currency, long quotes, long purchases,
      double paid) {}

  /** A level and its distinct customers in the analysed quotes. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Level(String level, long customers) {}

  /**
   * A flagged penalty, with the adjusted view and what it says.
   *
   * @param attribution an {@code Attribution} code
   * @param heldBy the other segments with a flagged penalty on the same SKU whose adjusted
   *     interval lies above zero (where the gap goes when this one disappears)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Flag(String level, String status, String comparison, String compared, String reference,
      String skuId, String currency, String merchantId, double penaltyPct, Double ciLowPct,
      Double ciHighPct, Double qValue, long customersReference, long customersCompared,
      Long cellsWithBoth,
      Double adjustedPenaltyPct, Double adjustedCiLowPct, Double adjustedCiHighPct,
      String attribution, List<String> heldBy) {}
}
