package org.loyaltypenalty.report;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

/**
 * The report's one typeface, Noto Sans SC (SIL Open Font License 1.1), in TrueType outlines from
 * the {@code com.helger.font:ph-fonts-noto-sans-sc} dependency: it covers Latin and Simplified
 * Chinese, so the report never depends on the fonts a machine happens to have.
 *
 * <p>The PDF embeds a subset of it (PDFBox); the HTML embeds a subset made by FontBox's
 * {@link TTFSubsetter} holding only the characters the page uses (the whole font, with its
 * thousands of Chinese glyphs, would outweigh the page many times); the charts draw their text as
 * outlines of the same font.
 */
public final class ReportFont {
  public static final String FAMILY = "Report Sans";
  public static final String REGULAR = "/fonts/ttf/NotoSansSC/NotoSansSC-Regular.ttf";
  public static final String BOLD = "/fonts/ttf/NotoSansSC/NotoSansSC-Bold.ttf";

  private static final java.util.List<String> SUBSET_TABLES = java.util.List.of(
      "head", "hhea", "maxp", "OS/2", "cmap", "glyf", "loca", "hmtx", "name", "post");
  private static final Map<String, byte[]> BYTES = new ConcurrentHashMap<>();
  private static final Map<String, Font> AWT = new ConcurrentHashMap<>();

  private ReportFont() {}

  /** The font file's bytes (read once). */
  public static byte[] bytes(String resource) {
    return BYTES.computeIfAbsent(resource, r -> {
      try (InputStream in = ReportFont.class.getResourceAsStream(r)) {
        if (in == null) {
          throw new IllegalStateException("the report font " + r + " is not on the classpath"
              + " (dependency com.helger.font:ph-fonts-noto-sans-sc)");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The font for Java2D (charts), at {@code size} points. */
  public static Font awt(boolean bold, float size) {
    String resource = bold ? BOLD : REGULAR;
    return AWT.computeIfAbsent(resource, r -> {
      try {
        Font font = Font.createFont(Font.TRUETYPE_FONT, new java.io.ByteArrayInputStream(bytes(r)));
        // text layout finds fonts by family name: an unregistered font would fall back to a
        // system font without Chinese glyphs
        java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().registerFont(font);
        return font;
      } catch (FontFormatException | IOException e) {
        throw new IllegalStateException("cannot load the report font " + r, e);
      }
    }).deriveFont(size);
  }

  /**
   * A TrueType subset of the font holding the glyphs of every character of {@code text}, as a
   * base64 {@code data:} URL for CSS {@code @font-face}.
   */
  public static String subsetDataUrl(String resource, CharSequence text) {
    Set<Integer> codePoints = new TreeSet<>();
    text.codePoints().forEach(codePoints::add);
    try (TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(bytes(resource)))) {
      // only the tables a browser needs and the subsetter rewrites for the new glyph ids; the
      // layout and vertical tables would be copied as they are and point at glyphs not there
      TTFSubsetter subsetter = new TTFSubsetter(ttf, SUBSET_TABLES);
      subsetter.addAll(codePoints);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      subsetter.writeToStream(out);
      return "data:font/ttf;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot subset the report font " + resource, e);
    }
  }
}
