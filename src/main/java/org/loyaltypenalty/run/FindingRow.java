package org.loyaltypenalty.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A findings row as the report data carries it (the report's flagged SKU comparisons, merchant
 * roll-ups and discounts): the columns of the findings table of the same names, null where the
 * table's value is null.
 *
 * @param comparison {@code <compared>_vs_<reference>}
 * @param merchantId null for a platform-wide roll-up
 * @param skuId null for a roll-up
 * @param context what was held fixed, or what a roll-up pools
 * @param status a findings {@code Status} code
 * @param cellsWithBoth exact cells holding both cohorts; null for a roll-up
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FindingRow(String comparison, String merchantId, String skuId, String currency,
    String context, String status, Long nReference, Long nCompared, Long customersReference,
    Long customersCompared, Double penaltyPct, Double ciLowPct, Double ciHighPct, Double pValue,
    Double qValue, Long cellsWithBoth, Double mdePct, Double upperBoundPct) {}
