package org.loyaltypenalty.segment;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * The age bands of the segment {@code age}, cut at the configured edges
 * ({@code segment.age.bands}): for edges {@code e1 < e2 < ... < en}, the labels {@code <e1},
 * {@code e1-(e2-1)}, ..., {@code en+}. The lower edge of a band is in it: with the default edges
 * 18,30,45,60,70 an age of 30 is {@code 30-44} and 70 is {@code 70+}. A negative age (a birth
 * year after the quote's year) has no band: the age is unknown.
 *
 * @param edges strictly increasing whole numbers above 0
 */
public record AgeBands(List<Integer> edges) implements Serializable {
  public AgeBands {
    edges = List.copyOf(edges);
    if (edges.isEmpty()) {
      throw new IllegalArgumentException("age bands need at least one edge");
    }
    for (int i = 0; i < edges.size(); i++) {
      if (edges.get(i) <= 0 || i > 0 && edges.get(i) <= edges.get(i - 1)) {
        throw new IllegalArgumentException(
            "age band edges must be strictly increasing and above 0, cannot be: " + edges);
      }
    }
  }

  /** The bands of a segment spec ({@link SegmentSpec#bands()}). */
  public static AgeBands of(SegmentSpec spec) {
    return new AgeBands(spec.bands());
  }

  /** Every label, youngest first. */
  public List<String> labels() {
    List<String> out = new ArrayList<>();
    out.add("<" + edges.get(0));
    for (int i = 0; i + 1 < edges.size(); i++) {
      out.add(edges.get(i) + "-" + (edges.get(i + 1) - 1));
    }
    out.add(edges.get(edges.size() - 1) + "+");
    return out;
  }

  /** The band of {@code age} in whole years; empty for a negative age. */
  public Optional<String> label(int age) {
    if (age < 0) {
      return Optional.empty();
    }
    List<String> labels = labels();
    for (int i = edges.size() - 1; i >= 0; i--) {
      if (age >= edges.get(i)) {
        return Optional.of(labels.get(i + 1));
      }
    }
    return Optional.of(labels.get(0));
  }

  /**
   * {@link #label} as a Spark expression over an integer column of ages: a string, null where
   * the age is null or negative.
   */
  public Column label(Column age) {
    List<String> labels = labels();
    Column out = when(age.isNull().or(age.lt(0)), lit(null).cast(DataTypes.StringType));
    for (int i = edges.size() - 1; i >= 0; i--) {
      out = out.when(age.geq(edges.get(i)), lit(labels.get(i + 1)));
    }
    return out.otherwise(lit(labels.get(0)));
  }
}
