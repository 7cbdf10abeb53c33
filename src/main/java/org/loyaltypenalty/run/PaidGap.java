package org.loyaltypenalty.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One flagged comparison of what was paid (report data {@code paid}), of the loyalty cohort or
 * of a configured segment: a money outcome ({@code total}, {@code fee} or {@code coupon}) of a
 * SKU, its gap per unit in the quote's currency and in % of the reference group's (new
 * customers', or the segment's reference level's) mean total per unit, and, for the total,
 * its split into parts that add up to the gap ({@code partList + partDiscount} or
 * {@code partPrice}, {@code + partFee + partCoupon}; a part the quotes do not have is null).
 *
 * @param segment {@code cohort} or the segment's name; null in report data written before
 *     segments' money comparisons, which were all the cohort's
 * @param compared the level compared ({@code loyal}, {@code diamond})
 * @param reference the reference level ({@code new}, {@code none})
 * @param priceStatus the status of the same comparison's unit-price row: a fee penalty with no
 *     price penalty shows here
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PaidGap(String skuId, String currency, String segment, String comparison,
    String compared, String reference, String outcome,
    Double penaltyPct, Double ciLowPct, Double ciHighPct, Double qValue, Double gap,
    Double referenceMean, Long customersReference, Long customersCompared, String priceStatus,
    Double partList, Double partDiscount, Double partPrice, Double partFee, Double partCoupon) {

  /** Whether this is the loyalty cohort's comparison (also when the data says no segment). */
  public boolean cohort() {
    return segment == null || segment.equals("cohort");
  }
}
