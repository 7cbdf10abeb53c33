package org.loyaltypenalty.report;

import freemarker.core.HTMLOutputFormat;
import java.io.IOException;
import java.io.Writer;
import freemarker.template.TemplateModelException;

/**
 * The report template's output format: HTML escaping, applied to text as it is displayed
 * ({@link DisplayText}), so that every value the template prints, alone or inside a message, is
 * escaped, shortened and has its bidirectional controls made visible.
 */
final class DisplayHtml extends HTMLOutputFormat {
  static final DisplayHtml INSTANCE = new DisplayHtml();

  private DisplayHtml() {}

  @Override
  public String escapePlainText(String plainTextContent) {
    return super.escapePlainText(DisplayText.of(plainTextContent));
  }

  @Override
  public void output(String textToEsc, Writer out) throws IOException, TemplateModelException {
    super.output(DisplayText.of(textToEsc), out);
  }
}
