package org.loyaltypenalty.io;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.run.NightlyReport;

/**
 * Where a run's outputs go. {@link DirectorySink} writes one audit's outputs under one directory;
 * the nightly job writes the findings into a history table partitioned by run date and the
 * manifest and report under {@code runs/<date>/}.
 */
public interface AuditSink {
  /** Replaces this run's findings. */
  void writeFindings(Dataset<Row> findings);

  /** Replaces this run's quarantined rows. */
  void writeQuarantine(Dataset<Row> quarantine);

  /** The writer of this run's small files (manifest, report, annex), under its own directory. */
  OutputWriter runFiles();

  /** Writes a small text output of this run (manifest, report), replacing it. */
  default void writeText(String name, String content) {
    runFiles().writeText(name, content);
  }

  /** Writes a small binary output of this run (the PDF report), replacing it. */
  default void writeBytes(String name, byte[] content) {
    runFiles().writeBytes(name, content);
  }

  /** Writes a small table of this run as one formula-safe CSV file, replacing it. */
  default void writeCsv(String name, Dataset<Row> rows) {
    runFiles().writeCsv(rows, name);
  }

  /** Removes a small output of this run if it is there (the manifest, before a run rewrites). */
  default void remove(String name) {
    runFiles().delete(name);
  }

  /** Where an output of this run is, for the manifest and the summary. */
  default String location(String output) {
    return runFiles().path(output);
  }

  /**
   * Every output of a run by its manifest key, where this sink puts it: the manifest's
   * {@code outputs}, in a fixed order.
   */
  default java.util.Map<String, String> outputs() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    out.put("findings", location(RunLayout.FINDINGS));
    out.put("findings_csv", location(RunLayout.FINDINGS_CSV));
    out.put("quarantine", location(RunLayout.QUARANTINE));
    out.put("quarantine_csv", location(RunLayout.QUARANTINE_CSV));
    out.put("report", location(RunLayout.inReport(RunLayout.HTML)));
    out.put("report_pdf", location(RunLayout.inReport(RunLayout.PDF)));
    out.put("report_json", location(RunLayout.inReport(RunLayout.JSON)));
    out.put("evidence_annex", location(RunLayout.inReport(RunLayout.ANNEX)));
    out.put("report_data", location(RunLayout.REPORT_DATA));
    out.put("evidence_annex_data", location(RunLayout.ANNEX_DATA));
    out.put("evidence_pairs", location(RunLayout.inReport(RunLayout.PAIRS)));
    out.put("evidence_pairs_data", location(RunLayout.PAIRS_DATA));
    return out;
  }

  /**
   * How many days the row-level data this sink writes (the quarantine) is kept; empty: until
   * the operator deletes it.
   */
  default java.util.OptionalInt retentionDays() {
    return java.util.OptionalInt.empty();
  }

  /**
   * The input checksums earlier runs recorded, for files unchanged since; by default none, and
   * every input file is hashed.
   */
  default RecordedChecksums recordedChecksums() {
    return RecordedChecksums.none();
  }

  /**
   * The report's nightly section this sink knows once the findings are written (the night's
   * new, resolved and confirmed penalties); {@link NightlyReport#NONE} by default.
   */
  default NightlyReport reportSections() {
    return NightlyReport.NONE;
  }
}
