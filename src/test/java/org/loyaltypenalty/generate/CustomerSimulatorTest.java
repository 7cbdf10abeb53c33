package org.loyaltypenalty.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The customer attributes the simulator draws (tier, device, birth year) and the segment
 * penalties and traps it prices with them, measured on 3,000 customers simulated in plain Java
 * (about 60,000 quotes, 30 SKUs, seed 5): no Spark, well under a second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerSimulatorTest {
  static final int CUSTOMERS = 3000;
  static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  final List<SkuPlan> plans = SkuPlan.plan(30);
  final CustomerSimulator simulator = new CustomerSimulator(plans, START, 28, 20, 5);
  /** The well-formed quotes: the simulator's values by column name, plus the customer's age. */
  final List<Map<String, String>> quotes = new ArrayList<>();
  final List<String[]> customerRows = new ArrayList<>();

  @BeforeAll
  void simulate() {
    for (long i = 0; i < CUSTOMERS; i++) {
      CustomerProfile profile = simulator.profile(i);
      for (CustomerSimulator.Output o : simulator.simulate(i)) {
        String[] v = o.values();
        if (o.purchase() || !v[5].matches("\\d+\\.\\d\\d") || !v[4].endsWith("Z") || v[1].isEmpty()) {
          continue;
        }
        Map<String, String> q = new HashMap<>();
        for (int c = 0; c < v.length; c++) {
          q.put(CustomerSimulator.QUOTE_COLUMNS[c], v[c]);
        }
        int year = Instant.parse(v[4]).atZone(ZoneOffset.UTC).getYear();
        q.put("age_band", Segment.ageBand(year - profile.birthYear()));
        q.put("segment", Integer.toString(profile.segment()));
        quotes.add(q);
      }
      customerRows.addAll(simulator.customerRows(i));
    }
  }

  private List<Map<String, String>> of(String sku) {
    return quotes.stream().filter(q -> q.get("sku_id").equals(sku)).toList();
  }

  /** Mean of log(price / list price) over the quotes that match. */
  private static double meanLogMarkup(List<Map<String, String>> rows, java.util.function.Predicate<Map<String, String>> p) {
    return rows.stream().filter(p).mapToDouble(q -> Math.log(Double.parseDouble(q.get("price"))
        / Double.parseDouble(q.get("list_price")))).average().orElseThrow();
  }

  private static double share(List<Map<String, String>> rows, java.util.function.Predicate<Map<String, String>> of,
      java.util.function.Predicate<Map<String, String>> p) {
    List<Map<String, String>> in = rows.stream().filter(of).toList();
    return (double) in.stream().filter(p).count() / in.size();
  }

  @Test
  void ageBandsCutAtTheDefaultEdgesLowerEdgeInclusive() {
    int[] ages = {0, 17, 18, 29, 30, 44, 45, 59, 60, 69, 70, 104};
    String[] bands = {"<18", "<18", "18-29", "18-29", "30-44", "30-44", "45-59", "45-59", "60-69",
        "60-69", "70+", "70+"};
    for (int i = 0; i < ages.length; i++) {
      assertEquals(bands[i], Segment.ageBand(ages[i]), "age " + ages[i]);
    }
  }

  @Test
  void diamondMembersAreMostlyFrequentBuyersAndNonMembersMostlyNot() {
    double loyalAmongDiamond = share(quotes, q -> q.get("member_tier").equals("diamond"),
        q -> q.get("true_cohort").equals("loyal"));
    double loyalAmongNone = share(quotes, q -> q.get("member_tier").equals("none"),
        q -> q.get("true_cohort").equals("loyal"));
    assertTrue(loyalAmongDiamond > 0.6, "diamond quotes from loyal customers: " + loyalAmongDiamond);
    assertTrue(loyalAmongNone < 0.15, "non-member quotes from loyal customers: " + loyalAmongNone);
    Set<String> levels = new HashSet<>();
    quotes.forEach(q -> levels.add(q.get("member_tier")));
    assertEquals(Set.of("none", "silver", "gold", "diamond", ""), levels, "lower case, some unknown");
  }

  @Test
  void aTierChangesAtMostOnceOneStepUpAndQuotesCarryTheTierAsOfTheirTime() {
    Map<String, List<String>> tiers = new HashMap<>();
    for (Map<String, String> q : quotes) { // a customer's quotes come in time order
      tiers.computeIfAbsent(q.get("customer_id"), k -> new ArrayList<>()).add(q.get("member_tier"));
    }
    List<String> order = List.of("none", "silver", "gold", "diamond");
    int upgraded = 0;
    for (List<String> t : tiers.values()) {
      int changes = 0;
      for (int i = 1; i < t.size(); i++) {
        if (!t.get(i).equals(t.get(i - 1))) {
          changes++;
          assertEquals(order.indexOf(t.get(i - 1)) + 1, order.indexOf(t.get(i)), t.toString());
        }
      }
      assertTrue(changes <= 1, t.toString());
      upgraded += changes;
    }
    assertTrue(upgraded > 20 && upgraded < 0.05 * tiers.size(), "customers upgraded: " + upgraded);
  }

  @Test
  void birthYearsArePlausibleWithAFewEmptyOrDefectiveRows() {
    int empty = 0;
    int defective = 0;
    Map<String, Integer> perCustomer = new HashMap<>();
    for (String[] r : customerRows) {
      perCustomer.merge(r[0], 1, Integer::sum);
      assertEquals(3, r.length);
      assertTrue(!r[2].isEmpty(), "every customer has a signup city");
      if (r[1].isEmpty()) {
        empty++;
      } else if (!r[1].matches("\\d{4}") || Integer.parseInt(r[1]) < 1900 || Integer.parseInt(r[1]) > 2026) {
        defective++;
      } else {
        int age = 2026 - Integer.parseInt(r[1]);
        assertTrue(age >= 15 && age <= 92, "age " + age);
      }
    }
    assertEquals(CUSTOMERS, perCustomer.size(), "every customer listed");
    long twice = perCustomer.values().stream().filter(n -> n == 2).count();
    assertTrue(empty > 0.02 * CUSTOMERS && empty < 0.04 * CUSTOMERS, "empty birth years: " + empty);
    assertTrue(defective > 0 && twice > 0 && defective + twice < 0.03 * CUSTOMERS,
        "defective: " + defective + ", listed twice: " + twice);
  }

  @Test
  void over70sLiveInTheDearRegionMoreOftenButAreNoMoreOrLessLoyal() {
    double inDear = share(quotes, q -> q.get("region").equals(CustomerSimulator.DEAR_REGION),
        q -> q.get("age_band").equals("70+"));
    double elsewhere = share(quotes, q -> !q.get("region").equals(CustomerSimulator.DEAR_REGION),
        q -> q.get("age_band").equals("70+"));
    assertTrue(inDear > 0.18 && elsewhere < 0.09, "70+ share in and outside: " + inDear + ", " + elsewhere);
    for (String segment : List.of("0", "1", "2")) {
      double old = share(quotes, q -> q.get("segment").equals(segment), q -> q.get("age_band").equals("70+"));
      assertEquals(0.10, old, 0.035, "70+ share of loyalty segment " + segment);
    }
  }

  @Test
  void theDeviceSurchargeIsExactForIosAndAbsentForEveryOtherDevice() {
    SkuPlan sku = plans.get(8);
    assertEquals(SkuPlan.Role.DEVICE_DETERMINISTIC, sku.role());
    int ios = 0;
    for (Map<String, String> q : of(sku.skuId())) {
      boolean isIos = q.get("device_os").equals("ios");
      ios += isIos ? 1 : 0;
      assertEquals(CustomerSimulator.cents(sku.basePrice() * (isIos ? 1 + SkuPlan.DEVICE_IOS : 1)),
          q.get("price"), q.toString());
    }
    assertTrue(ios > 50, "iOS quotes on the device SKU: " + ios);
  }

  /** The device's trap is the app premium (SKUs 4 and 70): iOS users use the app more. */
  @Test
  void iosUsersUseTheAppMoreOften() {
    double ios = share(quotes, q -> q.get("device_os").equals("ios"), q -> q.get("channel").equals("app"));
    double android = share(quotes, q -> q.get("device_os").equals("android"), q -> q.get("channel").equals("app"));
    assertTrue(ios - android > 0.2, "app share iOS " + ios + ", Android " + android);
  }

  @Test
  void tierAndAgePenaltiesArePlantedAtTheirSize() {
    List<Map<String, String>> tierSku = of(plans.get(7).skuId());
    double none = meanLogMarkup(tierSku, q -> q.get("member_tier").equals("none"));
    assertEquals(Math.log(1 + SkuPlan.TIER_DIAMOND),
        meanLogMarkup(tierSku, q -> q.get("member_tier").equals("diamond")) - none, 0.01);
    assertEquals(Math.log(1 + SkuPlan.TIER_GOLD),
        meanLogMarkup(tierSku, q -> q.get("member_tier").equals("gold")) - none, 0.01);
    List<Map<String, String>> ageSku = of(plans.get(10).skuId());
    assertEquals(SkuPlan.Role.AGE_PLANTED, plans.get(10).role());
    assertEquals(Math.log(1 + SkuPlan.AGE_70_PLUS), meanLogMarkup(ageSku, q -> q.get("age_band").equals("70+"))
        - meanLogMarkup(ageSku, q -> q.get("age_band").equals("30-44")), 0.01);
  }

  /**
   * A trap fools the naive comparison and nothing else: on the region SKU the over-70s pay more
   * overall, because more of them live in the dear region, but not within a region.
   */
  @Test
  void theAgeTrapShowsAGapOnlyAcrossRegions() {
    List<Map<String, String>> trap = of(plans.get(11).skuId());
    assertEquals(SkuPlan.Role.TRAP_REGION, plans.get(11).role());
    double naive = Math.exp(meanLogPrice(trap, q -> q.get("age_band").equals("70+"))
        - meanLogPrice(trap, q -> q.get("age_band").equals("30-44"))) - 1;
    assertTrue(naive > 0.03, "naive 70+ vs 30-44 gap: " + naive);
    for (boolean dear : new boolean[] {true, false}) {
      java.util.function.Predicate<Map<String, String>> in =
          q -> q.get("region").equals(CustomerSimulator.DEAR_REGION) == dear;
      double gap = meanLogPrice(trap, in.and(q -> q.get("age_band").equals("70+")))
          - meanLogPrice(trap, in.and(q -> q.get("age_band").equals("30-44")));
      assertEquals(0, gap, 0.01, "70+ vs 30-44 " + (dear ? "within" : "outside") + " the dear region");
    }
  }

  /** Prices, not markups: the list price already holds the region premium. */
  private static double meanLogPrice(List<Map<String, String>> rows,
      java.util.function.Predicate<Map<String, String>> p) {
    return rows.stream().filter(p)
        .mapToDouble(q -> Math.log(Double.parseDouble(q.get("price")))).average().orElseThrow();
  }
}
