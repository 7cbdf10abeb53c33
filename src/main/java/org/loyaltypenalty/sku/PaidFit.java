package org.loyaltypenalty.sku;

import java.util.ArrayList;
import java.util.List;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.stats.FixedEffectsRegression;

/**
 * What the customer paid per unit, in money: the model of a price comparison (the loyalty
 * cohort's indicators of {@link CohortFit}, or a segment's of {@link SegmentFit}; the same fixed
 * effects, standard errors clustered by customer) fitted to the total paid per unit and to each
 * of its parts, on one design in one run of the alternating projections
 * ({@link FixedEffectsRegression#fitAll}). Per quote, in the quote's currency,
 * <pre>
 *   total = price + fee / quantity - coupon / quantity
 *         = list + (price - list) + fee / quantity + (-coupon / quantity)
 * </pre>
 * Least squares is linear in the response, so each comparison's total coefficient is the sum of
 * its parts' coefficients (list price, personalised discount {@code price - list}, fee and
 * coupon; the price part alone when the quotes have no list price), to rounding. The coupon part
 * is the coupon taken off, negated: positive when the compared group's coupons take less off.
 *
 * <p>Measurement error (the zero-variance floor of {@link FixedEffectsRegression}): each money
 * amount is rounded to {@code price_unit}, variance {@code u^2 / 12} (Sheppard's correction);
 * an amount over a quantity of at least 1 has at most that, so each part is given
 * {@code u^2 / 12} and the total that once per amount it sums (conservative).
 */
final class PaidFit {
  private PaidFit() {}

  /** The parts of the total, in the order the report lists them. */
  enum Part {
    /** The list price: only when every quote of the SKU has one. */
    LIST,
    /** The personalised discount, {@code price - list}: only with {@link #LIST}. */
    DISCOUNT,
    /** The unit price: the price part when there is no list price. */
    PRICE,
    FEE,
    COUPON
  }

  /**
   * The fits of one SKU.
   *
   * @param total the fit of the total paid per unit
   * @param parts the fit of each part present (a part absent from the quotes is absent here)
   * @param referenceMean the mean total per unit of the reference cohort's quotes in the fit
   *     (NaN when it has none): what a money gap is put in % of
   */
  record Result(FixedEffectsRegression.Fit total, java.util.Map<Part, FixedEffectsRegression.Fit>
      parts, double referenceMean) {

    /** The fit of a tested money outcome: the total, the fee or the coupon. */
    FixedEffectsRegression.Fit of(Outcome outcome) {
      return switch (outcome) {
        case TOTAL -> total;
        case FEE -> parts.get(Part.FEE);
        case COUPON -> parts.get(Part.COUPON);
        case PRICE -> throw new IllegalArgumentException("the price is compared on the log scale");
      };
    }

    /** Each part's coefficient of {@code comparison}, in {@link Part} order (absent: null). */
    Double[] split(Comparison comparison) {
      return split(CohortFit.coefficient(comparison));
    }

    /** Each part's coefficient {@code j} of the design, in {@link Part} order (absent: null). */
    Double[] split(int j) {
      Double[] out = new Double[Part.values().length];
      parts.forEach((part, fit) -> out[part.ordinal()] = fit.coefficients()[j]);
      return out;
    }
  }

  /** The money outcomes tested for {@code quotes}: the total, then fee and coupon if present. */
  static List<Outcome> outcomes(SkuQuotes quotes) {
    List<Outcome> out = new ArrayList<>();
    if (quotes.hasAmounts()) {
      out.add(Outcome.TOTAL);
      if (quotes.hasFee) {
        out.add(Outcome.FEE);
      }
      if (quotes.hasCoupon) {
        out.add(Outcome.COUPON);
      }
    }
    return out;
  }

  /** A design that fits several responses at once: a cohort's or a segment's. */
  @FunctionalInterface
  interface Design {
    /**
     * @param measurement each response's per-quote measurement-error variance
     * @return one fit per response, in order
     */
    FixedEffectsRegression.Fit[] fitAll(double[][] responses, double[][] measurement);
  }

  /**
   * Fits the total and its parts of {@code quotes} (canonicalised, with amounts) on the loyalty
   * cohort's design ({@link CohortFit#fitAll}), in % of the new customers' mean total.
   */
  static Result fit(SkuQuotes quotes, double priceUnit) {
    return fit(quotes, priceUnit, (ys, m) -> CohortFit.fitAll(quotes, ys, m),
        quotes.cohortLevels(), Comparison.reference().ordinal());
  }

  /**
   * Fits the total and its parts of {@code quotes} (canonicalised, with amounts) on
   * {@code design}.
   *
   * @param group each quote's level in the compared attribute
   * @param reference the reference level: the mean total a money gap is put in % of is of its
   *     quotes in the fit
   */
  static Result fit(SkuQuotes quotes, double priceUnit, Design design, int[] group,
      int reference) {
    int n = quotes.n;
    boolean list = quotes.hasListPrice;
    for (int i = 0; list && i < n; i++) {
      list = quotes.list[i] > 0;
    }
    List<Part> parts = new ArrayList<>();
    if (list) {
      parts.add(Part.LIST);
      parts.add(Part.DISCOUNT);
    } else {
      parts.add(Part.PRICE);
    }
    if (quotes.hasFee) {
      parts.add(Part.FEE);
    }
    if (quotes.hasCoupon) {
      parts.add(Part.COUPON);
    }
    double unit = priceUnit * priceUnit / 12;
    double[][] ys = new double[parts.size() + 1][n];
    double[][] measurement = new double[parts.size() + 1][n];
    int amounts = 1 + (quotes.hasFee ? 1 : 0) + (quotes.hasCoupon ? 1 : 0);
    for (int i = 0; i < n; i++) {
      ys[0][i] = total(quotes, i);
      measurement[0][i] = amounts * unit;
      for (int p = 0; p < parts.size(); p++) {
        ys[p + 1][i] = switch (parts.get(p)) {
          case LIST -> quotes.list[i];
          case DISCOUNT -> quotes.price[i] - quotes.list[i];
          case PRICE -> quotes.price[i];
          case FEE -> quotes.fee[i];
          case COUPON -> -quotes.coupon[i];
        };
        measurement[p + 1][i] = unit;
      }
    }
    FixedEffectsRegression.Fit[] fits = design.fitAll(ys, measurement);
    java.util.Map<Part, FixedEffectsRegression.Fit> byPart = new java.util.EnumMap<>(Part.class);
    for (int p = 0; p < parts.size(); p++) {
      byPart.put(parts.get(p), fits[p + 1]);
    }
    double sum = 0;
    long count = 0;
    for (int i = 0; i < n; i++) {
      if (fits[0].kept()[i] && group[i] == reference) {
        sum += ys[0][i];
        count++;
      }
    }
    return new Result(fits[0], byPart, count == 0 ? Double.NaN : sum / count);
  }

  /** Quote {@code i}'s total paid per unit. */
  static double total(SkuQuotes quotes, int i) {
    return quotes.price[i] + quotes.fee[i] - quotes.coupon[i];
  }
}
