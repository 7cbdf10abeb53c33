package org.loyaltypenalty.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.UserException;
import org.loyaltypenalty.segment.SegmentSource;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * The segment keys: {@code segments}, {@code segment.<name>.reference}, {@code segment.age.bands}
 * and {@code customers.columns.<name>}, and the exits (exact messages) for what cannot be run.
 */
class SegmentConfigTest {
  private static AuditConfig config(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return ConfigLoader.fromMap(m, "test.properties");
  }

  private static String error(String... keyValues) {
    return assertThrows(UserException.class, () -> config(keyValues)).getMessage();
  }

  @Test
  void noSegmentsByDefault() {
    assertEquals(List.of(), AuditConfig.defaults().segments());
    assertEquals(List.of(), Segments.customerColumns(AuditConfig.defaults()));
  }

  @Test
  void segmentsKeepTheirOrderReferencesAreLowerCasedAndAgeGetsTheDefaultBands() {
    AuditConfig c = config("segments", "member_tier, device_os, age",
        "segment.member_tier.reference", " None ", "segment.age.reference", "30-44");
    assertEquals(List.of(
        new SegmentSpec("member_tier", Optional.of("none"), List.of()),
        new SegmentSpec("device_os", Optional.empty(), List.of()),
        new SegmentSpec("age", Optional.of("30-44"), List.of(18, 30, 45, 60, 70))),
        c.segments());
    assertEquals("member_tier,device_os,age", c.asMap().get("segments"));
    assertEquals("18,30,45,60,70", c.asMap().get("segment.age.bands"));
  }

  @Test
  void aSegmentIsAgeAMappedCustomersColumnAQuotesColumnOrElseACustomersColumn() {
    AuditConfig c = config("segments", "age,member_tier,device_os,loyalty_level",
        "customers.columns.member_tier", "Tier");
    Map<String, SegmentSource> sources = new HashMap<>();
    c.segments().forEach(s -> sources.put(s.name(), Segments.source(s, c)));
    assertEquals(Map.of("age", SegmentSource.AGE, "member_tier", SegmentSource.CUSTOMERS,
        "device_os", SegmentSource.QUOTES, "loyalty_level", SegmentSource.CUSTOMERS), sources);
    assertEquals(List.of("customer_id", "member_tier", "loyalty_level", "birth_year"),
        Segments.customerColumns(c));
    assertEquals(List.of("device_os"), Segments.quoteColumns(c));
  }

  @Test
  void cohortIsReservedForTheLoyaltyCohort() {
    assertEquals("config key 'segments' lists 'cohort', the loyalty cohort, which every audit"
        + " tests; remove it from segments (list only the attributes tested besides it)",
        error("segments", "member_tier,cohort"));
  }

  @Test
  void bandsThatAreNotStrictlyIncreasingPositiveWholeNumbersExit() {
    String expected = "config key 'segment.age.bands' has value '%s'; expected strictly"
        + " increasing whole numbers above 0, comma-separated, such as 18,30,45,60,70";
    for (String bands : List.of("18,30,30", "30,18", "0,18", "18,x", "18.5,30", " ")) {
      assertEquals(String.format(expected, bands.trim().isEmpty() ? bands : bands),
          error("segments", "age", "segment.age.bands", bands), bands);
    }
  }

  @Test
  void anAgeReferenceThatIsNotABandExitsNamingTheBands() {
    assertEquals("config key 'segment.age.reference' has value '30-40'; expected one of the age"
        + " bands of segment.age.bands: <18, 18-29, 30-44, 45-59, 60-69, 70+",
        error("segments", "age", "segment.age.reference", "30-40"));
  }

  @Test
  void keysOfASegmentNotListedExit() {
    assertEquals("config key 'segment.member_teir.reference' is about the segment 'member_teir',"
        + " which segments does not list (segments: member_tier); add member_teir to segments, or"
        + " remove the key",
        error("segments", "member_tier", "segment.member_teir.reference", "none"));
    assertEquals("config key 'segment.age.bands' is about the segment 'age', which segments does"
        + " not list (segments: none); add age to segments, or remove the key",
        error("segment.age.bands", "18,65"));
    assertEquals("config key 'customers.columns.tier' is about the segment 'tier', which segments"
        + " does not list (segments: age); add tier to segments, or remove the key",
        error("segments", "age", "customers.columns.tier", "Tier"));
  }

  @Test
  void namesThatCannotBeSegmentsExit() {
    assertEquals("segment 'Member Tier' is not a name a segment can have (lower-case letters,"
        + " digits and _, starting with a letter); name it so in segments and map the column to it"
        + " with customers.columns.<name> = Member Tier", error("segments", "Member Tier"));
    assertEquals("segment 'birth_year' cannot be tested: the birth year never leaves the step"
        + " that reads it; test the age bands with age; remove it from segments",
        error("segments", "birth_year"));
    assertEquals("config key 'segments' has value 'age,age'; expected each segment listed once"
        + " ('age' is listed twice)", error("segments", "age,age"));
  }

  @Test
  void aSegmentThatNeedsTheCustomersExitsWithoutThem() {
    AuditConfig unknown = config("segments", "member_tier,loyalty_level");
    assertEquals("unknown segment 'loyalty_level': it is not age or a quotes column that can be a"
        + " segment (member_tier, device_os, channel, region), so it must be a column of the"
        + " customers input, and no --customers is given; pass --customers PATH with a column"
        + " 'loyalty_level' (or map yours with customers.columns.loyalty_level = <your column"
        + " name>), or remove it from segments",
        assertThrows(UserException.class, () -> Segments.requireCustomersInput(unknown, false))
            .getMessage());
    AuditConfig age = config("segments", "age");
    assertEquals("segment age needs the customers' birth years: pass --customers PATH with a"
        + " column birth_year (or map yours with customers.columns.birth_year = <your column"
        + " name>), or remove age from segments",
        assertThrows(UserException.class, () -> Segments.requireCustomersInput(age, false))
            .getMessage());
    Segments.requireCustomersInput(config("segments", "member_tier,device_os"), false);
    Segments.requireCustomersInput(age, true);
  }

  @Test
  void aMissingSegmentColumnNamesTheSegmentAndTheColumnsFound() {
    AuditConfig c = config("segments", "loyalty_level");
    assertEquals("unknown segment 'loyalty_level': the customers input has no column"
        + " 'loyalty_level' (and it is not age or a quotes column that can be a segment:"
        + " member_tier, device_os, channel, region); columns found: customer_id, tier. Map it"
        + " with customers.columns.loyalty_level = <your column name>, or remove it from"
        + " segments",
        assertThrows(UserException.class,
            () -> Segments.requireCustomerColumns(c, List.of("customer_id", "tier"))).getMessage());
    AuditConfig q = config("segments", "member_tier");
    assertEquals("segment 'member_tier' is a quotes column, and the quotes input has no column"
        + " 'member_tier'; columns found: quote_id, price. Map it with columns.member_tier = <your"
        + " column name>, read it from the customers with customers.columns.member_tier = <your"
        + " column name>, or remove it from segments",
        assertThrows(UserException.class,
            () -> Segments.requireQuoteColumns(q, List.of("quote_id", "price"))).getMessage());
  }

  @Test
  void aReferenceLevelThatNeverOccursNamesTheLevelsSeen() {
    assertEquals("segment member_tier: reference level 'platinum' never occurs in the run (levels"
        + " seen: none, gold, diamond); set segment.member_tier.reference to one of them, or remove"
        + " it to use the level with the most customers",
        org.loyaltypenalty.Errors.segmentReferenceAbsent("member_tier", "platinum",
            List.of("none", "gold", "diamond")).getMessage());
  }
}
