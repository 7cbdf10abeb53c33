package org.loyaltypenalty.generate;

import java.util.List;

/**
 * The customer attributes the generator plants penalties on, with the levels it writes: the
 * loyalty cohort (derived from purchase history), the membership tier and the device (quote
 * columns {@code member_tier} and {@code device_os}) and the age band (from {@code birth_year}
 * in {@code customers.csv}). Each segment's {@link #compared} levels are compared with its
 * {@link #reference} level, as the audit does with the configuration
 * ({@code segment.member_tier.reference = none}, {@code segment.device_os.reference = android},
 * {@code segment.age.reference = 30-44}).
 */
public enum Segment {
  COHORT("cohort", "new", List.of("repeat", "loyal")),
  MEMBER_TIER("member_tier", "none", List.of("silver", "gold", "diamond")),
  DEVICE_OS("device_os", "android", List.of("ios", "windows", "macos")),
  AGE("age", "30-44", List.of("<18", "18-29", "45-59", "60-69", "70+"));

  /** The age bands' lower edges, as {@code segment.age.bands} defaults to them. */
  static final int[] AGE_EDGES = {18, 30, 45, 60, 70};
  private static final String[] AGE_LABELS = {"<18", "18-29", "30-44", "45-59", "60-69", "70+"};

  private final String code;
  private final String reference;
  private final List<String> compared;

  Segment(String code, String reference, List<String> compared) {
    this.code = code;
    this.reference = reference;
    this.compared = compared;
  }

  /** The name findings and truth.csv give the segment. */
  public String code() {
    return code;
  }

  public String reference() {
    return reference;
  }

  /** The levels compared with the reference, in truth.csv's order. */
  public List<String> compared() {
    return compared;
  }

  /** {@code <compared>_vs_<reference>}, the findings' {@code comparison}. */
  public String comparison(String level) {
    return level + "_vs_" + reference;
  }

  /**
   * The band of an age in years ({@code year(quoted_at) - birth_year}): lower edge inclusive,
   * {@code <18}, {@code 18-29}, ..., {@code 70+}. Written here on its own, not shared with the
   * audit's band step, so that the generated truth checks that step.
   */
  public static String ageBand(int age) {
    int band = 0;
    while (band < AGE_EDGES.length && age >= AGE_EDGES[band]) {
      band++;
    }
    return AGE_LABELS[band];
  }
}
