package org.loyaltypenalty.sku;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.config.ConfigLoader;
import org.loyaltypenalty.segment.Contrast;
import org.loyaltypenalty.segment.SegmentLevels;

/**
 * The per-SKU kernel with segments, on plain values: each segment's levels against its
 * reference, and the adjusted view that holds every segment fixed for the others. The truth is
 * planted; the estimator itself is checked against references in FixedEffectsRegressionTest.
 */
class SegmentAnalysisTest {
  /** The dimensions held fixed: device_os is also a segment. */
  private static final List<String> DIMS = List.of("time_bucket", "device_os");
  private static final SegmentLevels TIER = new SegmentLevels("member_tier",
      List.of("diamond", "none"), 1, true, List.of(0L, 0L), 0);
  private static final SegmentLevels DEVICE = new SegmentLevels("device_os",
      List.of("android", "ios"), 0, true, List.of(0L, 0L), 0);

  /** One quote: customer, cohort, tier (-1 unknown), device, price, time bucket. */
  private record Quote(String customer, Cohort cohort, int tier, int device, double price,
      int bucket) {}

  /**
   * Diamond members pay {@code tierGap} more and iPhone users {@code deviceGap} more; loyalty
   * itself costs nothing, but most diamond members are loyal (and most loyal customers
   * diamond), so loyalty and tier go together. Every fifth new customer's tier is unknown.
   */
  private static List<Quote> quotes(double tierGap, double deviceGap) {
    Random random = new Random(11);
    List<Quote> out = new ArrayList<>();
    int id = 0;
    for (Cohort cohort : Cohort.values()) {
      for (int c = 0; c < 40; c++) {
        boolean diamond = cohort == Cohort.LOYAL ? c % 5 != 0 : c % 5 == 0;
        int tier = cohort == Cohort.NEW && c % 5 == 1 ? -1 : diamond ? 0 : 1;
        int device = c % 2;
        String customer = "C" + id++;
        for (int q = 0; q < 3; q++) {
          double price = 50 * (diamond ? 1 + tierGap : 1) * (device == 1 ? 1 + deviceGap : 1)
              * (1 + 0.02 * q) * Math.exp(0.01 * random.nextGaussian());
          out.add(new Quote(customer, cohort, tier, device, Math.round(price * 100) / 100.0, q));
        }
      }
    }
    return out;
  }

  private static SkuQuotes canonical(List<Quote> quotes) {
    SkuQuotes q = new SkuQuotes("S1", "CNY", DIMS.size(), 2, false);
    for (Quote x : quotes) {
      q.add(x.customer(), x.cohort().ordinal(), Math.log(x.price()), x.price(), 0, Double.NaN,
          "M1", false, new String[] {Integer.toString(x.bucket()), DEVICE.levels().get(x.device())},
          new int[] {x.tier(), x.device()});
    }
    q.canonicalise();
    return q;
  }

  private static SkuAnalysis.Result analyse(List<Quote> quotes) {
    return SkuAnalysis.of(ConfigLoader.fromMap(Map.of(), "test"), DIMS, List.of(TIER, DEVICE))
        .analyse(canonical(quotes));
  }

  private static Estimate find(SkuAnalysis.Result r, Contrast c) {
    Optional<Estimate> e = r.all().stream().filter(x -> x.contrast().equals(c)).findFirst();
    return e.orElseThrow(() -> new AssertionError("no estimate of " + c));
  }

  private static double pct(double log) {
    return 100 * Math.expm1(log);
  }

  @Test
  void aTierPenaltyIsEstimatedAgainstTheReferenceLevel() {
    Estimate tier = find(analyse(quotes(0.05, 0)),
        new Contrast("member_tier", "diamond", "none"));
    assertTrue(tier.tested(), tier.toString());
    assertEquals(5.0, pct(tier.estimateLog()), 0.5);
    assertTrue(tier.pValue() < 1e-6, "p " + tier.pValue());
  }

  @Test
  void theAdjustedViewAttributesATierPenaltyToTheTierNotToLoyalty() {
    SkuAnalysis.Result r = analyse(quotes(0.05, 0));
    Estimate loyal = find(r, Comparison.LOYAL_VS_NEW.contrast());
    Estimate tier = find(r, new Contrast("member_tier", "diamond", "none"));
    // marginally, loyal customers pay more: most of them are diamond members
    assertTrue(pct(loyal.estimateLog()) > 2.5, "marginal loyal " + pct(loyal.estimateLog()));
    // holding the tier fixed, loyalty costs nothing; holding loyalty fixed, the tier costs 5%
    assertTrue(loyal.adjustedLowLog() < 0 && loyal.adjustedHighLog() > 0,
        "adjusted loyal interval " + loyal.adjustedLowLog() + ".." + loyal.adjustedHighLog());
    assertEquals(0.0, pct(loyal.adjustedLog()), 0.6);
    assertEquals(5.0, pct(tier.adjustedLog()), 0.6);
    assertTrue(tier.adjustedLowLog() > 0);
  }

  @Test
  void aSegmentThatIsAContextDimensionIsComparedNotHeldFixed() {
    SkuAnalysis.Result r = analyse(quotes(0, 0.04));
    Estimate device = find(r, new Contrast("device_os", "ios", "android"));
    // held fixed, the device's own levels would never share a context
    assertTrue(device.tested(), device.toString());
    assertEquals(4.0, pct(device.estimateLog()), 0.5);
    // in every other segment's comparison it stays held fixed: the tier shows no gap
    Estimate tier = find(r, new Contrast("member_tier", "diamond", "none"));
    assertEquals(0.0, pct(tier.estimateLog()), 0.6);
  }

  @Test
  void quotesWithAnUnknownLevelAreLeftOutNotCountedAsTheReference() {
    List<Quote> quotes = quotes(0.05, 0);
    long unknown = quotes.stream().filter(q -> q.tier() < 0).count();
    long none = quotes.stream().filter(q -> q.tier() == 1).count();
    Estimate tier = find(analyse(quotes), new Contrast("member_tier", "diamond", "none"));
    assertTrue(unknown > 0);
    assertEquals(none, tier.nReference());
    assertEquals(quotes.size() - unknown, tier.quotesInSku());
  }

  @Test
  void segmentEstimatesAreBitIdenticalWhateverOrderTheQuotesAreAddedIn() {
    List<Quote> quotes = quotes(0.05, 0.04);
    SkuAnalysis.Result first = analyse(quotes);
    for (long seed = 1; seed <= 3; seed++) {
      List<Quote> shuffled = new ArrayList<>(quotes);
      Collections.shuffle(shuffled, new Random(seed));
      assertEquals(first.all(), analyse(shuffled).all(), "seed " + seed);
    }
  }

  @Test
  void aSegmentsExactCellsHoldEveryDimensionButItsOwn() {
    SkuAnalysis.Result r = analyse(quotes(0, 0.04));
    List<ExactCells.Cell> device = r.cells().stream()
        .filter(c -> c.contrast().equals(new Contrast("device_os", "ios", "android"))).toList();
    // one cell per time bucket: the device itself does not split them
    assertEquals(3, device.size());
    for (ExactCells.Cell c : device) {
      assertNull(c.levels()[1], "device_os is compared, not a cell dimension");
      assertEquals(4.0, pct(c.estimateLog()), 0.5);
      assertEquals(60, c.nReference());
    }
    List<ExactCells.Cell> tier = r.cells().stream()
        .filter(c -> c.contrast().segment().equals("member_tier")).toList();
    // time bucket x device, each holding members and non-members
    assertEquals(6, tier.size());
    tier.forEach(c -> assertEquals(0.0, pct(c.estimateLog()), 1.0));
  }

  @Test
  void thePlaceboSplitsTheReferenceOfEverySegmentAsItDoesNewCustomers() {
    List<Contrast> placebo = analyse(quotes(0.05, 0.04)).placebo().stream()
        .map(Estimate::contrast).toList();
    assertEquals(List.of(Comparison.LOYAL_VS_NEW.contrast(),
        new Contrast("member_tier", SkuAnalysis.PLACEBO_HALF, "none"),
        new Contrast("device_os", SkuAnalysis.PLACEBO_HALF, "android")), placebo);
  }

  @Test
  void withoutSegmentsThereIsNoAdjustedView() {
    SkuAnalysis.Result r = SkuAnalysis.of(ConfigLoader.fromMap(Map.of(), "test"), DIMS)
        .analyse(canonical(quotes(0.05, 0)));
    assertTrue(r.segmentEstimates().isEmpty());
    r.estimates().forEach(e -> assertNull(e.adjustedLog(), e.toString()));
  }
}
