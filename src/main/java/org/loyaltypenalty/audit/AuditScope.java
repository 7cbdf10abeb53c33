package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.loyaltypenalty.Columns.Quotes;

/**
 * Which quotes an audit covers: all of the log, or those of a time window (a nightly run's day).
 *
 * @param from when present, only quotes at or after this instant
 * @param until when present, only quotes before this instant
 */
public record AuditScope(Optional<Instant> from, Optional<Instant> until) {
  /** Every quote of the log. */
  public static AuditScope everything() {
    return new AuditScope(Optional.empty(), Optional.empty());
  }

  /** The quotes of {@code [from, until)}. */
  public static AuditScope between(Instant from, Instant until) {
    return new AuditScope(Optional.of(from), Optional.of(until));
  }

  /** Whether the scope is a window (then a scope without a valid quote is refused). */
  public boolean bounded() {
    return from.isPresent() || until.isPresent();
  }

  /** The quotes in scope, and those that cannot be dated (so nothing is lost: they are
   * quarantined in every scope). */
  Column filter() {
    Column keep = lit(true);
    if (from.isPresent()) {
      keep = keep.and(col(Quotes.QUOTED_AT).geq(lit(Timestamp.from(from.get()))));
    }
    if (until.isPresent()) {
      keep = keep.and(col(Quotes.QUOTED_AT).lt(lit(Timestamp.from(until.get()))));
    }
    return bounded() ? col(Quotes.QUOTED_AT).isNull().or(keep) : keep;
  }
}
