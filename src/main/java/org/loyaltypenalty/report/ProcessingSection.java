package org.loyaltypenalty.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.loyaltypenalty.run.ProcessingRecord;
import org.loyaltypenalty.text.DisplayText;

/**
 * The report's record of the personal data the audit processed ({@link ProcessingRecord}): what
 * was read, for what, how customers were pseudonymised, what direct identifiers were looked for
 * and found, the small-numbers rule, and where row-level data was written and for how long.
 */
final class ProcessingSection {
  private final Messages m;
  private final ProcessingRecord record;

  ProcessingSection(ReportContext ctx) {
    this.m = ctx.m;
    this.record = ctx.processing;
  }

  /** The section's model: rows of (what, value), and a closing note; null without a record. */
  Map<String, Object> model() {
    if (record == null) {
      return null;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {m.text("privacy.purpose"),
        m.text("privacy.purpose." + record.purpose())});
    for (ProcessingRecord.InputRead in : record.inputs()) {
      rows.add(new String[] {m.text("privacy.input", "input", m.text("privacy.input." + in.input())),
          m.text("privacy.input_value", "rows", m.integer(in.rows()), "columns",
              String.join(", ", in.columns().stream().map(DisplayText::of).toList()))});
    }
    boolean pseudonymised =
        !ProcessingRecord.NO_PSEUDONYMISATION.equals(record.pseudonymisation());
    rows.add(new String[] {m.text("privacy.customers"), m.text(pseudonymised
        ? "privacy.customers_pseudonymous" : "privacy.customers_as_given",
        "n", m.integer(record.customers()))});
    rows.add(new String[] {m.text("privacy.pseudonymisation"), pseudonymised
        ? m.text("privacy.pseudonymisation.keyed", "fingerprint", record.keyFingerprint())
        : m.text("privacy.pseudonymisation.none")});
    List<String> found = new ArrayList<>();
    for (ProcessingRecord.DirectIdentifier d : record.directIdentifiers()) {
      found.add(m.text("privacy.direct_found", "input", m.text("privacy.input." + d.input()),
          "column", DisplayText.of(d.column()), "kind", m.text("privacy.kind." + d.kind()),
          "share", m.pct(d.checked() > 0 ? 100.0 * d.matches() / d.checked() : 0, 1)));
    }
    String direct = m.text(found.isEmpty() ? "privacy.direct_none" : "privacy.direct_some",
        "rows", m.integer(record.directIdentifierRowsChecked()),
        "found", String.join(m.text("findings.holds_separator"), found));
    if (record.directIdentifiersAllowed()) {
      direct = direct + " " + m.text("privacy.direct_allowed");
    }
    rows.add(new String[] {m.text("privacy.direct"), direct});
    rows.add(new String[] {m.text("privacy.k"), m.text("privacy.k_value", "k", record.minCustomers())});
    for (ProcessingRecord.RowLevelOutput o : record.rowLevelOutputs()) {
      rows.add(new String[] {m.text("privacy.output." + o.output()),
          m.text(o.retentionDays() == null ? "privacy.kept_until_deleted" : "privacy.kept_nights",
              "location", DisplayText.of(o.location()),
              "n", o.retentionDays() == null ? 0 : o.retentionDays())});
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("rows", rows);
    model.put("note", m.text("privacy.note"));
    return model;
  }
}
