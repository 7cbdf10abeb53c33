package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A merchant roll-up as the report data carries it: its findings row and what it pools (written
 * as one flat object, the row's columns first).
 *
 * @param skusPooled the number of tested SKUs pooled; null when not recorded
 * @param tau the between-SKU standard deviation of the log penalty; null when not recorded
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MerchantFinding(@JsonUnwrapped FindingRow row, Integer skusPooled, Double tau) {}
