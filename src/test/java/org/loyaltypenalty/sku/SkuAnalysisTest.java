package org.loyaltypenalty.sku;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.cohort.Cohort;
import org.loyaltypenalty.cohort.Comparison;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;

/** The per-SKU kernel on plain values, without Spark. */
class SkuAnalysisTest {
  private static final List<String> DIMS = List.of("time_bucket", "channel");

  /** One quote as values: customer, cohort, price, time bucket, channel. */
  private record Quote(String customer, Cohort cohort, double price, String bucket,
      String channel) {}

  /** Loyal customers pay 8% more than new ones in both channels; repeat ones as new. */
  private static List<Quote> quotes(int customersPerCohort) {
    Random random = new Random(5);
    List<Quote> out = new ArrayList<>();
    for (Cohort cohort : Cohort.values()) {
      for (int c = 0; c < customersPerCohort; c++) {
        for (String channel : List.of("app", "web")) {
          double base = channel.equals("app") ? 20 : 21;
          double price = base * (cohort == Cohort.LOYAL ? 1.08 : 1.0)
              * Math.exp(0.01 * random.nextGaussian());
          out.add(new Quote(cohort.code() + c, cohort, Math.round(price * 100) / 100.0,
              Integer.toString(c % 3), channel));
        }
      }
    }
    return out;
  }

  private static SkuQuotes canonical(List<Quote> quotes) {
    SkuQuotes q = new SkuQuotes("S1", "EUR", DIMS.size(), false);
    for (Quote x : quotes) {
      q.add(x.customer(), x.cohort().ordinal(), Math.log(x.price()), x.price(), 0, Double.NaN,
          "M1", false, new String[] {x.bucket(), x.channel()});
    }
    q.canonicalise();
    return q;
  }

  private static SkuAnalysis analysis(Map<String, String> settings) {
    AuditConfig config = ConfigLoader.fromMap(settings, "test");
    return SkuAnalysis.of(config, DIMS);
  }

  @Test
  void analysisIsBitIdenticalWhateverOrderTheQuotesAreAddedIn() {
    List<Quote> quotes = quotes(12);
    SkuAnalysis analysis = analysis(Map.of());
    SkuAnalysis.Result first = analysis.analyse(canonical(quotes));
    for (long seed = 1; seed <= 3; seed++) {
      List<Quote> shuffled = new ArrayList<>(quotes);
      Collections.shuffle(shuffled, new Random(seed));
      SkuAnalysis.Result again = analysis.analyse(canonical(shuffled));
      assertEquals(first.estimates(), again.estimates(), "estimates, seed " + seed);
      assertEquals(first.placebo(), again.placebo(), "placebo, seed " + seed);
      assertEquals(first.cells().size(), again.cells().size(), "cells, seed " + seed);
    }
  }

  @Test
  void aPlantedLoyalPenaltyIsEstimatedAndGetsFiguresWhileRepeatShowsNone() {
    SkuAnalysis.Result r = analysis(Map.of()).analyse(canonical(quotes(12)));
    Estimate loyal = r.estimates().stream()
        .filter(e -> e.contrast().equals(Comparison.LOYAL_VS_NEW.contrast())).findFirst().orElseThrow();
    assertTrue(loyal.tested(), "tested: " + loyal);
    assertEquals(Math.log(1.08), loyal.estimateLog(), 0.01, "the planted 8%");
    assertTrue(loyal.pValue() < 1e-6, "p " + loyal.pValue());
    assertEquals(12, loyal.customersCompared());
    assertTrue(r.figures().stream().anyMatch(f -> f.kind() == SkuFigures.Kind.DISTRIBUTION),
        "a SKU that may be flagged carries its figures");
  }

  @Test
  void eachMinimumDataRuleGivesItsReason() {
    SkuQuotes quotes = canonical(quotes(12));
    Estimate fewQuotes = analysis(Map.of("test.min_quotes_per_cohort", "25")).analyse(quotes)
        .estimates().get(0);
    assertEquals(UntestedReason.FEWER_QUOTES, fewQuotes.reason());
    assertNull(fewQuotes.pValue());
    Estimate fewCustomers = analysis(Map.of("test.min_quotes_per_cohort", "4",
        "test.min_customers_per_cohort", "13")).analyse(canonical(quotes(12))).estimates().get(0);
    assertEquals(UntestedReason.FEWER_CUSTOMERS, fewCustomers.reason());
    Estimate enough = analysis(Map.of("test.min_quotes_per_cohort", "4",
        "test.min_customers_per_cohort", "12")).analyse(canonical(quotes(12))).estimates().get(0);
    assertNull(enough.reason());
    assertNotNull(enough.pValue());
  }

  @Test
  void cohortsThatNeverShareAContextAreNotTestedForThatReason() {
    List<Quote> apart = new ArrayList<>();
    for (Quote q : quotes(12)) {
      // new customers only in the app, loyal ones only on the web: nothing like for like
      if ((q.cohort() == Cohort.NEW && q.channel().equals("app"))
          || (q.cohort() == Cohort.LOYAL && q.channel().equals("web"))) {
        apart.add(new Quote(q.customer(), q.cohort(), q.price(), "0", q.channel()));
      }
    }
    Estimate loyal = analysis(Map.of("test.min_quotes_per_cohort", "4",
        "test.min_customers_per_cohort", "3")).analyse(canonical(apart)).estimates().stream()
        .filter(e -> e.contrast().equals(Comparison.LOYAL_VS_NEW.contrast())).findFirst().orElseThrow();
    assertEquals(UntestedReason.NO_SHARED_CONTEXT, loyal.reason());
  }
}
