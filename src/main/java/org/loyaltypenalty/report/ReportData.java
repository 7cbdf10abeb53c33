package org.loyaltypenalty.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Estimates;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.run.DisclosedOffers;
import org.loyaltypenalty.run.ExperimentReport;
import org.loyaltypenalty.run.FindingRow;
import org.loyaltypenalty.run.ReestimatedFinding;
import org.loyaltypenalty.run.MerchantFinding;
import org.loyaltypenalty.run.NightlyReport;
import org.loyaltypenalty.run.PaidGap;
import org.loyaltypenalty.run.ProcessingRecord;
import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunFigures;
import org.loyaltypenalty.run.RunPeriod;
import org.loyaltypenalty.run.RunReportData;
import org.loyaltypenalty.run.RunResults;
import org.loyaltypenalty.run.SegmentReport;
import org.loyaltypenalty.run.TestabilityAdvice;
import org.loyaltypenalty.run.UntestedCount;
import org.loyaltypenalty.sku.UntestedReason;
import org.loyaltypenalty.spark.Concurrently;

/**
 * What the report is made from, collected once at the end of an audit and kept beside the
 * manifest as {@value #FILE}, so that {@code jobs/report.sh} can render the report again (in
 * another language, say) without Spark or the input data.
 *
 * <p>It holds aggregates only: findings rows, counts and figure data; never a customer id. It is
 * not itself published: figures over fewer than {@code report.min_customers} distinct customers
 * are still in it, and the renderer suppresses them ({@link Suppression}).
 */
public final class ReportData {
  /** Most rows of each findings list that the report shows. */
  public static final int MAX_ROWS = 500;

  private ReportData() {}

  /**
   * @param counts the manifest's counts
   * @param results the manifest's results
   * @param period the manifest's period
   * @param estimates the per-SKU pass's estimate rows, whose {@code untested_reason} says why
   *     a comparison was not tested
   * @param pooling per merchant and comparison (null merchant: the platform), the number of
   *     SKUs pooled and the between-SKU sd of the log penalty
   * @param thresholds per untested reason, the minimum it is about
   * @param figures the audit's report figures ({@code ReportFigures.compute})
   * @param nightly the nightly job's sections, empty for a one-off audit
   * @param audit what the audit adds: testability advice, the segments, the processing record
   */
  public static RunReportData collect(String runId, RunCounts counts,
      RunResults results, RunPeriod period, Dataset<Row> findings,
      Dataset<Row> estimates, Map<List<String>, Pooling> pooling,
      Map<UntestedReason, Integer> thresholds, RunFigures figures,
      NightlyReport nightly, AuditSections audit) {
    Dataset<Row> sku = findings.filter(col(Findings.LEVEL).equalTo("sku"));
    Dataset<Row> flagged = sku.filter(col(Findings.FLAGGED));
    // three small queries over the cached findings, at the same time; each order ends on the
    // columns that tell two rows of the level apart, so that no tie is left to the partitions
    List<List<FindingRow>> lists = Concurrently.all(List.of(
        () -> rows(flagged.orderBy(col(Findings.PENALTY_PCT).desc(), col(Findings.SKU_ID),
            col(Findings.COMPARISON), col(Findings.CURRENCY), col(Findings.SEGMENT))),
        () -> rows(findings.filter(col(Findings.LEVEL).equalTo("merchant"))
            .orderBy(col(Findings.PENALTY_PCT).desc_nulls_last(), col(Findings.MERCHANT_ID),
                col(Findings.COMPARISON), col(Findings.CURRENCY), col(Findings.SEGMENT))),
        () -> rows(sku.filter(col(Findings.STATUS).equalTo("discount"))
            .orderBy(col(Findings.PENALTY_PCT), col(Findings.SKU_ID),
                col(Findings.COMPARISON), col(Findings.CURRENCY), col(Findings.SEGMENT)))));
    List<FindingRow> flaggedRows = lists.get(0);
    // a merchant row's customer counts are those of its pooled SKUs' quotes (MerchantRollup)
    List<MerchantFinding> merchants = new ArrayList<>();
    for (FindingRow m : lists.get(1)) {
      Pooling p = pooling.get(java.util.Arrays.asList(m.merchantId(), m.comparison()));
      merchants.add(new MerchantFinding(m, p == null ? null : p.skus(),
          p == null ? null : p.tau()));
    }
    List<FindingRow> discounts = lists.get(2);
    List<UntestedCount> untested = new ArrayList<>();
    for (Row r : estimates.filter(col(Estimates.UNTESTED_REASON).isNotNull())
        .groupBy(col(Estimates.UNTESTED_REASON)).agg(count(lit(1)).as("n"))
        .orderBy(col("n").desc(), col(Estimates.UNTESTED_REASON)).collectAsList()) {
      UntestedReason reason = UntestedReason.ofCode(r.getString(0));
      untested.add(UntestedCount.of(reason.code(), thresholds.get(reason), r.getLong(1)));
    }
    return new RunReportData(runId, counts, counts.purchasesSource(), results, period,
        flaggedRows, merchants, discounts, untested, figures, nightly, audit.testability(),
        audit.disclosedOffers(), audit.reestimated(), audit.segments(), audit.experiments(),
        audit.paid(), audit.processing());
  }

  /**
   * The report data's sections the audit computes itself.
   *
   * @param testability what would make untested comparisons testable
   * @param disclosedOffers what the disclosed-offer check did; null when no offer is disclosed
   * @param reestimated the flagged comparisons the check estimated again
   * @param segments the configured segments' summaries; empty without segments
   * @param experiments the price experiments' randomisation checks; empty without experiments
   * @param paid the flagged gaps in what was paid; null when the quotes carry no fee or coupon
   * @param processing what personal data the run processed
   */
  public record AuditSections(TestabilityAdvice testability, DisclosedOffers disclosedOffers,
      List<ReestimatedFinding> reestimated, List<SegmentReport> segments,
      List<ExperimentReport> experiments, List<PaidGap> paid, ProcessingRecord processing) {}

  /**
   * Each flagged SKU comparison and merchant roll-up the disclosed-offer check estimated again
   * (explained first; then SKUs before roll-ups; then by the penalty, largest first).
   */
  public static List<ReestimatedFinding> reestimated(Dataset<Row> findings) {
    Dataset<Row> reestimated = findings.filter(col(Findings.LEVEL).isin("sku", "merchant")
        .and(col(Findings.STATUS).equalTo(EXPLAINED)
            .or(col(Findings.PENALTY_PCT_WITHOUT_DISCLOSED).isNotNull())))
        .orderBy(col(Findings.STATUS).equalTo(EXPLAINED).desc(),
            col(Findings.LEVEL).equalTo("merchant"), col(Findings.PENALTY_PCT).desc(),
            col(Findings.SKU_ID), col(Findings.CURRENCY), col(Findings.MERCHANT_ID),
            col(Findings.SEGMENT), col(Findings.COMPARISON))
        .limit(MAX_ROWS);
    List<ReestimatedFinding> out = new ArrayList<>();
    List<Row> collected = reestimated.collectAsList();
    List<FindingRow> rows = rows(collected);
    for (int i = 0; i < rows.size(); i++) {
      Row r = collected.get(i);
      out.add(new ReestimatedFinding(r.getAs(Findings.LEVEL), rows.get(i),
          r.getAs(Findings.PENALTY_PCT_WITHOUT_DISCLOSED),
          r.getAs(Findings.CI_LOW_PCT_WITHOUT_DISCLOSED),
          r.getAs(Findings.CI_HIGH_PCT_WITHOUT_DISCLOSED),
          r.getAs(Findings.P_VALUE_WITHOUT_DISCLOSED)));
    }
    return out;
  }

  private static final String EXPLAINED = "explained_by_disclosed_offer";

  /** What a merchant row pools: the number of tested SKUs and their spread (log scale). */
  public record Pooling(int skus, double tau) {}

  /**
   * A section of report data read back from its JSON form (maps, lists, numbers and text) into
   * its record, or {@code absent} when the data has none (an older run's). Keys the record does
   * not know are passed over.
   */
  static <T> T read(Object section, Class<T> type, T absent) {
    return section == null ? absent : READER.convertValue(section, type);
  }

  /** A list section of report data read back into its records; empty when absent. */
  static <T> List<T> readList(Object section, Class<T> type) {
    return section == null ? List.of() : READER.convertValue(section,
        READER.getTypeFactory().constructCollectionType(List.class, type));
  }

  private static final ObjectMapper READER = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The run's report data as {@value #FILE}'s text. */
  public static String toJson(RunReportData data) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(data) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<FindingRow> rows(Dataset<Row> ds) {
    return rows(ds.limit(MAX_ROWS).collectAsList());
  }

  private static List<FindingRow> rows(List<Row> collected) {
    List<FindingRow> out = new ArrayList<>();
    for (Row r : collected) {
      out.add(new FindingRow(r.getAs(Findings.COMPARISON), r.getAs(Findings.MERCHANT_ID),
          r.getAs(Findings.SKU_ID), r.getAs(Findings.CURRENCY), r.getAs(Findings.CONTEXT),
          r.getAs(Findings.STATUS), whole(r, Findings.N_REFERENCE),
          whole(r, Findings.N_COMPARED), whole(r, Findings.CUSTOMERS_REFERENCE),
          whole(r, Findings.CUSTOMERS_COMPARED), r.getAs(Findings.PENALTY_PCT),
          r.getAs(Findings.CI_LOW_PCT), r.getAs(Findings.CI_HIGH_PCT), r.getAs(Findings.P_VALUE),
          r.getAs(Findings.Q_VALUE), whole(r, Findings.CELLS_WITH_BOTH),
          r.getAs(Findings.MDE_PCT), r.getAs(Findings.UPPER_BOUND_PCT)));
    }
    return out;
  }

  /** A whole-number column (int or long in the findings), null when null. */
  private static Long whole(Row r, String column) {
    Number v = r.getAs(column);
    return v == null ? null : v.longValue();
  }
}
