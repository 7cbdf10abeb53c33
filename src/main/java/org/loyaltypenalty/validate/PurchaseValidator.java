package org.loyaltypenalty.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Purchases;

/**
 * Types the purchases input: {@code customer_id} and {@code order_id} trimmed strings,
 * {@code purchased_at} a timestamp. A row without a customer or a readable time is quarantined.
 */
public final class PurchaseValidator {

  public Validated validate(Dataset<Row> input) {
    Parsing.Frame in = new Parsing.Frame(input);
    Column customer = in.text(Purchases.CUSTOMER_ID);
    Column at = in.timestamp(Purchases.PURCHASED_AT);
    List<Column> out = new ArrayList<>();
    out.add(customer.as(Purchases.CUSTOMER_ID));
    out.add(at.as(Purchases.PURCHASED_AT));
    if (in.has(Purchases.ORDER_ID)) {
      out.add(in.text(Purchases.ORDER_ID).as(Purchases.ORDER_ID));
    }
    Column reason = coalesce(
        when(customer.isNull(), lit(QuarantineReason.MISSING_CUSTOMER_ID.code())),
        when(in.present(Purchases.PURCHASED_AT).equalTo(false),
            lit(QuarantineReason.MISSING_PURCHASED_AT.code())),
        in.timestampProblem(Purchases.PURCHASED_AT, QuarantineReason.UNPARSEABLE_PURCHASED_AT,
            QuarantineReason.INCOMPLETE_PURCHASED_AT,
            QuarantineReason.AMBIGUOUS_PURCHASED_AT_ZONE,
            QuarantineReason.IMPLAUSIBLE_PURCHASED_AT));
    out.add(reason.as(Derived.REASON));
    out.add(when(reason.isNotNull(), to_json(col(Derived.RAW))).cast(DataTypes.StringType)
        .as(Derived.RAW));
    return new Validated(in.select(out.toArray(Column[]::new)), "purchases");
  }
}
