package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The check of disclosed offers in one run ({@code offers.disclosed}), as the manifest and the
 * report data carry it; absent from both when no offer is disclosed.
 *
 * @param offersDisclosed the offer ids the config lists, sorted
 * @param quotesWithOffer analysed quotes with an {@code offer_id}, disclosed or not
 * @param quotesWithDisclosedOffer analysed quotes whose {@code offer_id} is a disclosed offer
 * @param skuComparisonsReestimated flagged SKU comparisons estimated again without the quotes
 *     that carry a disclosed offer (those of a SKU where such a quote occurs)
 * @param skuComparisonsExplained of those, the ones no longer flagged:
 *     {@code explained_by_disclosed_offer}
 * @param merchantRollupsReestimated flagged merchant roll-ups pooled again over their SKU
 *     estimates without those quotes (those pooling a SKU where such a quote occurs)
 * @param merchantRollupsExplained of those, the ones no longer flagged
 *
 * <p>The four counts are of the loyalty cohort's unit-price comparisons: the rows the report
 * lists in its section on disclosed offers.
 */
@JsonPropertyOrder({"offers_disclosed", "quotes_with_offer", "quotes_with_disclosed_offer",
    "sku_comparisons_reestimated", "sku_comparisons_explained", "merchant_rollups_reestimated",
    "merchant_rollups_explained"})
public record DisclosedOffers(
    @JsonProperty("offers_disclosed") List<String> offersDisclosed,
    @JsonProperty("quotes_with_offer") long quotesWithOffer,
    @JsonProperty("quotes_with_disclosed_offer") long quotesWithDisclosedOffer,
    @JsonProperty("sku_comparisons_reestimated") long skuComparisonsReestimated,
    @JsonProperty("sku_comparisons_explained") long skuComparisonsExplained,
    @JsonProperty("merchant_rollups_reestimated") long merchantRollupsReestimated,
    @JsonProperty("merchant_rollups_explained") long merchantRollupsExplained) {

  public DisclosedOffers {
    offersDisclosed = offersDisclosed == null ? List.of() : List.copyOf(offersDisclosed);
  }
}
