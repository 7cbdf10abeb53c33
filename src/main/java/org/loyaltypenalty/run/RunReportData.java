package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.loyaltypenalty.cohort.PurchasesSource;

/**
 * The report data of one run, {@code report-data.json}: what the report is made from, collected
 * once at the end of an audit (aggregates only, never a customer id). Every section is a record
 * of this package; the renderers read it and nothing else of the run.
 *
 * @param purchasesSource where the purchase history came from
 * @param flagged the flagged SKU comparisons, largest penalty first (at most the report's rows)
 * @param merchants the merchant roll-ups with what each pools
 * @param discounts the SKU comparisons whose compared group pays significantly less
 * @param untested the comparisons not tested, per reason
 * @param nightly the nightly job's sections; null for a one-off audit
 * @param testability what would make untested comparisons testable; null when nothing is untested
 * @param disclosedOffers what the disclosed-offer check did; absent when no offer is disclosed
 * @param reestimated the flagged comparisons estimated again without the disclosed offers' quotes
 * @param segments the configured segments' summaries, the loyalty cohort first; absent without
 *     segments
 * @param experiments the price experiments' randomisation checks; absent without experiments
 * @param paid the flagged gaps in what was paid per unit (total, fee, coupon); absent when the
 *     quotes carry neither fee nor coupon
 * @param processing what personal data the run processed
 */
@JsonPropertyOrder({"run_id", "counts", "purchases_source", "results", "period", "flagged",
    "merchants", "discounts", "untested", "figures", "nightly", "testability", "disclosed_offers",
    "reestimated_without_disclosed", "segments", "experiments", "paid", "processing"})
public record RunReportData(
    @JsonProperty("run_id") String runId,
    @JsonProperty("counts") RunCounts counts,
    @JsonProperty("purchases_source") PurchasesSource purchasesSource,
    @JsonProperty("results") RunResults results,
    @JsonProperty("period") RunPeriod period,
    @JsonProperty("flagged") List<FindingRow> flagged,
    @JsonProperty("merchants") List<MerchantFinding> merchants,
    @JsonProperty("discounts") List<FindingRow> discounts,
    @JsonProperty("untested") List<UntestedCount> untested,
    @JsonProperty("figures") RunFigures figures,
    @JsonProperty("nightly") NightlyReport nightly,
    @JsonProperty("testability") TestabilityAdvice testability,
    @JsonProperty("disclosed_offers") @JsonInclude(JsonInclude.Include.NON_NULL)
    DisclosedOffers disclosedOffers,
    @JsonProperty("reestimated_without_disclosed") @JsonInclude(JsonInclude.Include.NON_EMPTY)
    List<ReestimatedFinding> reestimated,
    @JsonProperty("segments") @JsonInclude(JsonInclude.Include.NON_EMPTY)
    List<SegmentReport> segments,
    @JsonProperty("experiments") @JsonInclude(JsonInclude.Include.NON_EMPTY)
    List<ExperimentReport> experiments,
    @JsonProperty("paid") @JsonInclude(JsonInclude.Include.NON_NULL) List<PaidGap> paid,
    @JsonProperty("processing") ProcessingRecord processing) {

  /** Lists absent from the data (a run written before they were recorded) read as empty. */
  public RunReportData {
    flagged = flagged == null ? List.of() : flagged;
    merchants = merchants == null ? List.of() : merchants;
    discounts = discounts == null ? List.of() : discounts;
    untested = untested == null ? List.of() : untested;
    reestimated = reestimated == null ? List.of() : reestimated;
    segments = segments == null ? List.of() : segments;
    experiments = experiments == null ? List.of() : experiments;
  }
}
