package org.loyaltypenalty.stats;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

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
   * Relative slack of {@link #mayBeFlagged} and {@link #flaggedAt}: a q-value is never below its p-value in exact
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
   * The run's Benjamini-Hochberg threshold on the p-value scale, as an aggregate over the run's
   * tests: {@code fdrQ R / m}, with R the rows the step rejected ({@code q <= fdrQ}) and m the
   * family (the rows with a q-value); null when it rejected none. BH rejects the R smallest
   * p-values, R the largest i with {@code p_(i) <= i fdrQ / m} (Benjamini &amp; Hochberg 1995),
   * so exactly R p-values are at or under {@code fdrQ R / m}: a test of the family is
   * significant exactly when its p is at or under this threshold, and a rejected test whose
   * p-value is replaced by another stays rejected exactly when the other is at or under it too
   * (the rejections above R cannot grow, and at R the count stays R).
   */
  public Column rejectionThreshold(Column qValue, Column pValue) {
    Column rejected = count(when(significant(qValue), pValue));
    return when(rejected.gt(0), lit(fdrQ).multiply(rejected).divide(count(qValue)));
  }

  /**
   * Whether an estimate made after the FDR step, outside its family (a flagged comparison
   * re-estimated on fewer quotes), is flagged by the run's rule: significant at the run's
   * threshold ({@code pValue <= pThreshold}, {@link #rejectionThreshold}) and material: what
   * the step would decide with the re-estimate's p-value in place of its original's. It does not
   * change the family or its q-values. False
   * when either value is null (not testable).
   */
  public Column flaggedAt(double pThreshold, Column pValue, Column penaltyPct) {
    // the threshold q R / m and BH's own m p / rank can round apart by an ulp: the slack keeps a
    // p-value the step rejected at or under the threshold
    return coalesce(pValue.leq(pThreshold * (1 + SLACK)).and(penaltyPct.geq(materialityPct)),
        lit(false));
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
