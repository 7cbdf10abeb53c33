package org.loyaltypenalty.segment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A configured segment as resolved on a run's data: its levels (sorted, so their indices are
 * fixed by the values alone), which is the reference and why, and the distinct customers of
 * each level in the analysed quotes.
 *
 * @param name the segment's name ({@link SegmentSpec#name})
 * @param levels every level seen in the analysed quotes, sorted
 * @param reference index in {@code levels} of the reference level
 * @param referenceConfigured whether the reference was configured (else: the most customers)
 * @param customers distinct customers of each level, in the order of {@code levels}
 * @param unknownQuotes analysed quotes whose level is unknown (left out of this segment only)
 */
public record SegmentLevels(String name, List<String> levels, int reference,
    boolean referenceConfigured, List<Long> customers, long unknownQuotes)
    implements Serializable {

  public SegmentLevels {
    levels = List.copyOf(levels);
    customers = List.copyOf(customers);
  }

  public String referenceLevel() {
    return levels.get(reference);
  }

  /** Level {@code level} against the reference. */
  public Contrast contrast(int level) {
    return new Contrast(name, levels.get(level), referenceLevel());
  }

  /** Each non-reference level against the reference, in level order. */
  public List<Contrast> contrasts() {
    List<Contrast> out = new ArrayList<>();
    for (int l = 0; l < levels.size(); l++) {
      if (l != reference) {
        out.add(contrast(l));
      }
    }
    return out;
  }
}
