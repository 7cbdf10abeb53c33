package org.loyaltypenalty.generate;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * What {@link CustomerSimulator} draws once per customer: the loyalty segment (0 occasional,
 * 1 regular, 2 frequent) and its purchase rate, the region, the tier (an index into
 * {@link #TIERS}) until {@code upgradeAt} (epoch seconds; {@code Long.MAX_VALUE} for none) and
 * one tier up after it, whether the log lost the tier, and the birth year.
 */
record CustomerProfile(int segment, double rate, boolean euro, String region, int tier,
    long upgradeAt, boolean tierUnknown, int birthYear) implements Serializable {
  static final String[] TIERS = {"none", "silver", "gold", "diamond"};
  /** Share of customers below diamond who move up one tier at a random time in the window. */
  static final double UPGRADE_PROBABILITY = 0.05;
  /** Share of customers whose tier the log lost (an empty {@code member_tier}). */
  static final double TIER_UNKNOWN_PROBABILITY = 0.01;
  /** Tier shares per loyalty segment (occasional, regular, frequent buyers). */
  private static final double[][] TIER_SHARES = {
      {0.80, 0.15, 0.04, 0.01}, {0.40, 0.35, 0.18, 0.07}, {0.10, 0.20, 0.35, 0.35}};
  /** Age band shares below 70 ({@code <18} to {@code 60-69}), scaled to what 70+ leaves. */
  private static final double[] YOUNGER_SHARES = {0.02, 0.20, 0.30, 0.25, 0.13};
  private static final int[][] BAND_AGES =
      {{15, 17}, {18, 29}, {30, 44}, {45, 59}, {60, 69}, {70, 92}};
  /**
   * Share of 70+ in {@link CustomerSimulator#DEAR_REGION}, in the other UK regions, in the euro
   * area (0.10 in each country).
   */
  private static final double OLD_IN_DEAR = 0.24;
  private static final double OLD_ELSEWHERE_UK = 0.03;
  private static final double OLD_IN_EURO = 0.10;
  private static final String[] UK = {"GB-LND", "GB-MAN", "GB-EDI"};
  private static final String[] EU = {"DE-BE", "FR-PA"};

  /** The tier as of {@code t}. */
  int tier(long t) {
    return t >= upgradeAt ? tier + 1 : tier;
  }

  /**
   * The profile of a customer whose quotes fall in the {@code days} from {@code windowStart}
   * (epoch seconds); advances {@code rnd} (the customer's stream) and {@code attr} (its
   * attributes' stream) past the draws it takes.
   */
  static CustomerProfile draw(SplittableRandom rnd, SplittableRandom attr, long windowStart,
      int days) {
    double u = rnd.nextDouble();
    int segment = u < 0.55 ? 0 : u < 0.83 ? 1 : 2;
    double rate = segment == 0 ? (rnd.nextDouble() < 0.8 ? 0 : 0.5)
        : segment == 1 ? 1 + 2 * rnd.nextDouble() : 5 + 7 * rnd.nextDouble();
    boolean euro = rnd.nextDouble() < (segment == 2 ? 0.45 : segment == 1 ? 0.3 : 0.15);
    String region = euro ? EU[rnd.nextInt(EU.length)] : UK[rnd.nextInt(UK.length)];
    int tier = pick(attr.nextDouble(), TIER_SHARES[segment]);
    boolean upgrade = attr.nextDouble() < UPGRADE_PROBABILITY && tier < TIERS.length - 1;
    long upgradeAt = windowStart + (long) (attr.nextDouble() * days * CustomerSimulator.DAY_S);
    boolean tierUnknown = attr.nextDouble() < TIER_UNKNOWN_PROBABILITY;
    double old = euro ? OLD_IN_EURO
        : region.equals(CustomerSimulator.DEAR_REGION) ? OLD_IN_DEAR : OLD_ELSEWHERE_UK;
    double v = attr.nextDouble();
    int band = v < old ? 5 : pick((v - old) / (1 - old), YOUNGER_SHARES);
    int[] ages = BAND_AGES[band];
    int age = ages[0] + attr.nextInt(ages[1] - ages[0] + 1);
    int year = Instant.ofEpochSecond(windowStart).atZone(ZoneOffset.UTC).getYear();
    return new CustomerProfile(segment, rate, euro, region, tier,
        upgrade ? upgradeAt : Long.MAX_VALUE, tierUnknown, year - age);
  }

  /** The index of the share {@code u} falls in ({@code shares} sum to 1). */
  private static int pick(double u, double[] shares) {
    double total = 0;
    for (int i = 0; i < shares.length - 1; i++) {
      total += shares[i];
      if (u < total) {
        return i;
      }
    }
    return shares.length - 1;
  }
}
