package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.run.InputCounts;

/**
 * The checked quotes counted in one aggregation, by quarantine reason, cohort and whether the
 * quote came before a full lookback: what the manifest and the report count the quotes by.
 *
 * @param counts the quotes read, valid and quarantined per reason
 * @param censored the valid quotes before a full lookback (not analysed)
 * @param byCohort the analysed quotes (valid, not censored) per cohort, by cohort name
 */
record QuoteTally(InputCounts counts, long censored, Map<String, Long> byCohort) {

  /** Counts {@code checked}: the quotes with their reason, cohort and censoring. */
  static QuoteTally of(Dataset<Row> checked) {
    Map<String, Long> reasons = new TreeMap<>();
    Map<String, Long> byCohort = new TreeMap<>();
    long censored = 0;
    for (Row r : checked
        .groupBy(col(Derived.REASON), col(Derived.COHORT), col(Derived.CENSORED)).count()
        .collectAsList()) {
      reasons.merge(r.isNullAt(0) ? InputCounts.VALID : r.getString(0), r.getLong(3), Long::sum);
      if (!r.isNullAt(0)) {
        continue;
      }
      if (r.getBoolean(2)) {
        censored += r.getLong(3);
      } else {
        byCohort.put(r.getString(1), r.getLong(3));
      }
    }
    return new QuoteTally(InputCounts.of(reasons), censored,
        Collections.unmodifiableMap(byCohort));
  }

  /** The quotes analysed: valid and after a full lookback. */
  long analysed() {
    return byCohort.values().stream().mapToLong(Long::longValue).sum();
  }
}
