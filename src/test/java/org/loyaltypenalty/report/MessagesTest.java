package org.loyaltypenalty.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.icu.text.MessagePattern;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MessagesTest {
  static Properties bundle(String suffix) throws IOException {
    Properties p = new Properties();
    try (var in = MessagesTest.class.getResourceAsStream(
        "/org/loyaltypenalty/report/messages_" + suffix + ".properties")) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return p;
  }

  static Set<String> argumentNames(String pattern) {
    MessagePattern mp = new MessagePattern(pattern);
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < mp.countParts(); i++) {
      MessagePattern.Part part = mp.getPart(i);
      if (part.getType() == MessagePattern.Part.Type.ARG_NAME) {
        names.add(mp.getSubstring(part));
      }
    }
    return names;
  }

  @Test
  void bothLanguagesHaveTheSameKeysAndTheSameArguments() throws IOException {
    Properties en = bundle("en");
    Properties zh = bundle("zh_CN");
    assertEquals(new TreeSet<>(en.stringPropertyNames()), new TreeSet<>(zh.stringPropertyNames()));
    for (String key : en.stringPropertyNames()) {
      assertEquals(argumentNames(en.getProperty(key)), argumentNames(zh.getProperty(key)), key);
    }
  }

  @Test
  void everyMessageFormatsInBothLanguagesWithNoArgumentLeftOver() throws IOException {
    for (String lang : Messages.LANGUAGES) {
      Messages m = new Messages(lang);
      for (String key : bundle("en").stringPropertyNames()) {
        List<Object> args = new ArrayList<>();
        for (String name : argumentNames(bundle("en").getProperty(key))) {
          args.add(name);
          args.add(3);
        }
        String text = m.text(key, args.toArray());
        assertFalse(text.contains("{") && text.matches("(?s).*\\{[a-z_]+}.*"),
            lang + " " + key + " left an argument unformatted: " + text);
      }
    }
  }

  @Test
  void englishPluralsFollowTheCount() {
    Messages en = new Messages("en");
    assertTrue(en.text("summary.flagged_skus", "n", 0, "tests", 0, "tested", 5).startsWith("No SKU shows"));
    assertTrue(en.text("summary.flagged_skus", "n", 1, "tests", 1, "tested", 5).startsWith("1 SKU shows"));
    assertTrue(en.text("summary.flagged_skus", "n", 2, "tests", 1, "tested", 1)
        .contains("2 SKUs show a statistically significant"));
    assertTrue(en.text("summary.flagged_skus", "n", 2, "tests", 1, "tested", 1)
        .contains("(1 comparison flagged of 1 tested)"));
    assertTrue(en.text("summary.flagged_skus", "n", 1234, "tests", 2, "tested", 9)
        .startsWith("1,234 SKUs show"));
  }

  @Test
  void chineseHasOnlyTheOtherPluralFormAndCldrNumbers() {
    Messages zh = new Messages("zh-CN");
    assertTrue(zh.text("summary.flagged_skus", "n", 9, "tests", 14, "tested", 84)
        .startsWith("9 个 SKU 显示"));
    assertTrue(zh.text("summary.flagged_skus", "n", 0, "tests", 0, "tested", 84)
        .startsWith("没有 SKU 显示"));
    assertEquals("1,234,567", zh.integer(1_234_567));
    assertEquals("+5.23%", zh.signedPct(5.2345));
    assertEquals("-0.50%", new Messages("en").signedPct(-0.5).replace('\u2212', '-'));
    assertEquals("< 1e-16", zh.pValue(0.0));
  }

  @Test
  void moneyIsFormattedInItsCurrency() {
    assertEquals("£1,235", new Messages("en").money(1234.6, "GBP"));
    assertEquals("€1,235", new Messages("zh-CN").money(1234.6, "EUR"));
  }
}
