package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns.Customers;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.Segments;
import org.loyaltypenalty.segment.AgeBands;
import org.loyaltypenalty.segment.SegmentSource;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * Adds to the quotes one column {@link Derived#segment} per configured segment: a quote's level
 * in it, a string, trimmed and in lower case, null when unknown. A quotes segment is the quote's
 * own column (as of the quote's time); a customers segment comes from the valid customers, joined
 * on {@code customer_id} (a quote whose customer is not in the table, or whose value is empty or
 * quarantined, has null); {@code age} is the quote's year in {@code input.timezone} less the
 * customer's {@code birth_year}, cut into {@link AgeBands}. The birth year is read here and
 * dropped here: no later step, and no output, holds it.
 */
public final class SegmentColumns {
  private static final String JOIN_ID = "__segment_customer_id";
  private static final String BIRTH_YEAR = "__segment_birth_year";

  private final AuditConfig config;

  public SegmentColumns(AuditConfig config) {
    this.config = config;
  }

  /** The segment columns the configured segments add, in the configured order. */
  public List<String> columns() {
    return config.segments().stream().map(s -> Derived.segment(s.name())).toList();
  }

  /**
   * {@code quotes} with the segment columns added, one row for each row of {@code quotes}.
   *
   * @param customers the valid customers ({@code CustomerValidator}'s valid rows: customer id,
   *     the customers segments' columns and the birth year); null when no segment reads them
   */
  public Dataset<Row> attach(Dataset<Row> quotes, Dataset<Row> customers) {
    Dataset<Row> out = quotes;
    for (SegmentSpec s : Segments.from(config, SegmentSource.QUOTES)) {
      out = out.withColumn(Derived.segment(s.name()), level(col(s.name())));
    }
    List<SegmentSpec> fromCustomers = Segments.from(config, SegmentSource.CUSTOMERS);
    java.util.Optional<SegmentSpec> age = Segments.age(config);
    if (fromCustomers.isEmpty() && age.isEmpty()) {
      return out;
    }
    if (customers == null) {
      throw new IllegalStateException("the segments " + config.segments()
          + " read the customers, and none were given");
    }
    List<Column> picked = new ArrayList<>();
    picked.add(col(Customers.CUSTOMER_ID).as(JOIN_ID));
    fromCustomers.forEach(s -> picked.add(col(Derived.segment(s.name()))));
    if (age.isPresent()) {
      picked.add(col(Customers.BIRTH_YEAR).as(BIRTH_YEAR));
    }
    // one row per customer: the valid rows of a customer listed twice hold the same values
    Dataset<Row> table = customers.select(picked.toArray(Column[]::new)).dropDuplicates(JOIN_ID);
    out = out.join(table, col(Quotes.CUSTOMER_ID).equalTo(col(JOIN_ID)), "left").drop(JOIN_ID);
    if (age.isPresent()) {
      Column ageInYears = localYear(col(Quotes.QUOTED_AT), config.timezone())
          .minus(col(BIRTH_YEAR));
      out = out.withColumn(Derived.segment(SegmentSpec.AGE), AgeBands.of(age.get())
          .label(ageInYears)).drop(BIRTH_YEAR);
    }
    // the configured order, after the quotes' own columns
    List<Column> ordered = new ArrayList<>();
    for (String c : out.columns()) {
      if (!columns().contains(c)) {
        ordered.add(col(c));
      }
    }
    columns().forEach(c -> ordered.add(col(c)));
    return out.select(ordered.toArray(Column[]::new));
  }

  /** A segment level: the value as text, trimmed, in lower case; null when empty. */
  public static Column level(Column value) {
    Column t = lower(trim(value.cast(DataTypes.StringType)));
    return when(t.notEqual(lit("")), t);
  }

  /**
   * The calendar year of {@code instant} in {@code zone}, whatever the session's time zone: the
   * local wall time's day number, as a date (a date's year does not depend on a zone).
   */
  public static Column localYear(Column instant, ZoneId zone) {
    Column localSeconds = unix_seconds(from_utc_timestamp(instant, zone.getId()));
    return year(date_from_unix_date(floor(localSeconds.divide(86400)).cast(DataTypes.IntegerType)));
  }
}
