package org.loyaltypenalty.io;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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

  /** Writes a small text output of this run (manifest, report), replacing it. */
  void writeText(String name, String content);

  /** Writes a small binary output of this run (the PDF report), replacing it. */
  void writeBytes(String name, byte[] content);

  /** Writes a small table of this run as one formula-safe CSV file, replacing it. */
  void writeCsv(String name, Dataset<Row> rows);

  /** Where an output of this run is, for the manifest and the summary. */
  String location(String output);

  /**
   * Extra report content this sink knows once the findings are written (the nightly job's new
   * and resolved penalties), as a FreeMarker model under {@code extra}; empty by default.
   */
  default java.util.Map<String, Object> reportSections() {
    return java.util.Map.of();
  }
}
