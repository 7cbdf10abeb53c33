package org.loyaltypenalty.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ColumnMapping;
import org.loyaltypenalty.io.AuditSink;
import org.loyaltypenalty.io.RunLayout;
import org.loyaltypenalty.privacy.DirectIdentifiers;
import org.loyaltypenalty.privacy.PseudonymKey;
import org.loyaltypenalty.run.ProcessingRecord;

/**
 * One run's account of the personal data it reads: each input is screened for direct
 * identifiers as it is read (the run stops on any, unless the operator allowed them), and at the
 * end the {@link ProcessingRecord} is drawn up from what was read and written.
 */
final class PrivacyLedger {
  private final AuditConfig config;
  private final Optional<PseudonymKey> key;
  private final List<ProcessingRecord.DirectIdentifier> found = new ArrayList<>();
  private final List<String> inputs = new ArrayList<>();
  private final List<List<String>> columns = new ArrayList<>();

  /** @param key the key the inputs' customer ids are pseudonymised with, if any */
  PrivacyLedger(AuditConfig config, Optional<PseudonymKey> key) {
    this.config = config;
    this.key = key;
  }

  /**
   * Notes the columns {@code in} was read with and screens its first rows for direct
   * identifiers: any found stop the run (exit 2) unless they are allowed.
   */
  void screen(String what, Dataset<Row> in, ColumnMapping mapping) {
    inputs.add(what);
    columns.add(DirectIdentifiers.columnsRead(in).stream().map(mapping::source).toList());
    List<DirectIdentifiers.Finding> here = DirectIdentifiers.scan(what, in, mapping);
    for (DirectIdentifiers.Finding f : here) {
      found.add(new ProcessingRecord.DirectIdentifier(f.input(), f.column(), f.kind().code(),
          f.matches(), f.checked()));
    }
    if (!here.isEmpty() && !config.privacy().allowDirectIdentifiers()) {
      throw Errors.directIdentifiers(here.stream().map(f -> String.format(java.util.Locale.ROOT,
              "%s column '%s' (%s in %.0f%% of the %,d values checked)", f.input(), f.column(),
              f.kind().code(), 100 * f.share(), f.checked())).toList(),
          here.stream().anyMatch(f -> f.canonical().equals(Columns.Quotes.CUSTOMER_ID)));
    }
  }

  /**
   * The run's processing record.
   *
   * @param rows the rows read of each input screened, in the order screened
   * @param customers distinct customers in the analysed quotes
   */
  ProcessingRecord record(List<Long> rows, long customers, AuditSink sink) {
    List<ProcessingRecord.InputRead> read = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      read.add(new ProcessingRecord.InputRead(inputs.get(i), columns.get(i), rows.get(i)));
    }
    List<ProcessingRecord.RowLevelOutput> rowLevel = new ArrayList<>();
    Integer retention = sink.retentionDays().isPresent() ? sink.retentionDays().getAsInt() : null;
    rowLevel.add(new ProcessingRecord.RowLevelOutput(ProcessingRecord.RowLevelOutput.QUARANTINE,
        sink.location(RunLayout.QUARANTINE), retention));
    if (config.reportAnnexQuotes() > 0) {
      rowLevel.add(new ProcessingRecord.RowLevelOutput(
          ProcessingRecord.RowLevelOutput.EVIDENCE_ANNEX,
          sink.location(RunLayout.inReport(RunLayout.ANNEX)), null));
    }
    rowLevel.add(new ProcessingRecord.RowLevelOutput(
        ProcessingRecord.RowLevelOutput.EVIDENCE_PAIRS,
        sink.location(RunLayout.inReport(RunLayout.PAIRS)), null));
    return new ProcessingRecord(ProcessingRecord.PURPOSE, read, customers,
        key.isPresent() ? PseudonymKey.METHOD : ProcessingRecord.NO_PSEUDONYMISATION,
        key.map(PseudonymKey::fingerprint).orElse(null),
        config.privacy().allowDirectIdentifiers(), found, DirectIdentifiers.SAMPLE_ROWS,
        config.reportMinCustomers(), rowLevel);
  }
}
