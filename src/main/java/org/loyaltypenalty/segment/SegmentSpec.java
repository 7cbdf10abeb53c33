package org.loyaltypenalty.segment;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * A configured segment: a customer attribute tested besides the loyalty cohort
 * ({@code segments = ...}).
 *
 * @param name the attribute: a quotes column, a customers column, or {@code age}
 * @param reference the configured reference level ({@code segment.<name>.reference}); empty:
 *     the level with the most distinct customers in the run
 * @param bands the age band edges ({@code segment.age.bands}), strictly increasing; empty for
 *     every other segment
 */
public record SegmentSpec(String name, Optional<String> reference, List<Integer> bands)
    implements Serializable {
  /** The segment name of the loyalty cohort in the findings. */
  public static final String COHORT = "cohort";
  /** The derived segment: the customer's age band at the quote's time. */
  public static final String AGE = "age";

  public SegmentSpec {
    bands = List.copyOf(bands);
  }
}
