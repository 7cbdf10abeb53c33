package org.loyaltypenalty.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Customers;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.Segments;
import org.loyaltypenalty.segment.SegmentSource;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * Types the customers input (as {@code InputReader.readCustomers} reads it: {@code customer_id}
 * and the columns the configured segments need) and gives each row that cannot be used a
 * {@link QuarantineReason}, the first that applies:
 *
 * <ol>
 *   <li>{@code missing_customer_id}: no id to join the quotes on;
 *   <li>{@code unparseable_birth_year}: a birth year that is not a whole number;
 *   <li>{@code implausible_birth_year}: before {@value #EARLIEST_BIRTH_YEAR}, or after the year
 *       (in {@code input.timezone}) of the audit's last valid quote: nobody quoted was born
 *       after it;
 *   <li>{@code conflicting_customer_id}: of the rows that pass these checks, every row of a
 *       customer id listed with different values (no row is preferred over another: the
 *       customer's attributes are unknown, and the customer's quotes stay valid, left out of
 *       these segments' comparisons).
 * </ol>
 *
 * <p>An empty value is not an error: the attribute is unknown for that customer. A customer
 * listed more than once with the same values (after trimming and lower-casing, the form the
 * segments compare) is valid on every row: each row counts in {@code customers_valid}, and
 * {@code SegmentColumns} joins the customer once.
 *
 * <p>The output has {@code customer_id}, one column {@link Derived#segment} per customers
 * segment (trimmed, lower case, null when empty), {@code birth_year} (an integer, when the
 * segment {@code age} is configured), the reason, and for quarantined rows the row as read in
 * JSON (only the columns read: the rest of the table is never loaded; the birth year left out).
 */
public final class CustomerValidator {
  /** The earliest plausible birth year. */
  public static final int EARLIEST_BIRTH_YEAR = 1900;

  private final AuditConfig config;

  public CustomerValidator(AuditConfig config) {
    this.config = config;
  }

  /**
   * @param lastQuoteYear the year of the audit's last valid quote in {@code input.timezone};
   *     empty when there is none (only the earliest year is then checked)
   */
  public Validated validate(Dataset<Row> input, OptionalInt lastQuoteYear) {
    Parsing.Frame in = new Parsing.Frame(input, config.numbers());
    List<Column> typed = new ArrayList<>();
    List<Column> values = new ArrayList<>();
    Column customer = in.text(Customers.CUSTOMER_ID);
    typed.add(customer.as(Customers.CUSTOMER_ID));
    for (SegmentSpec s : Segments.from(config, SegmentSource.CUSTOMERS)) {
      String name = Derived.segment(s.name());
      typed.add(lower(in.text(s.name())).as(name));
      values.add(col(name));
    }
    List<Column> reasons = new ArrayList<>();
    reasons.add(when(customer.isNull(), lit(QuarantineReason.MISSING_CUSTOMER_ID.code())));
    if (Segments.age(config).isPresent()) {
      Column year = in.wholeNumber(Customers.BIRTH_YEAR);
      Column late = lastQuoteYear.isPresent() ? year.gt(lastQuoteYear.getAsInt()) : lit(false);
      reasons.add(when(in.present(Customers.BIRTH_YEAR).and(year.isNull()),
          lit(QuarantineReason.UNPARSEABLE_BIRTH_YEAR.code())));
      reasons.add(when(year.lt(EARLIEST_BIRTH_YEAR).or(late),
          lit(QuarantineReason.IMPLAUSIBLE_BIRTH_YEAR.code())));
      // a valid year is from 1900 to the last quote's: an integer
      typed.add(when(year.geq(EARLIEST_BIRTH_YEAR).and(late.equalTo(false)), year)
          .cast(DataTypes.IntegerType).as(Customers.BIRTH_YEAR));
      values.add(col(Customers.BIRTH_YEAR));
    }
    typed.add(coalesce(reasons.toArray(Column[]::new)).as(Derived.REASON));
    // a birth year is an attribute's raw value: it never reaches an output, not even the
    // quarantine (the reason says what was wrong with it)
    typed.add(Segments.age(config).isPresent()
        ? col(Derived.RAW).dropFields(scala.jdk.javaapi.CollectionConverters.asScala(List.of(
            "`" + config.customerColumns().source(Customers.BIRTH_YEAR).replace("`", "``") + "`"))
            .toList()).as(Derived.RAW)
        : col(Derived.RAW));
    Dataset<Row> first = in.select(typed.toArray(Column[]::new));

    // the distinct value tuples of the rows without a reason, per customer id: a struct is
    // never null, so a value given on one row and empty on another is a conflict too
    Column distinctValues = size(collect_set(when(col(Derived.REASON).isNull(),
        struct(values.toArray(Column[]::new)))).over(Window.partitionBy(
            col(Customers.CUSTOMER_ID))));
    Column reason = coalesce(col(Derived.REASON), when(distinctValues.gt(1),
        lit(QuarantineReason.CONFLICTING_CUSTOMER_ID.code())));
    Dataset<Row> checked = first
        .withColumn(Derived.REASON, reason)
        .withColumn(Derived.RAW, when(col(Derived.REASON).isNotNull(), to_json(col(Derived.RAW)))
            .cast(DataTypes.StringType));
    return new Validated(checked, "customers");
  }
}
