package org.loyaltypenalty.validate;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns;

/**
 * Every row of an input, typed, with its quarantine reason (null for a valid row) and, for
 * quarantined rows, the row as read in JSON; {@code cached} lists what was cached to compute it.
 * {@link #valid()} and {@link #quarantined()} split it; together they hold every row read, so the
 * counts reconcile by construction.
 */
public record Validated(Dataset<Row> checked, String source, List<Dataset<Row>> cached) {

  /** Rows that are not cached by the validator. */
  public Validated(Dataset<Row> checked, String source) {
    this(checked, source, List.of());
  }

  /** Drops what the validator cached; {@link #checked()} must not be used after. */
  public void release() {
    cached.forEach(Dataset::unpersist);
  }

  public Dataset<Row> valid() {
    return checked.filter(col(Columns.Derived.REASON).isNull())
        .drop(Columns.Derived.REASON, Columns.Derived.RAW);
  }

  /** Quarantined rows as (source, reason, raw). */
  public Dataset<Row> quarantined() {
    return checked.filter(col(Columns.Derived.REASON).isNotNull())
        .select(
            org.apache.spark.sql.functions.lit(source).as(Columns.Derived.SOURCE),
            col(Columns.Derived.REASON),
            col(Columns.Derived.RAW));
  }
}
