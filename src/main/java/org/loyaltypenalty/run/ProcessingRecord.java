package org.loyaltypenalty.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What personal data a run processed, for what, and how it was protected: the facts an impact
 * assessment of the audit itself needs (PIPL Art. 55-56). In the manifest ({@code processing})
 * and the report data, from which both report languages render it.
 *
 * @param purpose a code of what the data was processed for ({@link #PURPOSE})
 * @param inputs each input read: its columns (as the input names them) and rows
 * @param customers distinct customers (pseudonymous when {@code pseudonymisation} is not
 *     {@code none}) in the analysed quotes
 * @param pseudonymisation how customer ids were replaced as they were read: {@code none} (used
 *     as the export gave them) or the method's code ({@code hmac-sha256-128})
 * @param keyFingerprint the key's public fingerprint; null without a key
 * @param directIdentifiersAllowed whether the operator allowed direct identifiers
 *     ({@code privacy.allow_direct_identifiers})
 * @param directIdentifiers the columns found holding direct identifiers (the run stops on any
 *     unless they are allowed)
 * @param directIdentifierRowsChecked the rows of each input checked for them, at most
 * @param minCustomers k: no published figure involves fewer distinct customers per group
 * @param rowLevelOutputs the outputs that hold rows of the inputs, where and for how long
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProcessingRecord(String purpose, List<InputRead> inputs, long customers,
    String pseudonymisation, String keyFingerprint, boolean directIdentifiersAllowed,
    List<DirectIdentifier> directIdentifiers, int directIdentifierRowsChecked, int minCustomers,
    List<RowLevelOutput> rowLevelOutputs) {

  /** The one purpose of an audit's processing: testing prices for discrimination. */
  public static final String PURPOSE = "price_discrimination_audit";
  /** {@code pseudonymisation} when ids were used as they arrived. */
  public static final String NO_PSEUDONYMISATION = "none";

  public ProcessingRecord {
    inputs = List.copyOf(inputs);
    directIdentifiers = List.copyOf(directIdentifiers);
    rowLevelOutputs = List.copyOf(rowLevelOutputs);
  }

  /** An input read: its name, the columns read (as the input names them), its rows. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record InputRead(String input, List<String> columns, long rows) {
    public InputRead {
      columns = List.copyOf(columns);
    }
  }

  /**
   * A column holding direct identifiers.
   *
   * @param kind a {@code DirectIdentifiers.Kind} code
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DirectIdentifier(String input, String column, String kind, long matches,
      long checked) {}

  /**
   * An output holding rows of the inputs.
   *
   * @param output {@link #QUARANTINE}, {@link #EVIDENCE_ANNEX} or {@link #EVIDENCE_PAIRS}
   * @param retentionDays nights kept; null: until the operator deletes it
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record RowLevelOutput(String output, String location, Integer retentionDays) {
    /** The quarantined rows: their contract columns as read, ids pseudonymised with a key. */
    public static final String QUARANTINE = "quarantine";
    /** Example quote ids per group in each matched cell of a flagged SKU (no customer id). */
    public static final String EVIDENCE_ANNEX = "evidence_annex";
    /** Matched pairs of quotes of each flagged comparison: ids, times, prices (no customer id). */
    public static final String EVIDENCE_PAIRS = "evidence_pairs";
  }
}
