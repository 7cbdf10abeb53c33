package org.loyaltypenalty.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;

/**
 * Types the quotes and gives each row that cannot be used a {@link QuarantineReason}.
 *
 * <p>Output columns: the canonical quote columns, typed ({@code quoted_at} timestamp,
 * {@code price} and {@code list_price} double, {@code quantity} long defaulting to 1,
 * {@code purchased} boolean, the rest trimmed strings; optional columns absent from the input
 * stay absent), plus {@code reason} and {@code raw}. Of rows sharing a {@code quote_id}, the
 * earliest (then cheapest, then by customer and SKU) valid one is kept.
 */
public final class QuoteValidator {
  private final AuditConfig config;

  public QuoteValidator(AuditConfig config) {
    this.config = config;
  }

  public Validated validate(Dataset<Row> in) {
    List<Column> reasons = new ArrayList<>();
    List<Column> typed = new ArrayList<>();

    Column quoteId = config.generateQuoteId() || !Parsing.has(in, Quotes.QUOTE_ID)
        ? substring(sha2(to_json(col(Derived.RAW)), 256), 1, 24)
        : Parsing.text(in, Quotes.QUOTE_ID);
    typed.add(quoteId.as(Quotes.QUOTE_ID));
    reasons.add(missing(quoteId, QuarantineReason.MISSING_QUOTE_ID));

    Column customer = Parsing.text(in, Quotes.CUSTOMER_ID);
    Column sku = Parsing.text(in, Quotes.SKU_ID);
    typed.add(customer.as(Quotes.CUSTOMER_ID));
    typed.add(sku.as(Quotes.SKU_ID));
    reasons.add(missing(customer, QuarantineReason.MISSING_CUSTOMER_ID));
    reasons.add(missing(sku, QuarantineReason.MISSING_SKU_ID));

    Column quotedAt = Parsing.timestamp(in, Quotes.QUOTED_AT);
    Column price = Parsing.finiteDouble(in, Quotes.PRICE);
    Column currency = Parsing.has(in, Quotes.CURRENCY)
        ? upper(Parsing.text(in, Quotes.CURRENCY))
        : lit(config.defaultCurrency().orElseThrow());
    typed.add(quotedAt.as(Quotes.QUOTED_AT));
    typed.add(price.as(Quotes.PRICE));
    typed.add(currency.as(Quotes.CURRENCY));
    reasons.add(when(Parsing.present(in, Quotes.QUOTED_AT).equalTo(false),
        lit(QuarantineReason.MISSING_QUOTED_AT.code())));
    reasons.add(when(Parsing.present(in, Quotes.PRICE).equalTo(false),
        lit(QuarantineReason.MISSING_PRICE.code())));
    reasons.add(missing(currency, QuarantineReason.MISSING_CURRENCY));
    reasons.add(when(quotedAt.isNull(), lit(QuarantineReason.UNPARSEABLE_QUOTED_AT.code())));
    reasons.add(when(price.isNull(), lit(QuarantineReason.UNPARSEABLE_PRICE.code())));
    reasons.add(when(currency.rlike("^[A-Z]{3}$").equalTo(false),
        lit(QuarantineReason.MALFORMED_CURRENCY.code())));
    reasons.add(when(price.leq(0), lit(QuarantineReason.NON_POSITIVE_PRICE.code())));

    if (Parsing.has(in, Quotes.QUANTITY)) {
      Column q = Parsing.wholeNumber(in, Quotes.QUANTITY);
      Column given = Parsing.present(in, Quotes.QUANTITY);
      typed.add(coalesce(q, lit(1L)).as(Quotes.QUANTITY));
      reasons.add(when(given.and(q.isNull()), lit(QuarantineReason.UNPARSEABLE_QUANTITY.code())));
      reasons.add(when(q.leq(0), lit(QuarantineReason.NON_POSITIVE_QUANTITY.code())));
    } else {
      typed.add(lit(1L).as(Quotes.QUANTITY));
    }
    if (Parsing.has(in, Quotes.LIST_PRICE)) {
      Column lp = Parsing.finiteDouble(in, Quotes.LIST_PRICE);
      typed.add(lp.as(Quotes.LIST_PRICE));
      reasons.add(when(Parsing.present(in, Quotes.LIST_PRICE).and(lp.isNull()),
          lit(QuarantineReason.UNPARSEABLE_LIST_PRICE.code())));
      reasons.add(when(lp.leq(0), lit(QuarantineReason.NON_POSITIVE_LIST_PRICE.code())));
    }
    if (Parsing.has(in, Quotes.PURCHASED)) {
      Column b = Parsing.bool(in, Quotes.PURCHASED);
      typed.add(coalesce(b, lit(false)).as(Quotes.PURCHASED));
      reasons.add(when(Parsing.present(in, Quotes.PURCHASED).and(b.isNull()),
          lit(QuarantineReason.UNPARSEABLE_PURCHASED.code())));
    }
    for (String c : List.of(Quotes.MERCHANT_ID, Quotes.CHANNEL, Quotes.DEVICE_OS, Quotes.REGION,
        Quotes.ORDER_ID)) {
      if (Parsing.has(in, c)) {
        typed.add(Parsing.text(in, c).as(c));
      }
    }
    if (!config.excludedSkus().isEmpty()) {
      reasons.add(when(sku.isin(config.excludedSkus().toArray()),
          lit(QuarantineReason.EXCLUDED_SKU.code())));
    }
    typed.add(coalesce(reasons.toArray(Column[]::new)).as(Derived.REASON));
    typed.add(col(Derived.RAW));

    Dataset<Row> first = in.select(typed.toArray(Column[]::new));
    WindowSpec sameId = Window.partitionBy(col(Quotes.QUOTE_ID), col(Derived.REASON).isNull())
        .orderBy(col(Quotes.QUOTED_AT), col(Quotes.PRICE), col(Quotes.CUSTOMER_ID), col(Quotes.SKU_ID));
    Column reason = when(col(Derived.REASON).isNull().and(row_number().over(sameId).gt(1)),
        lit(QuarantineReason.DUPLICATE_QUOTE_ID.code()))
        .otherwise(col(Derived.REASON));
    Dataset<Row> checked = first
        .withColumn(Derived.REASON, reason)
        .withColumn(Derived.RAW,
            when(col(Derived.REASON).isNotNull(), to_json(col(Derived.RAW)))
                .cast(DataTypes.StringType));
    return new Validated(checked, "quotes");
  }

  private static Column missing(Column value, QuarantineReason reason) {
    return when(value.isNull(), lit(reason.code()));
  }
}
