package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A flagged SKU comparison or merchant roll-up re-estimated without the quotes that carry a
 * disclosed offer, as the report data carries it: its level, its findings row (the estimate with
 * every quote; its status says whether it is still a penalty or
 * {@code explained_by_disclosed_offer}) and the re-estimate (written as one flat object: the
 * level, the row's columns, the re-estimate).
 *
 * @param level {@code sku} or {@code merchant} (a roll-up, whose {@code sku_id} is null); null
 *     in report data written before roll-ups were re-estimated, where every row is a SKU's
 * @param penaltyPctWithoutDisclosed the penalty without them; null when the quotes left could
 *     not be tested
 * @param ciLowPctWithoutDisclosed its interval's lower end
 * @param ciHighPctWithoutDisclosed its interval's upper end
 * @param pValueWithoutDisclosed its one-sided p-value
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReestimatedFinding(String level, @JsonUnwrapped FindingRow row, Double penaltyPctWithoutDisclosed,
    Double ciLowPctWithoutDisclosed, Double ciHighPctWithoutDisclosed,
    Double pValueWithoutDisclosed) {}
