package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.report.ReportData;
import org.loyaltypenalty.run.ExperimentReport;
import org.loyaltypenalty.segment.SegmentSpec;
import org.loyaltypenalty.sku.Outcome;

/**
 * The parts of a run's findings (and of its estimates and roll-ups, which share the findings'
 * key columns) that each output reads: the loyalty cohort's rows, the unit price's rows, the
 * rows but the experiments', and the few rows per experiment or merchant the report needs on
 * the driver.
 */
final class FindingsViews {
  private FindingsViews() {}

  /**
   * The findings in the order their files hold them, fixed by the values alone and not by how
   * Spark split the work: the tests first, most significant first (by p-value, the untested
   * last), then the exact cells by SKU, currency, segment and comparison, the strongest first
   * as the report lists them. Rows that tie are ordered by the columns that identify a row, so
   * no two rows tie on all the keys. In one partition (the findings are a few rows per SKU),
   * after a shuffle: what computes the findings still runs in parallel.
   */
  static Dataset<Row> inFileOrder(Dataset<Row> findings) {
    List<String> present = Arrays.asList(findings.columns());
    List<Column> keys = new ArrayList<>(List.of(
        col(Findings.LEVEL).equalTo(CellEvidence.LEVEL),
        col(Findings.P_VALUE).asc_nulls_last(),
        col(Findings.SKU_ID).asc_nulls_first(), col(Findings.CURRENCY).asc_nulls_first(),
        col(Findings.SEGMENT), col(Findings.COMPARISON)));
    keys.addAll(Arrays.asList(CellEvidence.largestFirst()));
    keys.addAll(List.of(col(Findings.LEVEL), col(Findings.MERCHANT_ID).asc_nulls_first()));
    for (String optional : List.of(Findings.OUTCOME, Findings.EXPERIMENT_ID)) {
      if (present.contains(optional)) {
        keys.add(col(optional).asc_nulls_first());
      }
    }
    keys.add(col(Findings.CONTEXT).asc_nulls_first());
    return findings.repartition(1).sortWithinPartitions(keys.toArray(Column[]::new));
  }

  /**
   * The flagged SKU comparisons of a findings dataset, every segment and outcome, collected and
   * held on the driver: they grow with the SKUs flagged, not with the quotes, and every join of
   * them with the quotes broadcasts them. A dataset over rows on the driver is broadcast
   * without a Spark job; one over the cached findings costs a job per join.
   */
  static Dataset<Row> flaggedSkus(Dataset<Row> findings) {
    Dataset<Row> flagged = findings.filter(
        col(Findings.LEVEL).equalTo("sku").and(col(Findings.FLAGGED)));
    return findings.sparkSession().createDataFrame(flagged.collectAsList(), flagged.schema());
  }

  /**
   * Most SKUs {@link #onSkusOf} names in its filter; with more flagged, the quotes are passed
   * whole (the callers' joins select the same rows, at the cost of reading every quote).
   */
  static final int SKU_FILTER_MAX = 10_000;

  /**
   * The quotes of the SKUs {@code flaggedSkus} names ({@link #flaggedSkus}: rows on the driver),
   * by a filter on the SKU id that Spark applies as it reads the cached quotes, before anything
   * else is computed for a quote: what reads only the flagged SKUs' quotes (the evidence annex,
   * the matched pairs, the customers affected) need not join every quote. A narrowing, not a
   * selection: the callers still join on the SKU, the currency and the comparison. The quotes
   * whole when more than {@link #SKU_FILTER_MAX} SKUs are flagged.
   */
  static Dataset<Row> onSkusOf(Dataset<Row> quotes, Dataset<Row> flaggedSkus) {
    // a projection of rows on the driver: no Spark job
    SortedSet<String> skus = new TreeSet<>();
    for (Row r : flaggedSkus.select(col(Findings.SKU_ID)).collectAsList()) {
      if (!r.isNullAt(0)) { // a join on the SKU id passes over a null one
        skus.add(r.getString(0));
      }
    }
    if (skus.size() > SKU_FILTER_MAX) {
      return quotes;
    }
    return quotes.filter(col(Quotes.SKU_ID).isin(skus.toArray()));
  }

  /** The findings but the price experiments' randomisation rows. */
  static Dataset<Row> withoutExperiments(Dataset<Row> findings) {
    return findings.filter(col(Findings.LEVEL).notEqual(ExperimentCheck.LEVEL));
  }

  /** Each experiment check with its outcome in the findings (a few rows per experiment). */
  static List<ExperimentReport> experimentReports(List<ExperimentCheck.Result> checks,
      Dataset<Row> findings) {
    Map<List<String>, Row> outcomes = new HashMap<>();
    for (Row r : findings.filter(col(Findings.LEVEL).equalTo(ExperimentCheck.LEVEL))
        .select(col(Findings.EXPERIMENT_ID), col(Findings.SEGMENT), col(Findings.Q_VALUE),
            col(Findings.FLAGGED), col(Findings.STATUS)).collectAsList()) {
      outcomes.put(Arrays.asList(r.getString(0), r.getString(1)), r);
    }
    List<ExperimentReport> out = new ArrayList<>();
    for (ExperimentCheck.Result c : checks) {
      Row o = outcomes.get(Arrays.asList(c.experimentId(), c.segment()));
      out.add(c.report(o.isNullAt(2) ? null : o.getDouble(2), o.getBoolean(3), o.getString(4)));
    }
    return out;
  }

  /** The loyalty cohort's rows of a findings, estimates or roll-up dataset. */
  static Dataset<Row> cohortOnly(Dataset<Row> rows) {
    return rows.filter(col(Findings.SEGMENT).equalTo(SegmentSpec.COHORT));
  }

  /**
   * The unit-price rows of a findings dataset: what every section of the report but the one on
   * what the customer paid reads.
   */
  static Dataset<Row> priceOnly(Dataset<Row> findings) {
    return findings.filter(col(Findings.OUTCOME).equalTo(Outcome.PRICE.code()));
  }

  /** Per merchant and comparison, what its row pools (a few rows per merchant). */
  static Map<List<String>, ReportData.Pooling> pooling(Dataset<Row> merchants) {
    Map<List<String>, ReportData.Pooling> out = new HashMap<>();
    for (Row r : merchants.select(col(Findings.MERCHANT_ID), col(Findings.COMPARISON),
        col(MerchantRollup.SKUS_POOLED), col(MerchantRollup.TAU)).collectAsList()) {
      out.put(Arrays.asList(r.getString(0), r.getString(1)),
          new ReportData.Pooling(r.getInt(2), r.getDouble(3)));
    }
    return out;
  }
}
