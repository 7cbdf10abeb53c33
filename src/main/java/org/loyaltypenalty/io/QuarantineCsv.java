package org.loyaltypenalty.io;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns;

/**
 * The quarantine as one CSV file beside its Delta table, for an analyst without Spark: the same
 * columns, formula-safe like {@code findings.csv} ({@link OutputWriter#writeCsv}), at most
 * {@link #MAX_ROWS} rows, the first in the order (source, reason, raw) so that a run writes the
 * same file again. The manifest records how many rows it holds of how many.
 */
public final class QuarantineCsv {
  public static final String FILE = RunLayout.QUARANTINE_CSV;
  /** Rows a spreadsheet opens comfortably (Excel's limit is 1,048,576); the rest are counted. */
  public static final int MAX_ROWS = 100_000;

  private QuarantineCsv() {}

  /**
   * Writes the first {@link #MAX_ROWS} rows of {@code quarantine} into {@code sink}'s run files
   * and returns the manifest's entry: rows written, rows in the quarantine, the cap.
   *
   * @param rows the rows in {@code quarantine} (known from the run's counts)
   */
  public static Map<String, Object> write(AuditSink sink, Dataset<Row> quarantine, long rows) {
    return write(sink, quarantine, rows, MAX_ROWS);
  }

  /** {@link #write(AuditSink, Dataset, long)} with a cap of {@code maxRows}. */
  static Map<String, Object> write(AuditSink sink, Dataset<Row> quarantine, long rows,
      int maxRows) {
    Dataset<Row> first = quarantine
        .orderBy(col(Columns.Derived.SOURCE), col(Columns.Derived.REASON), col(Columns.Derived.RAW))
        .limit(maxRows);
    sink.writeCsv(FILE, first);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("rows_written", Math.min(rows, maxRows));
    entry.put("rows_in_quarantine", rows);
    entry.put("max_rows", maxRows);
    return entry;
  }
}
