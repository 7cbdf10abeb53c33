package org.loyaltypenalty.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.privacy.DirectIdentifiers.Kind;

/**
 * The patterns of direct identifiers. The resident ID numbers' check characters were computed
 * independently with the ISO 7064 MOD 11-2 weights of GB 11643-1999 in Python.
 */
class DirectIdentifiersTest {
  @Test
  void mainlandMobileNumbersAreFoundWithOrWithoutTheCountryCodeAndSeparators() {
    for (String v : new String[] {"13812345678", "+8613812345678", "8619912345678",
        "138-1234-5678", "138 1234 5678"}) {
      assertEquals(Optional.of(Kind.MOBILE_CN), DirectIdentifiers.kind(v), v);
    }
    // a landline, 10 digits, a second digit of 2, and an ordinary id are not mobile numbers
    for (String v : new String[] {"02012345678", "1381234567", "12812345678", "C0000123"}) {
      assertEquals(Optional.empty(), DirectIdentifiers.kind(v), v);
    }
  }

  @Test
  void residentIdNumbersNeedAValidBirthDateAndCheckCharacter() {
    assertEquals(Optional.of(Kind.RESIDENT_ID_CN), DirectIdentifiers.kind("11010519491231002X"));
    assertEquals(Optional.of(Kind.RESIDENT_ID_CN), DirectIdentifiers.kind("11010519491231002x"));
    assertEquals(Optional.of(Kind.RESIDENT_ID_CN), DirectIdentifiers.kind("440524188001010014"));
    assertFalse(DirectIdentifiers.residentIdValid("110105194912310021"));
    // an 18-digit order id: no birth date in it
    assertEquals(Optional.empty(), DirectIdentifiers.kind("123456789012345678"));
    // the standard's own example, born 1880, above; month 13 here
    assertEquals(Optional.empty(), DirectIdentifiers.kind("110105194913310027"));
  }

  @Test
  void emailAddressesAreFoundAndHandlesAreNot() {
    assertEquals(Optional.of(Kind.EMAIL), DirectIdentifiers.kind("li.wei+shop@example.com.cn"));
    assertEquals(Optional.empty(), DirectIdentifiers.kind("@li_wei"));
    assertEquals(Optional.empty(), DirectIdentifiers.kind("user@localhost"));
  }

  /**
   * Of 200 rows, 3 mobile numbers (1.5%) in a column are reported, 2 (1%) in another are not;
   * the column is named as the input names it.
   */
  @Test
  void aColumnIsReportedWhenMoreThanOnePercentOfItsValuesAreIdentifiers() {
    java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(java.util.List.of(i < 3 ? "1391234567" + (i % 10) : "C" + i,
          i < 2 ? "1391234567" + (i % 10) : "S" + i));
    }
    var data = org.loyaltypenalty.TestSpark.strings(
        java.util.List.of("customer_id", "sku_id"), rows);
    var found = DirectIdentifiers.scan("quotes", data, new org.loyaltypenalty.config.ColumnMapping(
        java.util.Map.of("customer_id", "Kunden-Nr")));
    assertEquals(1, found.size());
    assertEquals("Kunden-Nr", found.get(0).column());
    assertEquals(Kind.MOBILE_CN, found.get(0).kind());
    assertEquals(3, found.get(0).matches());
    assertEquals(200, found.get(0).checked());
    assertTrue(found.get(0).share() > DirectIdentifiers.MAX_SHARE);
  }
}
