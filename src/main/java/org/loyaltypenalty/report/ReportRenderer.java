package org.loyaltypenalty.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.loyaltypenalty.io.OutputWriter;
import org.loyaltypenalty.io.RunLayout;
import org.loyaltypenalty.run.RunFigures;

/**
 * Turns a run's {@link ReportData} and manifest into the published report: {@code index.html}
 * (self-contained: styles, font subset and SVG charts inline; opens offline; prints),
 * {@code report.pdf} (the same page, paginated by openhtmltopdf with the run id and page numbers
 * on every page) and {@code report.json} (the machine-readable summary).
 *
 * <p>All words come from {@link Messages}; every value from the data is escaped by FreeMarker's
 * HTML auto-escaping (the template is XHTML, so the same markup feeds the PDF renderer); figures
 * over fewer than {@code k} distinct customers are suppressed by {@link Suppression}. Nothing
 * here touches Spark or row-level data.
 */
public final class ReportRenderer {

  private static final Configuration FREEMARKER = freemarker();
  private static final java.util.regex.Pattern XML_INVALID =
      java.util.regex.Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]");
  private static final ObjectMapper JSON_MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** The three files of a rendered report. */
  public record Rendered(String html, byte[] pdf, String json) {}

  private final ReportContext context;

  /**
   * @param data the run's {@code report-data.json}
   * @param manifest the run's {@code manifest.json}
   * @param languageTag {@code en} or {@code zh-CN}
   * @param k suppression threshold: fewest distinct customers per cohort for a published figure
   */
  public ReportRenderer(Map<String, Object> data, Map<String, Object> manifest,
      String languageTag, int k) {
    this(data, manifest, languageTag, k, annexRowsRecorded(data), PairsSection.Published.NONE);
  }

  /**
   * @param annexRows rows of the evidence annex published beside this report
   * @param pairs the matched pairs published beside this report
   */
  ReportRenderer(Map<String, Object> data, Map<String, Object> manifest, String languageTag,
      int k, long annexRows, PairsSection.Published pairs) {
    this.context = new ReportContext(data, manifest, languageTag, k, annexRows, pairs);
  }

  /** The annex rows a run recorded in its report data (runs that published their own annex). */
  private static long annexRowsRecorded(Map<String, Object> data) {
    Long rows = ReportData.read(data.get("figures"), RunFigures.class, RunFigures.NONE)
        .annexRows();
    return rows == null ? 0 : rows;
  }

  public static Map<String, Object> parse(String json) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = JSON_MAPPER.readValue(json, Map.class);
      return map;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Publishes a run's report into {@code reportDir}: the evidence annex ({@link RunLayout#ANNEX},
   * when the run has annex data) less the comparisons that k suppresses, and the report's three
   * files ({@link RunLayout#HTML}, {@link RunLayout#PDF}, {@link RunLayout#JSON}).
   *
   * @param reportData the run's {@code report-data.json}
   * @param manifest the run's {@code manifest.json}
   * @param annexData the run's {@link RunLayout#ANNEX_DATA}, empty for a run without one
   * @param pairsData the run's {@link RunLayout#PAIRS_DATA}, empty for a run without one; the
   *     report publishes {@link RunLayout#PAIRS} from it, less the comparisons k withholds
   */
  public static void write(String reportData, String manifest, Optional<String> annexData,
      Optional<String> pairsData, String languageTag, int k, OutputWriter reportDir) {
    // a run that published its own annex recorded its rows in the report data
    long annexRows = annexRowsRecorded(parse(reportData));
    if (annexData.isPresent()) {
      EvidenceAnnex.Published annex = EvidenceAnnex.publish(annexData.get(), new Suppression(k));
      reportDir.writeText(RunLayout.ANNEX, annex.csv());
      annexRows = annex.rows();
    }
    PairsSection.Published pairs = PairsSection.Published.NONE;
    if (pairsData.isPresent()) {
      EvidenceAnnex.Published published = EvidenceAnnex.publish(pairsData.get(), new Suppression(k));
      reportDir.writeText(RunLayout.PAIRS, published.csv());
      pairs = PairsSection.Published.of(published.csv());
    }
    Rendered report = new ReportRenderer(parse(reportData), parse(manifest), languageTag, k,
        annexRows, pairs).render();
    reportDir.writeText(RunLayout.HTML, report.html());
    reportDir.writeBytes(RunLayout.PDF, report.pdf());
    reportDir.writeText(RunLayout.JSON, report.json());
  }

  public Rendered render() {
    Map<String, Object> model = new ReportModel(context).model();
    String body = template(model, false, "");
    // the HTML embeds only the glyphs it uses; the SVG text is outlines already
    StringBuilder text = new StringBuilder(body.replaceAll("(?s)<svg.*?</svg>", " "));
    String fonts = "@font-face{font-family:'" + ReportFont.FAMILY + "';font-weight:400;src:url("
        + ReportFont.subsetDataUrl(ReportFont.REGULAR, text) + ") format('truetype');}"
        + "@font-face{font-family:'" + ReportFont.FAMILY + "';font-weight:700;src:url("
        + ReportFont.subsetDataUrl(ReportFont.BOLD, text) + ") format('truetype');}";
    String html = template(model, false, fonts);
    byte[] pdf = pdf(template(model, true, ""));
    return new Rendered(html, pdf, new ReportJson(context).json(model));
  }

  // ---------------------------------------------------------------- the model

  // ---------------------------------------------------------------- JSON

  // ---------------------------------------------------------------- HTML and PDF

  private String template(Map<String, Object> model, boolean pdf, String fontFaces) {
    Map<String, Object> root = new LinkedHashMap<>(model);
    root.put("pdf", pdf);
    root.put("fontFaces", fontFaces);
    root.put("family", ReportFont.FAMILY);
    root.put("msg", (TemplateMethodModelEx) args -> {
      if (args.isEmpty()) {
        throw new TemplateModelException("msg needs a key");
      }
      Object[] named = new Object[args.size() - 1];
      for (int i = 1; i < args.size(); i++) {
        named[i - 1] = DeepUnwrap.unwrap((freemarker.template.TemplateModel) args.get(i));
      }
      String key = DeepUnwrap.unwrap((freemarker.template.TemplateModel) args.get(0)).toString();
      return context.m.text(key, named);
    });
    try {
      Template t = FREEMARKER.getTemplate("report.xhtml.ftlh");
      StringWriter out = new StringWriter();
      t.process(root, out);
      // characters XML 1.0 does not allow (a control character in an id) would stop the PDF
      // renderer's parser and are invisible anyway: shown as U+FFFD
      return XML_INVALID.matcher(out.toString()).replaceAll("\uFFFD");
    } catch (IOException | TemplateException e) {
      throw new IllegalStateException("could not render the report: " + e.getMessage(), e);
    }
  }

  private static byte[] pdf(String xhtml) {
    com.openhtmltopdf.util.XRLog.setLoggingEnabled(false);
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PdfRendererBuilder builder = new PdfRendererBuilder();
      builder.useFastMode();
      builder.useFont(() -> new ByteArrayInputStream(ReportFont.bytes(ReportFont.REGULAR)),
          ReportFont.FAMILY, 400, FontStyle.NORMAL, true);
      builder.useFont(() -> new ByteArrayInputStream(ReportFont.bytes(ReportFont.BOLD)),
          ReportFont.FAMILY, 700, FontStyle.NORMAL, true);
      builder.useSVGDrawer(new BatikSVGDrawer());
      builder.withHtmlContent(xhtml, null);
      builder.toStream(out);
      builder.run();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("could not render the PDF: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Text for a CSS string in double quotes: backslash escapes, no markup characters. */
  static String css(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20) {
        out.append('\\').append(Integer.toHexString(c)).append(' ');
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  private static Configuration freemarker() {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setClassForTemplateLoading(ReportRenderer.class, "/org/loyaltypenalty/report");
    cfg.setDefaultEncoding("UTF-8");
    cfg.setLocale(Locale.ROOT);
    cfg.setNumberFormat("computer");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setFallbackOnNullLoopVariable(false);
    return cfg;
  }
}
