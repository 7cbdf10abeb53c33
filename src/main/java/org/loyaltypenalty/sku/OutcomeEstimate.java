package org.loyaltypenalty.sku;

/**
 * One comparison of one money {@link Outcome} of one (SKU, currency): the test, in money per
 * unit of the quote's currency (the {@code ...Log} statistics of {@code estimate} are money
 * here, not log points; the adjusted view is not computed), and what a money gap is put in %
 * of.
 *
 * @param referenceMean the reference group's mean total paid per unit in the fit (NaN when the
 *     group has no quote in it)
 * @param split for {@link Outcome#TOTAL}, each part's gap in {@link PaidFit.Part} order (null
 *     for a part the quotes do not have); null for the other outcomes and when not identified
 */
public record OutcomeEstimate(Outcome outcome, Estimate estimate, double referenceMean,
    Double[] split) {}
