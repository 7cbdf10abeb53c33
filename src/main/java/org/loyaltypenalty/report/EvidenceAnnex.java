package org.loyaltypenalty.report;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.loyaltypenalty.Columns.Findings;

/**
 * The published evidence annex: the run's annex data (every flagged comparison's matched quotes,
 * with the distinct customers of both groups) less the comparisons the report's
 * {@link Suppression} withholds, and less those two counts. Filtering when the report is
 * rendered makes {@code report.min_customers} one rule for the figures and the annex, whatever
 * k the report is rendered with.
 *
 * <p>The CSV is read and written with the settings Spark's own CSV writer uses (univocity, {@code
 * "} as quote and escape, empty strings quoted, surrounding spaces trimmed), so a row that is
 * kept is written as the audit wrote it.
 */
final class EvidenceAnnex {
  /** Columns of the annex data that only the filter reads. */
  static final List<String> COUNTS =
      List.of(Findings.CUSTOMERS_REFERENCE, Findings.CUSTOMERS_COMPARED);

  private EvidenceAnnex() {}

  /** The published annex and its number of rows. */
  record Published(String csv, long rows) {}

  /** The rows of {@code annexData} that {@code suppression} publishes, without the counts. */
  static Published publish(String annexData, Suppression suppression) {
    List<String[]> records = records(annexData);
    if (records.isEmpty()) {
      return new Published("", 0);
    }
    List<String> header = Arrays.asList(records.get(0));
    int reference = header.indexOf(COUNTS.get(0));
    int compared = header.indexOf(COUNTS.get(1));
    if (reference < 0 || compared < 0) {
      throw new IllegalArgumentException("annex data without " + COUNTS + ": " + header);
    }
    StringWriter out = new StringWriter();
    CsvWriter writer = new CsvWriter(out, sparkLike());
    writer.writeRow(strip(records.get(0), reference, compared));
    long rows = 0;
    for (String[] r : records.subList(1, records.size())) {
      if (!suppression.suppresses(count(r[reference]), count(r[compared]))) {
        writer.writeRow(strip(r, reference, compared));
        rows++;
      }
    }
    writer.close();
    return new Published(out.toString(), rows);
  }

  /** The records of a CSV as the audit writes it (Spark's CSV writer), the header first. */
  static List<String[]> records(String csv) {
    CsvParserSettings read = new CsvParserSettings();
    read.getFormat().setQuote('"');
    read.getFormat().setQuoteEscape('"');
    read.getFormat().setLineSeparator("\n");
    read.getFormat().setComment('\0'); // as Spark writes: a leading # is data, not a comment
    read.setMaxCharsPerColumn(-1);
    read.setEmptyValue("");
    read.setIgnoreLeadingWhitespaces(false);
    read.setIgnoreTrailingWhitespaces(false);
    return new CsvParser(read).parseAll(new StringReader(csv));
  }

  private static Long count(String value) {
    return value == null || value.isEmpty() ? null : Long.valueOf(value);
  }

  private static Object[] strip(String[] record, int a, int b) {
    List<Object> kept = new ArrayList<>();
    for (int i = 0; i < record.length; i++) {
      if (i != a && i != b) {
        kept.add(record[i]);
      }
    }
    return kept.toArray();
  }

  /** The writer settings of Spark's CSV source with the options the audit writes with. */
  private static CsvWriterSettings sparkLike() {
    CsvWriterSettings s = new CsvWriterSettings();
    s.getFormat().setDelimiter(',');
    s.getFormat().setLineSeparator("\n");
    s.getFormat().setQuote('"');
    s.getFormat().setQuoteEscape('"');
    s.getFormat().setComment('\u0000');
    s.setIgnoreLeadingWhitespaces(true);
    s.setIgnoreTrailingWhitespaces(true);
    s.setNullValue("");
    s.setEmptyValue("\"\"");
    s.setSkipEmptyLines(true);
    s.setQuoteAllFields(false);
    s.setQuoteEscapingEnabled(true);
    return s;
  }
}
