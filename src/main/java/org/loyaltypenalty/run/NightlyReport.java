package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The report data's {@code nightly}: one night's penalty lists from the findings history. Each
 * list holds at most a few hundred rows, longest streak and then largest penalty first; its
 * {@code _total} says how many there are (all are in {@code penalty_status}). A one-off audit
 * has none: every field is null and the section is an empty object.
 *
 * @param persistenceRuns consecutive flagged runs before a penalty is confirmed
 * @param date the night, {@code YYYY-MM-DD}; null before its findings are written
 * @param newlyConfirmed penalties whose streak reached {@code persistenceRuns} tonight
 * @param newTonight penalties flagged tonight and not in the previous run
 * @param resolvedTonight penalties flagged in the previous run and tested, not flagged, tonight
 * @param explainedTonight penalties flagged in the previous run whose gap tonight is explained by
 *     a disclosed offer (status {@code explained_by_disclosed_offer})
 * @param confirmed penalties whose streak is at least {@code persistenceRuns}
 * @param untestedTonightTotal penalties flagged in the previous run not tested tonight
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"persistence_runs", "date", "newly_confirmed", "newly_confirmed_total",
    "new_tonight", "new_tonight_total", "resolved_tonight", "resolved_tonight_total",
    "explained_tonight", "explained_tonight_total", "confirmed", "confirmed_total", "untested_tonight_total"})
public record NightlyReport(Integer persistenceRuns, String date,
    List<Penalty> newlyConfirmed, Long newlyConfirmedTotal,
    List<Penalty> newTonight, Long newTonightTotal,
    List<Penalty> resolvedTonight, Long resolvedTonightTotal,
    List<Penalty> explainedTonight, Long explainedTonightTotal,
    List<Penalty> confirmed, Long confirmedTotal,
    Long untestedTonightTotal) {

  /** A one-off audit's: no night. */
  public static final NightlyReport NONE =
      new NightlyReport(null, null, null, null, null, null, null, null, null, null, null, null,
          null);

  /** Whether this is a night's section (a one-off audit has none). */
  public boolean present() {
    return date != null;
  }

  /** The lists in the order the report shows them. */
  public List<PenaltyList> lists() {
    return List.of(new PenaltyList(PenaltyList.Kind.NEWLY_CONFIRMED, newlyConfirmed,
            newlyConfirmedTotal),
        new PenaltyList(PenaltyList.Kind.NEW_TONIGHT, newTonight, newTonightTotal),
        new PenaltyList(PenaltyList.Kind.RESOLVED_TONIGHT, resolvedTonight, resolvedTonightTotal),
        new PenaltyList(PenaltyList.Kind.EXPLAINED_TONIGHT, explainedTonight,
            explainedTonightTotal),
        new PenaltyList(PenaltyList.Kind.CONFIRMED, confirmed, confirmedTotal));
  }

  /**
   * One of the night's lists.
   *
   * @param rows the rows listed (empty when none)
   * @param total how many there are, null when not recorded
   */
  public record PenaltyList(Kind kind, List<Penalty> rows, Long total) {
    public PenaltyList {
      rows = rows == null ? List.of() : List.copyOf(rows);
    }

    /** Which list; its code names it in the report data and the message bundles. */
    public enum Kind {
      NEWLY_CONFIRMED, NEW_TONIGHT, RESOLVED_TONIGHT, EXPLAINED_TONIGHT, CONFIRMED;

      public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }
    }
  }

  /**
   * A penalty's row in a list: the findings row it tracks, its streak, and tonight's and the
   * previous run's estimate. Text fields are empty, never null.
   *
   * @param level {@code sku}, {@code merchant} or {@code experiment}
   * @param segment {@code cohort} or a configured segment
   * @param outcome what is compared: {@code price}, {@code total}, {@code fee} or {@code coupon}
   * @param merchantId empty for a platform-wide roll-up
   * @param experimentId a price experiment's id ({@code level = experiment}), else empty
   * @param firstFlagged the first night flagged, {@code YYYY-MM-DD}
   * @param lastFlagged the last night flagged
   * @param streak consecutive flagged runs up to tonight
   * @param nightsFlagged nights flagged in the history
   * @param penaltyPct tonight's estimate, null when not tested tonight
   * @param penaltyPctPrevious the previous run's estimate, null when not tested then
   * @param customersMin tonight's smaller cohort's distinct customers (for suppression)
   * @param customersMinPrevious the same in the previous run
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Penalty(String level, String segment, String comparison, String outcome,
      String merchantId, String skuId, String currency, String experimentId, String firstFlagged,
      String lastFlagged, Long streak, Long nightsFlagged, Double penaltyPct,
      Double penaltyPctPrevious, Long customersMin, Long customersMinPrevious) {}
}
