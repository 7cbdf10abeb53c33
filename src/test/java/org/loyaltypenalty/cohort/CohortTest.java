package org.loyaltypenalty.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CohortTest {
  @Test
  void everyCodeReadsBackAsItsCohort() {
    for (Cohort c : Cohort.values()) {
      assertEquals(c, Cohort.ofCode(c.code()));
    }
  }

  @Test
  void textThatIsNoCohortCodeIsRefused() {
    // the codes are lower case; the constant's name is not a code
    assertThrows(IllegalArgumentException.class, () -> Cohort.ofCode("LOYAL"));
    assertThrows(IllegalArgumentException.class, () -> Cohort.ofCode("censored"));
    assertThrows(IllegalArgumentException.class, () -> Cohort.ofCode(null));
  }
}
