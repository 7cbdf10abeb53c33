package org.loyaltypenalty.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The report data's {@code untested}: how many SKU comparisons were not tested for one reason.
 *
 * @param reason an {@code UntestedReason} code; null only in a run written before the reasons
 *     were codes
 * @param threshold the minimum the reason is about (quotes or customers per cohort), else null
 * @param n SKU comparisons not tested for this reason
 * @param why the reason in English, as a run written before the reasons were codes recorded it;
 *     null (and not written) otherwise
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"reason", "threshold", "n", "why"})
public record UntestedCount(@JsonInclude(JsonInclude.Include.NON_NULL) String reason,
    Integer threshold, long n, @JsonInclude(JsonInclude.Include.NON_NULL) String why) {

  public static UntestedCount of(String reason, Integer threshold, long n) {
    return new UntestedCount(reason, threshold, n, null);
  }
}
