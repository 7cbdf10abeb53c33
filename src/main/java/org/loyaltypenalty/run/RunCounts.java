package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import org.loyaltypenalty.cohort.PurchasesSource;

/**
 * The manifest's {@code counts}: what was read, kept and analysed. They reconcile:
 * {@code quotes_read = quotes_valid + quotes_quarantined}, the reasons sum to the quarantined
 * rows, and so for purchases and customers.
 *
 * @param purchasesSource where the purchase history came from
 * @param purchases the purchases input's rows (all 0 without one)
 * @param purchasesDistinct distinct purchases in the history the cohorts are read from
 * @param quotes the quote rows in the run's scope
 * @param quotesCohortCensored valid quotes before a full lookback of history: not analysed
 * @param quotesByCohort analysed quotes per cohort code
 * @param quarantineCsv the quarantine's CSV copy: rows written, rows in the quarantine, the cap
 * @param customers the customers input's rows, when one was read (the manifest's
 *     {@code customers_*} keys are left out otherwise)
 */
@JsonPropertyOrder({"purchases_source", "purchases_read", "purchases_valid",
    "purchases_quarantined", "purchase_quarantine_reasons", "purchases_distinct",
    "customers_read", "customers_valid", "customers_quarantined", "customer_quarantine_reasons",
    "quotes_read",
    "quotes_valid", "quotes_quarantined", "quarantine_reasons", "quotes_cohort_censored",
    "quotes_analysed", "quotes_by_cohort", "quarantine_csv", "customers_analysed",
    "sku_currency_pairs", "merchants"})
public record RunCounts(
    @JsonIgnore PurchasesSource purchasesSource,
    @JsonIgnore InputCounts purchases,
    @JsonProperty("purchases_distinct") long purchasesDistinct,
    @JsonIgnore InputCounts quotes,
    @JsonProperty("quotes_cohort_censored") long quotesCohortCensored,
    @JsonProperty("quotes_by_cohort") Map<String, Long> quotesByCohort,
    @JsonProperty("quarantine_csv") Map<String, Object> quarantineCsv,
    @JsonProperty("customers_analysed") long customersAnalysed,
    @JsonProperty("sku_currency_pairs") long skuCurrencyPairs,
    @JsonProperty("merchants") long merchants,
    @JsonIgnore java.util.Optional<InputCounts> customers) {

  /** Counts of a run without a customers input. */
  public RunCounts(PurchasesSource purchasesSource, InputCounts purchases, long purchasesDistinct,
      InputCounts quotes, long quotesCohortCensored, Map<String, Long> quotesByCohort,
      Map<String, Object> quarantineCsv, long customersAnalysed, long skuCurrencyPairs,
      long merchants) {
    this(purchasesSource, purchases, purchasesDistinct, quotes, quotesCohortCensored,
        quotesByCohort, quarantineCsv, customersAnalysed, skuCurrencyPairs, merchants,
        java.util.Optional.empty());
  }

  /**
   * The counts as the manifest and the report data write them, read back. A run written before
   * a key existed reads 0 for its count (none for the customers input), and a source whose label
   * no {@link PurchasesSource} has reads null.
   */
  @JsonCreator
  public static RunCounts fromJson(
      @JsonProperty("purchases_source") String purchasesSource,
      @JsonProperty("purchases_read") long purchasesRead,
      @JsonProperty("purchases_valid") long purchasesValid,
      @JsonProperty("purchases_quarantined") long purchasesQuarantined,
      @JsonProperty("purchase_quarantine_reasons") Map<String, Long> purchaseReasons,
      @JsonProperty("purchases_distinct") long purchasesDistinct,
      @JsonProperty("customers_read") Long customersRead,
      @JsonProperty("customers_valid") long customersValid,
      @JsonProperty("customers_quarantined") long customersQuarantined,
      @JsonProperty("customer_quarantine_reasons") Map<String, Long> customerReasons,
      @JsonProperty("quotes_read") long quotesRead,
      @JsonProperty("quotes_valid") long quotesValid,
      @JsonProperty("quotes_quarantined") long quotesQuarantined,
      @JsonProperty("quarantine_reasons") Map<String, Long> quoteReasons,
      @JsonProperty("quotes_cohort_censored") long quotesCohortCensored,
      @JsonProperty("quotes_by_cohort") Map<String, Long> quotesByCohort,
      @JsonProperty("quarantine_csv") Map<String, Object> quarantineCsv,
      @JsonProperty("customers_analysed") long customersAnalysed,
      @JsonProperty("sku_currency_pairs") long skuCurrencyPairs,
      @JsonProperty("merchants") long merchants) {
    return new RunCounts(PurchasesSource.ofLabel(purchasesSource),
        inputCounts(purchasesRead, purchasesValid, purchasesQuarantined, purchaseReasons),
        purchasesDistinct,
        inputCounts(quotesRead, quotesValid, quotesQuarantined, quoteReasons),
        quotesCohortCensored, quotesByCohort == null ? Map.of() : quotesByCohort, quarantineCsv,
        customersAnalysed, skuCurrencyPairs, merchants, customersRead == null
            ? java.util.Optional.empty()
            : java.util.Optional.of(inputCounts(customersRead, customersValid,
                customersQuarantined, customerReasons)));
  }

  private static InputCounts inputCounts(long read, long valid, long quarantined,
      Map<String, Long> reasons) {
    return new InputCounts(read, valid, quarantined, reasons == null ? Map.of() : reasons);
  }

  @JsonProperty("customers_read")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Long customersRead() {
    return customers.map(InputCounts::read).orElse(null);
  }

  @JsonProperty("customers_valid")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Long customersValid() {
    return customers.map(InputCounts::valid).orElse(null);
  }

  @JsonProperty("customers_quarantined")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Long customersQuarantined() {
    return customers.map(InputCounts::quarantined).orElse(null);
  }

  /** Customers rows per quarantine reason; only with a customers input. */
  @JsonProperty("customer_quarantine_reasons")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Map<String, Long> customerQuarantineReasons() {
    return customers.map(InputCounts::reasons).orElse(null);
  }

  /** The manifest's words for {@link #purchasesSource}; null when that is unknown. */
  @JsonProperty("purchases_source")
  public String purchasesSourceLabel() {
    return purchasesSource == null ? null : purchasesSource.label();
  }

  @JsonProperty("purchases_read")
  public long purchasesRead() {
    return purchases.read();
  }

  @JsonProperty("purchases_valid")
  public long purchasesValid() {
    return purchases.valid();
  }

  @JsonProperty("purchases_quarantined")
  public long purchasesQuarantined() {
    return purchases.quarantined();
  }

  /** Only with a purchases input (null, and left out of the manifest, otherwise). */
  @JsonProperty("purchase_quarantine_reasons")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Map<String, Long> purchaseQuarantineReasons() {
    return purchasesSource == PurchasesSource.PURCHASES_INPUT ? purchases.reasons() : null;
  }

  @JsonProperty("quotes_read")
  public long quotesRead() {
    return quotes.read();
  }

  @JsonProperty("quotes_valid")
  public long quotesValid() {
    return quotes.valid();
  }

  @JsonProperty("quotes_quarantined")
  public long quotesQuarantined() {
    return quotes.quarantined();
  }

  @JsonProperty("quarantine_reasons")
  public Map<String, Long> quarantineReasons() {
    return quotes.reasons();
  }

  @JsonProperty("quotes_analysed")
  public long quotesAnalysed() {
    return quotesByCohort.values().stream().mapToLong(Long::longValue).sum();
  }
}
