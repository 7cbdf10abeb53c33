package org.loyaltypenalty.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EvidenceAnnexTest {
  private static final String DATA = String.join("\n",
      "sku_id,currency,comparison,context,cohort,quote_id,price,customers_reference,customers_compared",
      "S1,EUR,loyal_vs_new,\"region=GB, LND; note=\"\"a\"\"\",new,Q1,9.5,12,10",
      "S1,EUR,loyal_vs_new,\"region=GB, LND; note=\"\"a\"\"\",loyal,Q2,10.5,12,10",
      "S2,EUR,repeat_vs_new,\"\",new,,7.0,40,9",
      "");

  /** Kept rows are written as they were read: quotes, escaped quotes and empty strings. */
  @Test
  void theAnnexKeepsComparisonsWithKCustomersInBothGroupsAndDropsTheCounts() {
    EvidenceAnnex.Published k10 = EvidenceAnnex.publish(DATA, new Suppression(10));
    assertEquals(String.join("\n",
        "sku_id,currency,comparison,context,cohort,quote_id,price",
        "S1,EUR,loyal_vs_new,\"region=GB, LND; note=\"\"a\"\"\",new,Q1,9.5",
        "S1,EUR,loyal_vs_new,\"region=GB, LND; note=\"\"a\"\"\",loyal,Q2,10.5",
        ""), k10.csv());
    assertEquals(2, k10.rows());
    EvidenceAnnex.Published k5 = EvidenceAnnex.publish(DATA, new Suppression(5));
    assertEquals(3, k5.rows());
    assertEquals("S2,EUR,repeat_vs_new,\"\",new,,7.0", k5.csv().split("\n")[3],
        "an empty string stays quoted, a null stays empty");
    assertEquals(0, EvidenceAnnex.publish(DATA, new Suppression(11)).rows());
  }

  @Test
  void annexDataWithoutTheCountsIsAnError() {
    assertThrows(IllegalArgumentException.class,
        () -> EvidenceAnnex.publish("sku_id,quote_id\nS1,Q1\n", new Suppression(1)));
  }

  /** Spark writes a leading # unquoted: it is a SKU id, not a comment line. */
  @Test
  void aRowStartingWithHashIsDataNotAComment() {
    String data = "sku_id,quote_id,customers_reference,customers_compared\n#1,Q1,12,10\n";
    EvidenceAnnex.Published p = EvidenceAnnex.publish(data, new Suppression(10));
    assertEquals(1, p.rows());
    assertEquals("sku_id,quote_id\n#1,Q1\n", p.csv());
  }
}
