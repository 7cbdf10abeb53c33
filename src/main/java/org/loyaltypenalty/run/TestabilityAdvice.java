package org.loyaltypenalty.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What would make the loyalty cohort's untested comparisons testable: the report data's
 * {@code testability}. Counts of SKU comparisons (SKU, currency, cohort against new customers).
 *
 * @param timeBucket the run's {@code context.time_bucket}
 * @param coarserTimeBucket the next coarser bucket counted at (1d, then 7d), null when the run's
 *     bucket is 7 days or more (then nothing is counted)
 * @param untested comparisons not tested ({@code insufficient_data})
 * @param inconclusive comparisons tested, neither flagged nor ruled out
 * @param withoutSharedCell of the untested and inconclusive, those with no exact context cell
 *     holding both groups at the run's bucket
 * @param untestedTestableAtCoarser of the untested, those whose quotes in exact cells holding both
 *     groups at the coarser bucket meet both minimum-data rules per group
 *     ({@code test.min_quotes_per_cohort} and {@code test.min_customers_per_cohort}): a lower bound
 *     on what the fit would test there, since the fit keeps more quotes than the exact cells hold
 * @param inconclusiveWithMoreCustomers of the inconclusive, those with more distinct customers on
 *     the smaller side in exact cells holding both groups at the coarser bucket than at the run's
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TestabilityAdvice(String timeBucket, String coarserTimeBucket, long untested,
    long inconclusive, long withoutSharedCell, Long untestedTestableAtCoarser,
    Long inconclusiveWithMoreCustomers) {}
