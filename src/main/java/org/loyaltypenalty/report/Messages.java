package org.loyaltypenalty.report;

import com.ibm.icu.number.NumberFormatter;
import com.ibm.icu.number.NumberFormatter.SignDisplay;
import com.ibm.icu.number.Precision;
import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.Currency;
import com.ibm.icu.util.NoUnit;
import com.ibm.icu.util.ULocale;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The report's words and numbers in one language. Every heading, label and sentence is an ICU
 * message in {@code org/loyaltypenalty/report/messages_<lang>.properties} (UTF-8), formatted
 * with ICU4J's {@link MessageFormat}: plurals ({@code {n, plural, one {# SKU} other {# SKUs}}})
 * and numbers follow the language's CLDR rules, so nothing is concatenated by hand.
 */
public final class Messages {
  /** The report's languages: BCP 47 tags. */
  public static final List<String> LANGUAGES = List.of("en", "zh-CN");
  static final String BUNDLE = "org.loyaltypenalty.report.messages";

  private final ULocale locale;
  private final ResourceBundle bundle;

  public Messages(String languageTag) {
    if (!LANGUAGES.contains(languageTag)) {
      throw new IllegalArgumentException("unsupported report language " + languageTag
          + " (one of " + String.join(", ", LANGUAGES) + ")");
    }
    this.locale = ULocale.forLanguageTag(languageTag);
    Locale javaLocale = locale.toLocale();
    this.bundle = ResourceBundle.getBundle(BUNDLE, javaLocale,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
  }

  public String languageTag() {
    return locale.toLanguageTag();
  }

  public ULocale locale() {
    return locale;
  }

  /** The message {@code key} formatted with named arguments {@code name1, value1, ...}. */
  public String text(String key, Object... namedArgs) {
    String pattern;
    try {
      pattern = bundle.getString(key);
    } catch (MissingResourceException e) {
      throw new IllegalStateException("no message '" + key + "' for " + languageTag(), e);
    }
    if (namedArgs.length % 2 != 0) {
      throw new IllegalArgumentException("arguments of '" + key + "' must be name, value pairs");
    }
    Map<String, Object> args = new HashMap<>();
    for (int i = 0; i < namedArgs.length; i += 2) {
      args.put(namedArgs[i].toString(), namedArgs[i + 1]);
    }
    return new MessageFormat(pattern, locale).format(args);
  }

  public boolean has(String key) {
    return bundle.containsKey(key);
  }

  /** A count with the language's grouping: 1,234,567 / 1,234,567. */
  public String integer(Number n) {
    return n == null ? "–" : NumberFormatter.withLocale(locale).format(n).toString();
  }

  /** A percentage given in percent units, signed: +5.23%. */
  public String signedPct(Double v) {
    return v == null || v.isNaN() ? "–" : percent(v, true);
  }

  /** A percentage given in percent units, unsigned: 5.0%. */
  public String pct(Double v, int decimals) {
    if (v == null || v.isNaN()) {
      return "–";
    }
    return NumberFormatter.withLocale(locale).unit(NoUnit.PERCENT)
        .precision(Precision.fixedFraction(decimals)).format(v).toString();
  }

  private String percent(double v, boolean signed) {
    return NumberFormatter.withLocale(locale).unit(NoUnit.PERCENT)
        .precision(Precision.fixedFraction(2))
        .sign(signed ? SignDisplay.EXCEPT_ZERO : SignDisplay.AUTO).format(v).toString();
  }

  /** An amount of money in its ISO 4217 currency, in the language's format. */
  public String money(Double amount, String currency) {
    if (amount == null || amount.isNaN()) {
      return "–";
    }
    try {
      return NumberFormatter.withLocale(locale).unit(Currency.getInstance(currency))
          .precision(Precision.fixedFraction(0)).format(amount).toString();
    } catch (IllegalArgumentException e) {
      return text("value.money", "amount", NumberFormatter.withLocale(locale)
          .precision(Precision.fixedFraction(0)).format(amount).toString(), "currency", currency);
    }
  }

  /** A p- or q-value; an underflowed value reads as below 1e-16, never as exactly 0. */
  public String pValue(Double v) {
    if (v == null || v.isNaN()) {
      return "–";
    }
    if (v < 1e-16) {
      return text("value.below", "v", "1e-16");
    }
    if (v < 1e-4) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    return NumberFormatter.withLocale(locale).precision(Precision.fixedFraction(4)).format(v)
        .toString();
  }
}
