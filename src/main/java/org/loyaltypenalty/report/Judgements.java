package org.loyaltypenalty.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's judgements on the findings, made once and apart from how they are shown: the
 * strength of the evidence behind a finding, price walking, the overcharge in money, and which
 * standards each kind of finding speaks to. Plain Java on values; the renderer only words them.
 */
public final class Judgements {
  private Judgements() {}

  /** How strong the evidence behind one finding is, as the report labels it. */
  public enum Strength {
    /** Flagged, {@code q <= 0.01}, and at least three exact-context cells hold both groups. */
    STRONG,
    /** Flagged otherwise. */
    MODERATE,
    /** Significant after FDR control, but below the materiality threshold. */
    WEAK,
    /** Not significant, untested, or a discount. */
    NONE;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The q-value at or below which a flagged finding with enough cells is strong. */
  static final double STRONG_Q = 0.01;
  /** The exact-context cells holding both groups a strong finding needs. */
  static final long STRONG_CELLS = 3;

  /**
   * The strength of a findings row.
   *
   * @param status the row's status code
   * @param q its q-value, null when untested
   * @param cellsWithBoth exact-context cells holding both groups, null when unknown
   */
  public static Strength strength(String status, Double q, Number cellsWithBoth) {
    if ("penalty".equals(status)) {
      return q != null && q <= STRONG_Q && cellsWithBoth != null
          && cellsWithBoth.longValue() >= STRONG_CELLS ? Strength.STRONG : Strength.MODERATE;
    }
    return "not_material".equals(status) ? Strength.WEAK : Strength.NONE;
  }

  /** The strongest of some strengths ({@link Strength#NONE} for none). */
  public static Strength strongest(List<Strength> strengths) {
    return strengths.stream().min(Enum::compareTo).orElse(Strength.NONE);
  }

  /**
   * Price walking: among returning customers (one prior purchase or more; bucket 0 is the new
   * customers, 0 by construction), the longest-tenure bucket's interval lies wholly above that
   * of the first returning bucket: the price keeps rising with tenure, not only from new to
   * returning.
   *
   * @param points the tenure figure's points in order of prior purchases
   */
  public static boolean priceWalking(List<Charts.TenurePoint> points) {
    List<Charts.TenurePoint> returning = points.stream().filter(p -> p.prior() > 0).toList();
    if (returning.size() < 2) {
      return false;
    }
    Charts.TenurePoint first = returning.get(0);
    Charts.TenurePoint last = returning.get(returning.size() - 1);
    return last.prior() > first.prior() && last.low() > first.high();
  }

  /** The overcharge of one (SKU, comparison): amount in money and its standard error. */
  public record Overcharge(String skuId, String currency, double amount, double stdError) {}

  /** The overcharge of one currency, with its interval. */
  public record Total(String currency, double amount, double low, double high, long comparisons) {}

  /**
   * The overcharge per currency: amounts add up; the standard errors of one SKU's comparisons
   * add (they share the SKU's new customers, so they are not independent: adding them is the
   * conservative bound), and SKUs' errors add in quadrature; the interval is
   * {@code amount -+ z se}.
   *
   * @param z the normal quantile of the run's confidence level
   */
  public static List<Total> overchargeByCurrency(List<Overcharge> published, double z) {
    Map<String, double[]> byCurrency = new TreeMap<>();
    Map<String, Double> skuSe = new LinkedHashMap<>();
    for (Overcharge o : published) {
      double[] acc = byCurrency.computeIfAbsent(o.currency(), c -> new double[3]);
      acc[0] += o.amount();
      acc[2] += 1;
      skuSe.merge(o.currency() + "\u0001" + o.skuId(), o.stdError(), Double::sum);
    }
    skuSe.forEach((key, se) ->
        byCurrency.get(key.substring(0, key.indexOf('\u0001')))[1] += se * se);
    List<Total> out = new ArrayList<>();
    byCurrency.forEach((currency, acc) -> {
      double se = Math.sqrt(acc[1]);
      out.add(new Total(currency, acc[0], acc[0] - z * se, acc[0] + z * se, (long) acc[2]));
    });
    return out;
  }

  /** A kind of finding the legal mapping speaks of. */
  public enum Kind {
    LOYAL, REPEAT, DISCOUNT, WALKING;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The standards (codes of the report's bundle) that speak to this kind: the Chinese rules
     * for every kind, and the FCA's ban on price walking for those about tenure.
     */
    public List<String> standards() {
      List<String> out = new ArrayList<>(List.of("pipl24", "algo21", "cprl9", "ppbr"));
      if (this != DISCOUNT) {
        out.add("icobs6b");
      }
      return out;
    }
  }

  /** The kind of customer attribute a segment is, for the standards that speak to it. */
  public enum AttributeKind {
    /** Membership tier, paid membership: a profile the platform assigns. */
    MEMBERSHIP,
    /** Age: a profile attribute, and the elderly a vulnerable group. */
    AGE,
    /** Device and channel: a consumer's habits. */
    DEVICE,
    /** Any other profile attribute of the customers input. */
    PROFILE;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of the segment {@code name}. */
    public static AttributeKind of(String name) {
      return switch (name) {
        case "member_tier" -> MEMBERSHIP;
        case "age" -> AGE;
        case "device_os", "channel" -> DEVICE;
        default -> PROFILE;
      };
    }

    /**
     * The standards (codes of the report's bundle) that speak to this kind: automated decisions
     * on any attribute (PIPL Art. 24); profile attributes under the consumer-protection rules
     * and the platform price rules; age besides under the 2024 campaign notice that names it;
     * habits and devices under the algorithm provisions.
     */
    public List<String> standards() {
      return switch (this) {
        case MEMBERSHIP, PROFILE -> List.of("pipl24", "cprl9", "ppbr");
        case AGE -> List.of("pipl24", "cprl9", "ppbr", "qinglang2024");
        case DEVICE -> List.of("pipl24", "algo21");
      };
    }
  }

  /**
   * Whether a list/discount split shows a personalised discount: the discount part is positive
   * (the compared group gets less off) and at least as large as the list part.
   */
  public static boolean discountDriven(double listGapLog, double discountGapLog) {
    return discountGapLog > 0 && discountGapLog >= Math.abs(listGapLog);
  }
}
