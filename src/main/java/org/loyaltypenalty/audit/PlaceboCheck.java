package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.run.RunResults;
import org.loyaltypenalty.sku.SkuPass;
import org.loyaltypenalty.stats.Inference;

/**
 * The method's false-alarm rate on the audited data itself: new customers are split at random
 * (by a seeded hash of their id, so each customer stays on one side) into two pseudo-cohorts,
 * and the same per-SKU estimation, FDR control and flagging rule are applied to
 * "pseudo-loyal" against "pseudo-new". No penalty can exist between two random halves of the
 * same cohort, so every flag is a false alarm; a share of p-values below 0.05 far above 5%
 * would mean the standard errors are too small for this data. The family is filtered as the
 * real one is ({@code test.family_min_customers}).
 */
public final class PlaceboCheck {
  private final AuditConfig config;

  public PlaceboCheck(AuditConfig config) {
    this.config = config;
  }

  /**
   * Counts for the manifest and the report: comparisons, tested, flagged, share of p &lt; 0.05.
   *
   * @param tests the placebo estimates, {@link SkuPass#placebo}
   */
  public RunResults.Placebo summarise(Dataset<Row> tests) {
    Dataset<Row> adjusted = config.familyFilter().adjust(tests, Findings.P_VALUE,
        Findings.Q_VALUE, Findings.CUSTOMERS_REFERENCE, Findings.CUSTOMERS_COMPARED);
    Row r = adjusted.agg(
        count(lit(1)),
        sum(when(col(Findings.P_VALUE).isNotNull(), 1).otherwise(0)),
        sum(when(config.flagRule().flagged(col(Findings.Q_VALUE),
            Inference.percent(col(Findings.ESTIMATE_LOG))), 1).otherwise(0)),
        sum(when(col(Findings.P_VALUE).lt(0.05), 1).otherwise(0))).first();
    long comparisons = r.getLong(0);
    long tested = r.isNullAt(1) ? 0 : r.getLong(1);
    return new RunResults.Placebo(config.placeboSeed(), comparisons, tested,
        r.isNullAt(2) ? 0L : r.getLong(2),
        tested == 0 ? null : (r.isNullAt(3) ? 0L : r.getLong(3)) / (double) tested);
  }
}
