package org.loyaltypenalty.stats;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import org.apache.spark.sql.Column;

/**
 * The one rule that flags a penalty: significant after false-discovery control
 * ({@code q <= fdrQ}) <b>and</b> material ({@code penalty_pct >= materialityPct}). The findings,
 * the placebo check and the per-SKU pre-screen all ask it, in Spark or in Java.
 *
 * @param fdrQ the Benjamini-Hochberg level ({@code test.fdr_q})
 * @param materialityPct the smallest penalty worth flagging, in % ({@code test.materiality_pct})
 */
public record FlagRule(double fdrQ, double materialityPct) implements Serializable {
  /**
   * Relative slack of {@link #mayBeFlagged}: a q-value is never below its p-value in exact
   * arithmetic, but {@code m p / j} in doubles can fall one unit in the last place below
   * {@code p} when {@code j = m}, and the percentage is computed by a different formula in Spark.
   */
  static final double SLACK = 1e-9;

  /** Whether a row is flagged; false when either value is null (untested). */
  public Column flagged(Column qValue, Column penaltyPct) {
    return coalesce(significant(qValue).and(penaltyPct.geq(materialityPct)), lit(false));
  }

  /** Significant after FDR control, material or not. */
  public Column significant(Column qValue) {
    return qValue.leq(fdrQ);
  }

  /**
   * Whether the FDR step could flag an estimate, known before the q-values are: a
   * Benjamini-Hochberg q-value is never below its p-value, so a comparison with
   * {@code p > fdrQ} or an immaterial penalty never is. Each side gets {@link #SLACK} for
   * rounding: no estimate that will be flagged is ever left out (a few that are not pass).
   *
   * @param pValue null when untested
   * @param estimateLog the log-scale estimate, null when untested
   */
  public boolean mayBeFlagged(Double pValue, Double estimateLog) {
    if (pValue == null || estimateLog == null) {
      return false;
    }
    return pValue <= fdrQ * (1 + SLACK) && Inference.percent(estimateLog)
        >= materialityPct - SLACK * Math.max(1, Math.abs(materialityPct));
  }
}
