package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The manifest's {@code results}: SKU comparisons tested and flagged, merchant roll-ups flagged,
 * the placebo check, and the quality of the run ({@link RunQuality}).
 *
 * @param skusFlagged distinct SKUs with a flagged comparison
 */
@JsonPropertyOrder({"sku_comparisons", "sku_comparisons_tested",
    "sku_comparisons_insufficient_data", "sku_comparisons_flagged", "skus_flagged",
    "merchant_rollups_flagged", "placebo", "quality"})
public record RunResults(
    @JsonProperty("sku_comparisons") long skuComparisons,
    @JsonProperty("sku_comparisons_tested") long skuComparisonsTested,
    @JsonProperty("sku_comparisons_flagged") long skuComparisonsFlagged,
    @JsonProperty("skus_flagged") long skusFlagged,
    @JsonProperty("merchant_rollups_flagged") long merchantRollupsFlagged,
    @JsonProperty("placebo") Placebo placebo,
    @JsonProperty("quality") RunQuality quality) {

  @JsonProperty("sku_comparisons_insufficient_data")
  public long skuComparisonsInsufficientData() {
    return skuComparisons - skuComparisonsTested;
  }

  /**
   * The placebo check (the placebo check of the audit): comparisons between two random halves of the new
   * customers, tested and flagged as the real ones are.
   *
   * @param shareBelow005 share of the tested placebo p-values below 0.05; null when none tested
   */
  @JsonPropertyOrder({"seed", "sku_comparisons", "tested", "flagged", "share_p_below_0_05"})
  public record Placebo(
      @JsonProperty("seed") long seed,
      @JsonProperty("sku_comparisons") long skuComparisons,
      @JsonProperty("tested") long tested,
      @JsonProperty("flagged") long flagged,
      @JsonProperty("share_p_below_0_05") Double shareBelow005) {}
}
