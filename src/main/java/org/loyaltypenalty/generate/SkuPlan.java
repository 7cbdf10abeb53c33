package org.loyaltypenalty.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the generator plants in each SKU: a role, the true penalty of repeat and loyal customers
 * against new ones (as a fraction), and the currencies it is sold in. SKU 1 is the most quoted
 * (popularity follows Zipf's law with exponent {@value #ZIPF_EXPONENT}), so low numbers are head
 * SKUs and high numbers tail SKUs.
 *
 * <p>Besides the loyalty cohort, three SKUs that would otherwise have no role carry a penalty on
 * another customer attribute (a {@link Segment}): SKU 8 on the membership tier, SKU 9 on the
 * device (deterministic), SKU 11 on the age band; SKUs 12 and 110 are the age trap (a dearer
 * region). The membership tier's trap is peak-hour surge pricing (SKUs 2 and 50), the device's the
 * app premium (SKUs 4 and 70). The loyalty roles keep their ranks and win where a small plan
 * makes two ranks coincide (below 18 SKUs some segment roles are absent).
 */
public record SkuPlan(int index, Role role, double repeatPenalty, double loyalPenalty,
    List<String> currencies, double basePrice) implements Serializable {
  public static final double ZIPF_EXPONENT = 0.7;
  /** Repeat customers' penalty on the SKUs {@link #plan(int, double)} adds. */
  public static final double SPREAD_REPEAT = 0.03;
  /** Loyal customers' penalty on the SKUs {@link #plan(int, double)} adds. */
  public static final double SPREAD_LOYAL = 0.06;
  /** Gold members' penalty against non-members on the {@link Role#TIER_PLANTED} SKU. */
  public static final double TIER_GOLD = 0.02;
  /** Diamond members' penalty against non-members on the {@link Role#TIER_PLANTED} SKU. */
  public static final double TIER_DIAMOND = 0.05;
  /** iOS users' exact surcharge against every other device on the {@link Role#DEVICE_DETERMINISTIC} SKU. */
  public static final double DEVICE_IOS = 0.04;
  /** The 70+ band's penalty against every younger band on the {@link Role#AGE_PLANTED} SKU. */
  public static final double AGE_70_PLUS = 0.06;
  /** The offers' discount on new customers' quotes (see {@link Role#OFFER_DISCLOSED}). */
  public static final double OFFER_DISCOUNT = 0.10;
  /** Share of new customers' quotes on an offer SKU that carry the offer. */
  public static final double OFFER_SHARE = 0.6;
  /** The offer id of the disclosed new-user offer; {@code offers.disclosed} lists it. */
  public static final String DISCLOSED_OFFER = "NEW-USER-10";
  /** The offer id of the personalised offer, which no announcement discloses. */
  public static final String PERSONALISED_OFFER = "TARGETED-10";
  /** Arm B's premium over arm A in the price experiments. */
  public static final double EXPERIMENT_PREMIUM = 0.08;
  /** Probability that a frequent buyer is put in arm B of the rigged experiment (others: 1 minus it). */
  public static final double RIGGED_SHARE = 0.8;
  /** The fee every customer but a loyal one pays on the {@link Role#FEE_PENALTY} SKU. */
  public static final double FEE = 2.00;
  /** The fee loyal customers pay on the {@link Role#FEE_PENALTY} SKU (the price is the same). */
  public static final double FEE_LOYAL = 6.00;
  /** The membership tier that pays the higher fee on the {@link Role#TIER_FEE_PENALTY} SKU. */
  public static final String FEE_TIER = "diamond";
  /**
   * The fee members of {@link #FEE_TIER} pay on the {@link Role#TIER_FEE_PENALTY} SKU, against
   * {@link #FEE} for every other tier (the price is the same).
   */
  public static final double FEE_MEMBER = 6.00;

  /** Why a SKU is in the sample. */
  public enum Role {
    /** No penalty; only noise. */
    NULL,
    /** A planted penalty with noise. */
    PLANTED,
    /** Members (repeat and loyal) pay a fixed surcharge; every price is exact, no noise. */
    DETERMINISTIC,
    /** No penalty; peak-hour surge pricing, and loyal customers shop at peak. */
    TRAP_SURGE,
    /** No penalty; the app is dearer, and loyal customers use the app. */
    TRAP_CHANNEL,
    /** No penalty; bulk quantities are cheaper per unit, and new customers buy in bulk. */
    TRAP_QUANTITY,
    /** No penalty; sold in GBP and EUR, and loyal customers are more often in the euro area. */
    TRAP_CURRENCY,
    /**
     * Diamond members pay {@value #TIER_DIAMOND} and gold members {@value #TIER_GOLD} more than
     * non-members, with noise. Tiers follow loyalty, so a comparison of cohorts sees part of it.
     */
    TIER_PLANTED,
    /** iOS users pay exactly {@value #DEVICE_IOS} more than any other device; every price exact. */
    DEVICE_DETERMINISTIC,
    /** Customers aged 70 and over pay {@value #AGE_70_PLUS} more than younger ones, with noise. */
    AGE_PLANTED,
    /** No penalty; one region is dearer, and customers aged 70 and over live there more often. */
    TRAP_REGION,
    /**
     * A disclosed new-user offer ({@value #DISCLOSED_OFFER}): {@value #OFFER_SHARE} of new
     * customers' quotes carry it and cost {@value #OFFER_DISCOUNT} less. A lawful gap: without
     * the offer's quotes new and returning customers pay the same.
     */
    OFFER_DISCLOSED,
    /** As {@link #OFFER_DISCLOSED}, under an offer ({@value #PERSONALISED_OFFER}) no one disclosed. */
    OFFER_PERSONALISED,
    /**
     * A randomised price test: every customer is in arm A or B at random, B costs
     * {@value #EXPERIMENT_PREMIUM} more. No penalty; the arms are independent of every segment.
     */
    EXPERIMENT_HONEST,
    /**
     * A price test that puts frequent buyers in the dearer arm B with probability
     * {@value #RIGGED_SHARE}, everyone else with the rest: the arms go with loyalty.
     */
    EXPERIMENT_RIGGED,
    /**
     * Loyal customers pay a fee of {@value #FEE_LOYAL} with each quote, everyone else
     * {@value #FEE}; the price is the same for all (a fee penalty with no price penalty).
     */
    FEE_PENALTY,
    /**
     * Members of the {@value #FEE_TIER} tier (as of the quote) pay a fee of
     * {@value #FEE_MEMBER} with each quote, every other tier {@value #FEE}; the price is the
     * same for all: a membership tier's fee penalty with no price penalty (the Meituan case).
     * Tiers follow loyalty, so a comparison of cohorts sees part of the fee gap.
     */
    TIER_FEE_PENALTY;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public String skuId() {
    return String.format(Locale.ROOT, "SKU-%04d", index);
  }

  public String merchantId() {
    return "M" + (1 + (index - 1) % 5);
  }

  /** The penalty of a cohort: 0 new, 1 repeat, 2 loyal. */
  public double penalty(int cohort) {
    return cohort == 2 ? loyalPenalty : cohort == 1 ? repeatPenalty : 0;
  }

  /**
   * The planted penalty of a segment's level against the segment's reference level, as a
   * fraction (0 where nothing is planted). For the cohort, the same as {@link #penalty(int)}.
   */
  public double penalty(Segment segment, String level) {
    return switch (segment) {
      case COHORT -> level.equals("loyal") ? loyalPenalty : level.equals("repeat") ? repeatPenalty : 0;
      case MEMBER_TIER -> role != Role.TIER_PLANTED ? 0
          : level.equals("diamond") ? TIER_DIAMOND : level.equals("gold") ? TIER_GOLD : 0;
      case DEVICE_OS -> role == Role.DEVICE_DETERMINISTIC && level.equals("ios") ? DEVICE_IOS : 0;
      case AGE -> role == Role.AGE_PLANTED && level.equals("70+") ? AGE_70_PLUS : 0;
    };
  }

  /**
   * The gap truth.csv gives a comparison, in percent: the planted penalty ({@link
   * #penalty(Segment, String)}), and on the offer SKUs the gap the offer makes between new and
   * returning customers' mean log price, {@code exp(-share * ln(1 - discount)) - 1}: lawful where
   * the offer is disclosed, a penalty where it is not.
   */
  public double truePenaltyPct(Segment segment, String level) {
    if (segment == Segment.COHORT
        && (role == Role.OFFER_DISCLOSED || role == Role.OFFER_PERSONALISED)) {
      return 100 * Math.expm1(-OFFER_SHARE * Math.log1p(-OFFER_DISCOUNT));
    }
    return 100 * penalty(segment, level);
  }

  /**
   * What a comparison of this SKU is in truth.csv. For the cohort, the SKU's role as it always
   * was, except {@code confounded_tier} on the tier SKU. For the other segments:
   * {@code planted} or {@code deterministic} with its penalty; the trap's role where the SKU's
   * price turns on a context the audit holds fixed and that context goes with the segment's
   * levels; {@code confounded_cohort} (the tiers on a SKU with a cohort penalty or a new-user
   * offer); {@code null} otherwise. Confounded comparisons have no penalty of their own but a
   * real marginal gap, which holding the other attribute fixed removes.
   */
  public String truthRole(Segment segment, String level) {
    if (segment == Segment.COHORT) {
      return role == Role.TIER_PLANTED ? "confounded_tier" : role.code();
    }
    if (penalty(segment, level) > 0) {
      return role == Role.DETERMINISTIC || role == Role.DEVICE_DETERMINISTIC
          ? Role.DETERMINISTIC.code() : Role.PLANTED.code();
    }
    boolean tiersFollowLoyalty = segment == Segment.MEMBER_TIER;
    return switch (role) {
      case PLANTED, DETERMINISTIC -> tiersFollowLoyalty && (repeatPenalty > 0 || loyalPenalty > 0)
          ? "confounded_cohort" : "null";
      case TRAP_SURGE, TRAP_QUANTITY, TRAP_CURRENCY -> tiersFollowLoyalty ? role.code() : "null";
      case TRAP_CHANNEL -> segment == Segment.AGE ? "null" : role.code();
      case TRAP_REGION -> segment == Segment.DEVICE_OS ? "null" : role.code();
      // the offers go to new customers, and tiers follow loyalty
      case OFFER_DISCLOSED, OFFER_PERSONALISED -> tiersFollowLoyalty ? "confounded_cohort" : "null";
      // the tiers' fee gap: a penalty in what was paid, none in the price
      case TIER_FEE_PENALTY -> tiersFollowLoyalty ? role.code() : "null";
      default -> "null";
    };
  }

  /** The plan for {@code skus} SKUs: planted penalties and traps at fixed ranks, the rest null. */
  public static List<SkuPlan> plan(int skus) {
    return plan(skus, 0);
  }

  /**
   * As {@link #plan(int)}, and about {@code penalisedShare} of the otherwise null SKUs (chosen
   * by their number, see {@link #spread}, so the same for the same arguments) carry a planted
   * penalty of {@value #SPREAD_REPEAT} (repeat) and {@value #SPREAD_LOYAL} (loyal): the shape of
   * a platform that overcharges its regular customers across its catalogue, where most
   * comparisons are flagged and the per-SKU pass computes the report's figures for most SKUs.
   */
  public static List<SkuPlan> plan(int skus, double penalisedShare) {
    return plan(skus, penalisedShare, false);
  }

  /** The {@link #defence} role of each rank, in rank order (13, 14, 17, 18, 19, 21). */
  static final List<Role> DEFENCES = List.of(Role.OFFER_DISCLOSED, Role.OFFER_PERSONALISED,
      Role.EXPERIMENT_HONEST, Role.EXPERIMENT_RIGGED, Role.FEE_PENALTY, Role.TIER_FEE_PENALTY);
  private static final int[] DEFENCE_RANKS = {13, 14, 17, 18, 19, 21};

  /**
   * As {@link #plan(int, double)}; with {@code defences}, the SKUs ranked 13, 14, 17, 18, 19 and
   * 21 (head SKUs that have no other role at most sizes; a rank that has one keeps it) take the
   * roles of a platform's defences and of two fee penalties, in {@link #DEFENCES}' order.
   */
  public static List<SkuPlan> plan(int skus, double penalisedShare, boolean defences) {
    if (!(penalisedShare >= 0 && penalisedShare <= 1)) {
      throw new IllegalArgumentException("penalised share must be in [0, 1]: " + penalisedShare);
    }
    List<SkuPlan> out = new ArrayList<>();
    for (int i = 1; i <= skus; i++) {
      double base = 4 + (Math.floorMod(i * 2654435761L, 9601L)) / 100.0;
      SkuPlan plan = planned(i, skus, base);
      Role defence = defences ? defence(i) : null;
      if (defence != null && plan.role() == Role.NULL) {
        plan = new SkuPlan(i, defence, 0, 0, plan.currencies(), base);
      }
      if (plan.role() == Role.NULL && spread(i) < penalisedShare) {
        plan = new SkuPlan(i, Role.PLANTED, SPREAD_REPEAT, SPREAD_LOYAL, plan.currencies(), base);
      }
      out.add(plan);
    }
    return out;
  }

  private static Role defence(int rank) {
    for (int k = 0; k < DEFENCE_RANKS.length; k++) {
      if (DEFENCE_RANKS[k] == rank) {
        return DEFENCES.get(k);
      }
    }
    return null;
  }

  /** A number in [0, 1) from a SKU's number, evenly spread (the golden-ratio sequence). */
  private static double spread(int i) {
    double x = i * 0.6180339887498949;
    return x - Math.floor(x);
  }

  private static SkuPlan planned(int i, int skus, double base) {
    List<String> gbp = List.of("GBP");
    List<String> both = List.of("GBP", "EUR");
    int tail = Math.max(1, skus - 5);
    if (i == 1) {
      return new SkuPlan(i, Role.PLANTED, 0.02, 0.05, gbp, base);
    } else if (i == 3) {
      return new SkuPlan(i, Role.PLANTED, 0, 0.02, gbp, base);
    } else if (i == 6) {
      return new SkuPlan(i, Role.PLANTED, 0.05, 0.10, both, base);
    } else if (i == 10) {
      return new SkuPlan(i, Role.PLANTED, 0, 0.03, gbp, base);
    } else if (i == 20) {
      return new SkuPlan(i, Role.PLANTED, 0, 0.08, gbp, base);
    } else if (i == 40) {
      return new SkuPlan(i, Role.PLANTED, 0.04, 0, gbp, base);
    } else if (i == skus * 8 / 15) {
      return new SkuPlan(i, Role.PLANTED, 0, 0.10, gbp, base);
    } else if (i == tail) {
      return new SkuPlan(i, Role.PLANTED, 0, 0.10, gbp, base);
    } else if (i == 15) {
      return new SkuPlan(i, Role.DETERMINISTIC, 0.06, 0.06, gbp, base);
    } else if (i == 2 || i == 50) {
      return new SkuPlan(i, Role.TRAP_SURGE, 0, 0, gbp, base);
    } else if (i == 4 || i == 70) {
      return new SkuPlan(i, Role.TRAP_CHANNEL, 0, 0, gbp, base);
    } else if (i == 5 || i == 90) {
      return new SkuPlan(i, Role.TRAP_QUANTITY, 0, 0, gbp, base);
    } else if (i == 7 || i == 100) {
      return new SkuPlan(i, Role.TRAP_CURRENCY, 0, 0, both, base);
    } else if (i == 8) {
      return new SkuPlan(i, Role.TIER_PLANTED, 0, 0, gbp, base);
    } else if (i == 9) {
      return new SkuPlan(i, Role.DEVICE_DETERMINISTIC, 0, 0, gbp, base);
    } else if (i == 11) {
      return new SkuPlan(i, Role.AGE_PLANTED, 0, 0, gbp, base);
    } else if (i == 12 || i == 110) {
      return new SkuPlan(i, Role.TRAP_REGION, 0, 0, gbp, base);
    }
    return new SkuPlan(i, Role.NULL, 0, 0, gbp, base);
  }
}
