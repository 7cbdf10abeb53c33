package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunQuality;
import org.loyaltypenalty.run.RunResults;
import org.loyaltypenalty.sku.Outcome;

/**
 * What a run's findings add up to, counted in one aggregation: the SKU comparisons of the unit
 * price (tested, flagged, their SKUs), the flagged merchant roll-ups, and the false-discovery
 * family (every test with a p-value, those in the family, and the price tests the independent
 * filter left out).
 */
record FindingsTotals(long skuComparisons, long skuTested, long skuFlagged,
    long merchantsFlagged, long skusFlagged, long withPValue, long inFamily,
    long skuFilteredOut) {

  static FindingsTotals of(Dataset<Row> findings) {
    // the counts of SKU tests are of the unit price; the family counts every test in it
    Column sku = col(Findings.LEVEL).equalTo("sku")
        .and(col(Findings.OUTCOME).equalTo(Outcome.PRICE.code()));
    Row t = findings.agg(
        sum(when(sku, 1).otherwise(0)),
        sum(when(sku.and(col(Findings.P_VALUE).isNotNull()), 1).otherwise(0)),
        sum(when(sku.and(col(Findings.FLAGGED)), 1).otherwise(0)),
        sum(when(col(Findings.LEVEL).equalTo("merchant").and(col(Findings.FLAGGED)), 1)
            .otherwise(0)),
        countDistinct(when(sku.and(col(Findings.FLAGGED)), col(Findings.SKU_ID))),
        sum(when(col(Findings.P_VALUE).isNotNull(), 1).otherwise(0)),
        sum(when(col(Findings.Q_VALUE).isNotNull(), 1).otherwise(0)),
        sum(when(sku.and(col(Findings.P_VALUE).isNotNull()).and(col(Findings.Q_VALUE).isNull()),
            1).otherwise(0))).first();
    return new FindingsTotals(longAt(t, 0), longAt(t, 1), longAt(t, 2), longAt(t, 3),
        t.getLong(4), longAt(t, 5), longAt(t, 6), longAt(t, 7));
  }

  /** The run's results: these totals with the placebo check and the run's quality. */
  RunResults results(AuditConfig config, RunResults.Placebo placebo, RunCounts counts) {
    return new RunResults(skuComparisons, skuTested, skuFlagged, skusFlagged, merchantsFlagged,
        new RunResults.FamilyFilter(config.familyMinCustomers(), withPValue, inFamily,
            skuFilteredOut), placebo,
        RunQuality.of(counts, skuComparisons, skuTested, config.maxQuarantineShare()));
  }

  /** A sum over no rows is null: 0. */
  static long longAt(Row row, int index) {
    return row.isNullAt(index) ? 0 : row.getLong(index);
  }
}
