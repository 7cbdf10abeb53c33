package org.loyaltypenalty.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One flagged comparison of what the loyalty cohort paid (report data {@code paid}): a money
 * outcome ({@code total}, {@code fee} or {@code coupon}) of a SKU, its gap per unit in the
 * quote's currency and in % of the reference group's mean total per unit, and, for the total,
 * its split into parts that add up to the gap ({@code partList + partDiscount} or
 * {@code partPrice}, {@code + partFee + partCoupon}; a part the quotes do not have is null).
 *
 * @param priceStatus the status of the same comparison's unit-price row: a fee penalty with no
 *     price penalty shows here
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PaidGap(String skuId, String currency, String comparison, String outcome,
    Double penaltyPct, Double ciLowPct, Double ciHighPct, Double qValue, Double gap,
    Double referenceMean, Long customersReference, Long customersCompared, String priceStatus,
    Double partList, Double partDiscount, Double partPrice, Double partFee, Double partCoupon) {}
