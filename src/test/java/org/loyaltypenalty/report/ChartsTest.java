package org.loyaltypenalty.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChartsTest {
  @Test
  void coordinatesAreWrittenToAHundredthOfAPixel() {
    assertEquals("281.71", Charts.coordinate(281.7091369628906));
    assertEquals("720.0", Charts.coordinate(720.0));
    assertEquals("0.0", Charts.coordinate(0.004));
    assertEquals("-12.35", Charts.coordinate(-12.346));
    assertEquals("0.01", Charts.coordinate(0.005));
  }

  @Test
  void aChartsShapesCarryNoMoreThanTwoDecimals() {
    Map<String, String> series = new LinkedHashMap<>();
    series.put("new_vs_loyal", "loyal vs new");
    List<Charts.ForestRow> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rows.add(new Charts.ForestRow("SKU-" + i + " / GBP / loyal", "new_vs_loyal",
          1.0 / 3 + i, 0.1 / 7 + i, 2.0 / 3 + i));
    }
    String svg = Charts.forest("fig-test", rows, series, "Price above new customers (%)", 1.0);
    // path data: the text outlines and the markers, most of a chart's bytes
    Matcher paths = Pattern.compile(" d='([^']*)'").matcher(svg);
    int numbers = 0;
    while (paths.find()) {
      Matcher n = Pattern.compile("-?[0-9]+\\.([0-9]+)").matcher(paths.group(1));
      while (n.find()) {
        numbers++;
        assertTrue(n.group(1).length() <= 2, "a coordinate with more decimals: " + n.group());
      }
    }
    assertTrue(numbers > 1000, "the chart draws its labels as outlines: " + numbers);
  }
}
