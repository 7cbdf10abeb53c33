package org.loyaltypenalty.io;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.loyaltypenalty.spark.Concurrently;

/**
 * One audit's outputs under one directory: {@code findings} (Delta), {@code findings.csv},
 * {@code quarantine} (Delta), and the text outputs by name. Re-running replaces them. The
 * findings' table and CSV are written at the same time.
 */
public final class DirectorySink implements AuditSink {
  private final OutputWriter writer;

  public DirectorySink(SparkSession spark, String outDir) {
    this.writer = new OutputWriter(spark, outDir);
  }

  @Override
  public void writeFindings(Dataset<Row> findings) {
    Concurrently.run(() -> writer.writeDelta(findings, RunLayout.FINDINGS),
        () -> writer.writeCsv(findings, RunLayout.FINDINGS_CSV));
  }

  @Override
  public void writeQuarantine(Dataset<Row> quarantine) {
    writer.writeDelta(quarantine, RunLayout.QUARANTINE);
  }

  @Override
  public OutputWriter runFiles() {
    return writer;
  }
}
