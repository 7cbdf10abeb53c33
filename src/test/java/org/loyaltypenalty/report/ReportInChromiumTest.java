package org.loyaltypenalty.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser: Debian's headless Chromium loads the self-contained HTML from a
 * file, offline, and must report no console message at all (the page has no script, so any
 * message is a failure: a font it could not decode, a resource it could not load, a CSS error),
 * and the charts must be in the rendered DOM.
 *
 * <p>CI installs Chromium and sets {@code REQUIRE_CHROMIUM=1}, so there a missing browser fails
 * the test; elsewhere it is skipped.
 */
class ReportInChromiumTest {
  private static String chromium;

  @BeforeAll
  static void findChromium() {
    for (String candidate : List.of(System.getenv().getOrDefault("CHROMIUM", ""),
        "/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (!candidate.isEmpty() && Files.isExecutable(Path.of(candidate))) {
        chromium = candidate;
      }
    }
    if (chromium == null && "1".equals(System.getenv("REQUIRE_CHROMIUM"))) {
      throw new IllegalStateException("REQUIRE_CHROMIUM=1 but no chromium (apt-get install chromium)");
    }
    Assumptions.assumeTrue(chromium != null, "no chromium on this machine");
  }

  /** What Chromium made of a page: the serialised DOM after load, and its console messages. */
  record Load(String dom, List<String> console) {}

  static Load load(Path page, Path profile) throws IOException, InterruptedException {
    Path stderr = profile.resolveSibling(profile.getFileName() + ".log");
    Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
        page.toUri().toString())
        .redirectError(stderr.toFile())
        .start();
    byte[] dom = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
    List<String> console = new ArrayList<>();
    Matcher m = Pattern.compile("CONSOLE[^\\]]*\\] (.*)").matcher(Files.readString(stderr));
    while (m.find()) {
      console.add(m.group(1));
    }
    return new Load(new String(dom, StandardCharsets.UTF_8), console);
  }

  @Test
  void theReportLoadsWithoutConsoleErrorsAndShowsItsChartsInBothLanguages(@TempDir Path dir)
      throws Exception {
    for (String lang : Messages.LANGUAGES) {
      ReportRenderer.Rendered r = new ReportRenderer(ReportRendererTest.fixture("report-data.json"),
          ReportRendererTest.fixture("manifest.json"), lang, 10).render();
      Path page = dir.resolve(lang + ".html");
      Files.writeString(page, r.html());
      Load load = load(page, dir.resolve("profile-" + lang));
      assertEquals(List.of(), load.console(), lang + ": console messages");
      assertTrue(load.dom().contains("<svg id=\"fig-forest\""), lang + ": the forest plot");
      long charts = Pattern.compile("<figure class=\"chart\"").matcher(load.dom()).results().count();
      long svgs = Pattern.compile("<svg id=\"fig-").matcher(load.dom()).results().count();
      assertTrue(charts >= 3 && svgs >= charts, lang + ": " + charts + " figures, " + svgs + " charts");
      assertTrue(load.dom().contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"" + lang));
    }
  }

  @Test
  void hostileIdsStayTextInTheBrowser(@TempDir Path dir) throws Exception {
    var data = ReportRendererTest.fixture("report-data.json");
    ReportRendererTest.flagged(data).get(0).put("sku_id", ReportRendererTest.SCRIPT_SKU);
    ReportRenderer.Rendered r = new ReportRenderer(data, ReportRendererTest.fixture("manifest.json"),
        "en", 10).render();
    Path page = dir.resolve("hostile.html");
    Files.writeString(page, r.html());
    Load load = load(page, dir.resolve("profile"));
    assertEquals(List.of(), load.console());
    assertFalse(load.dom().contains("<script"), "no script element in the live DOM");
    assertTrue(load.dom().contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "shown as text");
  }

  @Test
  void theConsoleCheckCatchesAnErrorAndABadFont(@TempDir Path dir) throws Exception {
    Path page = dir.resolve("broken.html");
    Files.writeString(page, "<!DOCTYPE html><html><head><style>@font-face{font-family:x;"
        + "src:url(data:font/ttf;base64,AAEAAAAQAQAABAAA) format('truetype')}"
        + "body{font-family:x}</style></head><body>text<script>console.error('boom')</script>"
        + "</body></html>");
    Load load = load(page, dir.resolve("profile"));
    assertTrue(load.console().stream().anyMatch(c -> c.contains("boom")), load.console().toString());
    assertTrue(load.console().stream().anyMatch(c -> c.contains("font")), load.console().toString());
  }
}
