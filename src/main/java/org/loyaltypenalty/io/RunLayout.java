package org.loyaltypenalty.io;

import java.time.LocalDate;
import org.apache.hadoop.fs.Path;

/**
 * The name of every output a run writes, relative to its directory: an audit's {@code --out},
 * or a night's {@code runs/<date>/} under the nightly history, beside the history's tables.
 * Sinks, the commands and the report name outputs only through these.
 */
public final class RunLayout {
  private RunLayout() {}

  /** Delta table of the findings (one audit). */
  public static final String FINDINGS = "findings";
  /** The findings as one formula-safe CSV file. */
  public static final String FINDINGS_CSV = "findings.csv";
  /** Delta table of the quarantined rows (one audit). */
  public static final String QUARANTINE = "quarantine";
  /** The quarantine as one formula-safe CSV file, capped (for an analyst without Spark). */
  public static final String QUARANTINE_CSV = "quarantine.csv";
  /** The run manifest, written last: a run whose manifest exists wrote everything. */
  public static final String MANIFEST = "manifest.json";
  /** What the report is rendered from (aggregates only), for re-rendering without Spark. */
  public static final String REPORT_DATA = "report-data.json";
  /** The folder of the rendered report. */
  public static final String REPORT_DIR = "report";
  /** File names inside {@link #REPORT_DIR}. */
  public static final String HTML = "index.html";
  public static final String PDF = "report.pdf";
  public static final String JSON = "report.json";
  public static final String ANNEX = "evidence-annex.csv";
  /**
   * The evidence annex's data, beside the report data: every flagged comparison's rows with
   * their groups' customer counts; the report publishes {@link #ANNEX} from it.
   */
  public static final String ANNEX_DATA = "evidence-annex-data.csv";
  /** The evidence annex's matched pairs, in {@link #REPORT_DIR}: published from {@link #PAIRS_DATA}. */
  public static final String PAIRS = "evidence-pairs.csv";
  /**
   * The matched pairs' data, beside the report data: every flagged comparison's pairs with their
   * groups' customer counts; the report publishes {@link #PAIRS} from it.
   */
  public static final String PAIRS_DATA = "evidence-pairs-data.csv";
  /** Nightly: the night's changes of penalty status, as CSV. */
  public static final String PENALTY_CHANGES_CSV = "penalty_changes.csv";
  /** Nightly history tables (Delta, partitioned by run date) under the history directory. */
  public static final String FINDINGS_HISTORY = "findings_history";
  public static final String QUARANTINE_HISTORY = "quarantine_history";
  public static final String PENALTY_STATUS = "penalty_status";
  /**
   * Nightly: the SHA-256 of each input file the last night read, under the history directory
   * ({@link RecordedChecksums}).
   */
  public static final String INPUT_CHECKSUMS = "input_checksums.json";
  /** Nightly: the folder of each night's run directory under the history directory. */
  public static final String RUNS = "runs";

  /** A file of the report folder, relative to the run directory. */
  public static String inReport(String file) {
    return REPORT_DIR + "/" + file;
  }

  /** The run directory of one night under a history directory. */
  public static String nightRun(String historyDir, LocalDate date) {
    return new Path(new Path(historyDir, RUNS), date.toString()).toString();
  }
}
