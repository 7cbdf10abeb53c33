package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.stats.BenjaminiHochberg;

/**
 * The method's false-alarm rate on the audited data itself: new customers are split at random
 * (by a seeded hash of their id, so each customer stays on one side) into two pseudo-cohorts,
 * and the same per-SKU estimation, FDR control and flagging rule are applied to
 * "pseudo-loyal" against "pseudo-new". No penalty can exist between two random halves of the
 * same cohort, so every flag is a false alarm; a share of p-values below 0.05 far above 5%
 * would mean the standard errors are too small for this data.
 */
public final class PlaceboCheck {
  private final AuditConfig config;

  public PlaceboCheck(AuditConfig config) {
    this.config = config;
  }

  /**
   * Which new customers form the pseudo-loyal half: a seeded 64-bit hash of the customer id is
   * odd. Computed before the per-SKU shuffle ({@link SkuPenaltyEstimator#analyse}).
   */
  public static Column pseudoLoyal(Column customerId, long seed) {
    return pmod(xxhash64(customerId, lit(seed)), lit(2L)).notEqual(0);
  }

  /**
   * Counts for the manifest and the report: comparisons, tested, flagged, share of p &lt; 0.05.
   *
   * @param tests the placebo estimates, {@link SkuPenaltyEstimator#placebo}
   */
  public Map<String, Object> summarise(Dataset<Row> tests) {
    Dataset<Row> adjusted = BenjaminiHochberg.adjust(tests, Findings.P_VALUE, Findings.Q_VALUE);
    Row r = adjusted.agg(
        count(lit(1)),
        sum(when(col(Findings.P_VALUE).isNotNull(), 1).otherwise(0)),
        sum(when(col(Findings.Q_VALUE).leq(config.fdrQ()).and(
            exp(col(Findings.ESTIMATE_LOG)).minus(1).multiply(100).geq(config.materialityPct())), 1)
            .otherwise(0)),
        sum(when(col(Findings.P_VALUE).lt(0.05), 1).otherwise(0))).first();
    long comparisons = r.getLong(0);
    long tested = r.isNullAt(1) ? 0 : r.getLong(1);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seed", config.placeboSeed());
    out.put("sku_comparisons", comparisons);
    out.put("tested", tested);
    out.put("flagged", r.isNullAt(2) ? 0L : r.getLong(2));
    out.put("share_p_below_0_05", tested == 0 ? null : (r.isNullAt(3) ? 0L : r.getLong(3)) / (double) tested);
    return out;
  }
}
