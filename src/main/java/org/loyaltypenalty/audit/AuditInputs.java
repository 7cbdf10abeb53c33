package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.cohort.PurchaseHistory;
import org.loyaltypenalty.cohort.PurchasesSource;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ColumnMapping;
import org.loyaltypenalty.config.Segments;
import org.loyaltypenalty.io.InputDescription;
import org.loyaltypenalty.io.InputFormat;
import org.loyaltypenalty.io.InputReader;
import org.loyaltypenalty.run.InputCounts;
import org.loyaltypenalty.spark.Concurrently;
import org.loyaltypenalty.validate.CustomerValidator;
import org.loyaltypenalty.validate.PurchaseValidator;
import org.loyaltypenalty.validate.QuoteValidator;
import org.loyaltypenalty.validate.Validated;

/**
 * The audit's first steps: the quotes read and checked in scope, the purchase history (the
 * purchases input checked, or the valid quotes), and the customers when a segment reads them,
 * with the counts and descriptions of each input the manifest reports, each input screened for
 * direct identifiers as it is read ({@link PrivacyLedger}). The cohort step reads
 * them; {@link #release()} drops what only it read.
 */
final class AuditInputs {
  private final InputReader reader;
  private final AuditConfig config;
  private final Progress progress;
  private final StorageLevel level;
  private final PrivacyLedger ledger;
  private InputReader.Input quotesIn;
  private QuoteValidator.Pending pending;
  /** The validated quotes when cached before the cohorts (no purchases input), else null. */
  private Validated validatedQuotes;
  private Optional<InputDescription> purchasesDescription = Optional.empty();
  private PurchasesSource purchasesSource;
  private InputCounts purchaseCounts = InputCounts.none();
  private Dataset<Row> checkedPurchases;
  private Dataset<Row> purchaseQuarantine;
  private Dataset<Row> history;
  private Optional<InputDescription> customersDescription = Optional.empty();
  private Optional<InputCounts> customerCounts = Optional.empty();
  /** The checked customers (cached), their quarantine and their valid rows; null without. */
  private Validated customers;

  AuditInputs(InputReader reader, AuditConfig config, Progress progress, StorageLevel level) {
    this.reader = reader;
    this.config = config;
    this.progress = progress;
    this.level = level;
    this.ledger = new PrivacyLedger(config, reader.key());
  }

  /** What personal data the inputs held: screened as each was read. */
  PrivacyLedger ledger() {
    return ledger;
  }

  /**
   * Reads the quotes and checks them in scope. Without a purchases input the history is the
   * valid quotes themselves: they are settled and cached before the cohorts; otherwise they
   * are checked in the pass that places them.
   */
  void readQuotes(AuditRequest request, AuditScope scope) {
    String path = request.quotesPath();
    progress.step(Step.READ_QUOTES, path);
    Dataset<Row> quotes = reader.quotes(path, request.quotesFormat());
    quotesIn = new InputReader.Input(quotes, screened("quotes", path, request.quotesFormat(),
        quotes, config.quoteColumns(),
        () -> pending = new QuoteValidator(config).check(quotes, scope.filter())));
    validatedQuotes = request.purchasesPath().isPresent() ? null : pending.settle(level);
  }

  /**
   * The description of an input read ({@code what} at {@code path}), its files hashed at the
   * same time as its rows are screened for direct identifiers and {@code check} runs: each
   * reads the input on its own.
   */
  private InputDescription screened(String what, String path, InputFormat format,
      Dataset<Row> rows, ColumnMapping mapping, Runnable check) {
    InputDescription[] description = new InputDescription[1];
    Concurrently.run(
        () -> description[0] = reader.describe(what, path, format),
        () -> ledger.screen(what, rows, mapping),
        check);
    return description[0];
  }

  /** The purchase history: the purchases input, checked, or the valid quotes. */
  void readPurchases(AuditRequest request) {
    if (request.purchasesPath().isPresent()) {
      String path = request.purchasesPath().get();
      progress.step(Step.READ_PURCHASES, path);
      Dataset<Row> purchases = reader.purchases(path, request.purchasesFormat());
      purchasesDescription = Optional.of(screened("purchases", path, request.purchasesFormat(),
          purchases, config.purchaseColumns(), () -> {
            checkedPurchases =
                new PurchaseValidator().validate(purchases).checked().persist(level);
            purchaseCounts = InputCounts.of(reasonCounts(checkedPurchases));
          }));
      purchasesSource = PurchasesSource.PURCHASES_INPUT;
      Validated checked = new Validated(checkedPurchases, "purchases");
      purchaseQuarantine = checked.quarantined();
      history = PurchaseHistory.fromPurchases(checked.valid());
    } else {
      purchasesSource = Arrays.asList(quotesIn.data().columns()).contains(Quotes.PURCHASED)
          ? PurchasesSource.PURCHASED_QUOTES : PurchasesSource.ORDERS_ONLY;
      history = PurchaseHistory.fromQuotes(validatedQuotes.valid());
    }
  }

  /**
   * The customers, when a configured segment reads them: only the columns the segments need,
   * checked ({@link CustomerValidator}); a birth year after the last valid quote's year is
   * implausible, so with the segment age that year is found first (from the cached quotes, or
   * in a pass over the checked quotes when they are settled with the cohorts).
   */
  void readCustomers(AuditRequest request) {
    List<String> needed = Segments.customerColumns(config);
    if (needed.isEmpty()) {
      request.customersPath().ifPresent(p -> progress.info("--customers " + p
          + " is not read: no configured segment reads it"));
      return;
    }
    Segments.requireCustomersInput(config, request.customersPath().isPresent());
    String path = request.customersPath().get();
    progress.step(Step.READ_CUSTOMERS, path, String.join(", ", needed));
    Dataset<Row> rows = reader.customers(path, request.customersFormat());
    customersDescription = Optional.of(screened("customers", path, request.customersFormat(),
        rows, config.customerColumns(), () -> {
          OptionalInt lastYear =
              Segments.age(config).isPresent() ? lastQuoteYear() : OptionalInt.empty();
          Validated checked = new CustomerValidator(config).validate(rows, lastYear);
          customers = new Validated(checked.checked().persist(level), checked.source());
          customerCounts = Optional.of(InputCounts.of(reasonCounts(customers.checked())));
        }));
    progress.info(String.format("%,d customers read, %,d valid, %,d quarantined",
        customerCounts.get().read(), customerCounts.get().valid(),
        customerCounts.get().quarantined()));
  }

  /**
   * The year, in input.timezone, of the last valid quote in scope (when the quotes are settled
   * with the cohorts, of the last quote that passes the row checks: the duplicates not yet
   * ranked can only make it later, so no plausible birth year is set aside); empty without one.
   */
  private OptionalInt lastQuoteYear() {
    Dataset<Row> valid = validatedQuotes != null ? validatedQuotes.valid()
        : pending.passingInScope();
    Row r = valid.agg(max(SegmentColumns.localYear(col(Quotes.QUOTED_AT), config.timezone())))
        .first();
    return r.isNullAt(0) ? OptionalInt.empty() : OptionalInt.of(r.getInt(0));
  }

  /**
   * Drops the validated quotes (when cached before the cohort step): once the quotes placed in
   * cohorts are cached, nothing reads them.
   */
  void releaseQuotes() {
    if (validatedQuotes != null) {
      validatedQuotes.release();
    }
  }

  /**
   * Drops what only the cohort step and the quarantine read: the validated quotes (as
   * {@link #releaseQuotes}), the checked purchases (without a purchases input, there are none)
   * and the checked customers (without segments that read them, none).
   */
  void release() {
    releaseQuotes();
    if (checkedPurchases != null) {
      checkedPurchases.unpersist();
    }
    if (customers != null) {
      customers.checked().unpersist();
    }
  }

  /**
   * With no purchase at all, the history starts with the first valid quote in scope: of the
   * validated quotes when they were settled already, else of the pending quotes settled over
   * their rows as they are (the input is read again; only for this rare case).
   */
  Instant earliestQuote() {
    Validated settled = validatedQuotes != null ? validatedQuotes
        : pending.settle(pending.rows(), level);
    Row r = settled.valid().agg(min(col(Quotes.QUOTED_AT))).first();
    if (validatedQuotes == null) {
      settled.release();
    }
    return r.isNullAt(0) ? Instant.EPOCH : ((Timestamp) r.get(0)).toInstant();
  }

  /** The quotes input as read. */
  InputDescription quotesDescription() {
    return quotesIn.description();
  }

  /** The quotes checked in scope, settled with the cohorts when not settled before. */
  QuoteValidator.Pending pending() {
    return pending;
  }

  /** The validated quotes when settled before the cohorts (no purchases input), else null. */
  Validated validatedQuotes() {
    return validatedQuotes;
  }

  Optional<InputDescription> purchasesDescription() {
    return purchasesDescription;
  }

  PurchasesSource purchasesSource() {
    return purchasesSource;
  }

  InputCounts purchaseCounts() {
    return purchaseCounts;
  }

  /** The purchases input's quarantined rows; null without a purchases input. */
  Dataset<Row> purchaseQuarantine() {
    return purchaseQuarantine;
  }

  /** The purchase history, lazily: one row per purchase, read once (CohortAssigner#gather). */
  Dataset<Row> history() {
    return history;
  }

  Optional<InputDescription> customersDescription() {
    return customersDescription;
  }

  Optional<InputCounts> customerCounts() {
    return customerCounts;
  }

  /** The checked customers; null when no segment reads them. */
  Validated customers() {
    return customers;
  }

  /** Rows of a checked input per quarantine reason, {@link InputCounts#VALID} for valid rows. */
  private static Map<String, Long> reasonCounts(Dataset<Row> checked) {
    Map<String, Long> reasons = new TreeMap<>();
    for (Row r : checked.groupBy(col(Derived.REASON)).count().collectAsList()) {
      reasons.put(r.isNullAt(0) ? InputCounts.VALID : r.getString(0), r.getLong(1));
    }
    return reasons;
  }
}
