package org.loyaltypenalty.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The report data's {@code experiments}: per price experiment and tested segment (the loyalty
 * cohort first), the randomisation check and its outcome. Present only when the quotes carry
 * price experiments.
 *
 * @param segment {@code cohort} or the configured segment's name
 * @param levels the segment's levels seen in the experiment, in order
 * @param reference the cheapest arm
 * @param compared the dearest arm
 * @param priceGapPct the compared arm's price gap to the reference, in %; null when unknown
 * @param skus SKU-currency pairs the gap rests on
 * @param chiSquare Pearson's statistic, null when not tested
 * @param degreesOfFreedom of the test, null when not tested
 * @param pValue of the test, null when not tested
 * @param qValue in the run's false discovery rate family, null when not in it
 * @param status a findings status: {@code not_randomised}, {@code randomisation_passed} or
 *     {@code insufficient_data}
 * @param arms every arm, by name
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ExperimentReport(String experimentId, String segment, List<String> levels,
    String reference, String compared, Double priceGapPct, int skus, Double chiSquare,
    Integer degreesOfFreedom, Double pValue, Double qValue, boolean flagged, String status,
    List<Arm> arms) {

  public ExperimentReport {
    levels = levels == null ? List.of() : List.copyOf(levels);
    arms = arms == null ? List.of() : List.copyOf(arms);
  }

  /**
   * One arm.
   *
   * @param customers the arm's distinct customers of known level in the segment
   * @param quotes the arm's analysed quotes
   * @param shares per level (in the segment's order), the share of the arm's customers; null
   *     when the arm has none
   * @param priceGapPct the arm's price gap to the reference arm, in %; null when they share no
   *     SKU
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Arm(String arm, long customers, long quotes, Map<String, Double> shares,
      Double priceGapPct) {}
}
