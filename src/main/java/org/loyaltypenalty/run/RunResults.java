package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The manifest's {@code results}: SKU comparisons tested and flagged, merchant roll-ups flagged,
 * the independent filter of the false discovery rate family, the placebo check, and the quality
 * of the run ({@link RunQuality}).
 *
 * @param skusFlagged distinct SKUs with a flagged comparison
 */
@JsonPropertyOrder({"sku_comparisons", "sku_comparisons_tested",
    "sku_comparisons_insufficient_data", "sku_comparisons_flagged", "skus_flagged",
    "merchant_rollups_flagged", "family_filter", "placebo", "quality"})
public record RunResults(
    @JsonProperty("sku_comparisons") long skuComparisons,
    @JsonProperty("sku_comparisons_tested") long skuComparisonsTested,
    @JsonProperty("sku_comparisons_flagged") long skuComparisonsFlagged,
    @JsonProperty("skus_flagged") long skusFlagged,
    @JsonProperty("merchant_rollups_flagged") long merchantRollupsFlagged,
    @JsonProperty("family_filter") FamilyFilter familyFilter,
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

  /**
   * What the independent filter of the false discovery rate family removed ({@code
   * test.family_min_customers}, {@link org.loyaltypenalty.stats.FamilyFilter}).
   *
   * @param minCustomers the threshold: fewest customers on the smaller side of a test in the family
   * @param tested tests with a p-value (SKU comparisons and merchant roll-ups)
   * @param inFamily tests in the Benjamini-Hochberg family
   * @param skuComparisonsLeftOut SKU comparisons tested but left out of the family
   */
  @JsonPropertyOrder({"min_customers", "tested", "in_family", "left_out",
      "sku_comparisons_left_out"})
  public record FamilyFilter(
      @JsonProperty("min_customers") int minCustomers,
      @JsonProperty("tested") long tested,
      @JsonProperty("in_family") long inFamily,
      @JsonProperty("sku_comparisons_left_out") long skuComparisonsLeftOut) {

    /** Tests (SKU and merchant) left out of the family. */
    @JsonProperty("left_out")
    public long leftOut() {
      return tested - inFamily;
    }
  }
}
