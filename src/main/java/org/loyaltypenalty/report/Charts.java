package org.loyaltypenalty.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.BoxAndWhiskerItem;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;
import org.loyaltypenalty.text.DisplayText;

/**
 * The report's charts, drawn by JFreeChart into SVG by JFreeSVG. Text is drawn as outlines of
 * {@link ReportFont}, so a chart looks the same in a browser, in the PDF and in print, in either
 * language, whatever fonts the reader's machine has. Colours are distinguishable in greyscale
 * print (dark and light, plus different markers).
 */
public final class Charts {
  static final Color NEW = new Color(0x4D, 0x4D, 0x4D);
  static final Color REPEAT = new Color(0x2B, 0x83, 0xBA);
  static final Color LOYAL = new Color(0xD7, 0x19, 0x1C);
  private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
  private static final int WIDTH = 720;

  private Charts() {}

  /** One flagged SKU comparison in the forest plot; its label as displayed ({@link DisplayText}). */
  public record ForestRow(String label, String comparison, double estimate, double low,
      double high) {
    public ForestRow {
      label = DisplayText.of(label);
    }
  }

  /** One cohort's distribution of relative prices (percent), or null values when suppressed. */
  public record Box(String label, String cohort, double p05, double p25, double median,
      double p75, double p95, double mean) {
    public Box {
      label = DisplayText.of(label);
    }
  }

  /** One tenure bucket: prior purchases, mean relative price and its interval (percent). */
  public record TenurePoint(int prior, double mean, double low, double high) {}

  /** One flagged comparison's gap split into list price and discount (log points x 100). */
  public record GapSplit(String label, double list, double discount) {
    public GapSplit {
      label = DisplayText.of(label);
    }
  }

  /**
   * Forest plot: one row per flagged SKU comparison, its estimate and interval, a line at zero
   * and a dashed line at the materiality threshold.
   *
   * @param seriesNames comparison code to its legend label, in legend order
   */
  public static String forest(String id, List<ForestRow> rows, Map<String, String> seriesNames,
      String axisLabel, double materialityPct) {
    Map<String, XYIntervalSeries> series = new LinkedHashMap<>();
    seriesNames.forEach((code, name) -> series.put(code, new XYIntervalSeries(name)));
    String[] labels = new String[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      ForestRow r = rows.get(i);
      int y = rows.size() - 1 - i; // the first row on top
      labels[y] = r.label();
      series.get(r.comparison()).add(r.estimate(), r.low(), r.high(), y, y, y);
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    series.values().forEach(data::addSeries);
    NumberAxis x = new NumberAxis(axisLabel);
    x.setAutoRangeIncludesZero(true);
    SymbolAxis y = new SymbolAxis(null, labels);
    y.setGridBandsVisible(false);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawYError(false);
    renderer.setDefaultLinesVisible(false);
    renderer.setErrorStroke(new BasicStroke(1.6f));
    renderer.setCapLength(6);
    colour(renderer, seriesNames.keySet().stream().toList());
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setOrientation(PlotOrientation.VERTICAL);
    plot.addDomainMarker(zeroLine());
    plot.addDomainMarker(new ValueMarker(materialityPct, Color.GRAY, new BasicStroke(1f,
        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f)));
    style(plot);
    return svg(id, chart(plot), WIDTH, 90 + 24 * rows.size());
  }

  /** Box plot of relative prices per cohort (5th, 25th, 50th, 75th, 95th percentiles; mean). */
  public static String distribution(String id, List<Box> boxes, String axisLabel) {
    DefaultBoxAndWhiskerCategoryDataset data = new DefaultBoxAndWhiskerCategoryDataset();
    for (Box b : boxes) {
      data.add(new BoxAndWhiskerItem(b.mean(), b.median(), b.p25(), b.p75(), b.p05(), b.p95(),
          b.p05(), b.p95(), List.of()), "", b.label());
    }
    BoxAndWhiskerRenderer renderer = new BoxAndWhiskerRenderer();
    renderer.setMeanVisible(false);
    renderer.setMedianVisible(true);
    renderer.setFillBox(true);
    renderer.setSeriesPaint(0, new Color(0xC6, 0xDB, 0xEF));
    renderer.setDefaultOutlinePaint(Color.BLACK);
    renderer.setArtifactPaint(Color.BLACK);
    renderer.setUseOutlinePaintForWhiskers(true);
    renderer.setMaxOutlierVisible(false);
    renderer.setMinOutlierVisible(false);
    renderer.setMaximumBarWidth(0.25);
    NumberAxis value = new NumberAxis(axisLabel);
    value.setAutoRangeIncludesZero(true);
    CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(null), value, renderer);
    plot.addRangeMarker(zeroLine());
    return panel(id, plot);
  }

  /** Mean relative price by prior purchases, with its interval. */
  public static String tenure(String id, List<TenurePoint> points, String seriesName,
      String xLabel, String yLabel) {
    XYIntervalSeries s = new XYIntervalSeries(seriesName);
    for (TenurePoint p : points) {
      s.add(p.prior(), p.prior(), p.prior(), p.mean(), p.low(), p.high());
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    data.addSeries(s);
    NumberAxis x = new NumberAxis(xLabel);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setAutoRangeIncludesZero(true);
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(true);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDefaultLinesVisible(true);
    renderer.setSeriesPaint(0, LOYAL);
    renderer.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    renderer.setErrorPaint(LOYAL);
    renderer.setCapLength(5);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.addRangeMarker(zeroLine());
    return panel(id, plot);
  }

  /** Stacked bars: each flagged gap as list-price part plus discount part. */
  public static String gapSplit(String id, List<GapSplit> rows, String listName,
      String discountName, String axisLabel) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (GapSplit r : rows) {
      data.addValue(r.list(), listName, r.label());
      data.addValue(r.discount(), discountName, r.label());
    }
    StackedBarRenderer renderer = new StackedBarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, new Color(0xBD, 0xBD, 0xBD));
    renderer.setSeriesPaint(1, LOYAL);
    renderer.setMaximumBarWidth(0.08);
    CategoryAxis categories = new CategoryAxis(null);
    categories.setMaximumCategoryLabelLines(2);
    NumberAxis value = new NumberAxis(axisLabel);
    CategoryPlot plot = new CategoryPlot(data, categories, value, renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.addRangeMarker(zeroLine());
    style(plot);
    categories.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
    return svg(id, chart(plot), WIDTH, 90 + 30 * rows.size());
  }

  /** The line at zero difference. */
  private static ValueMarker zeroLine() {
    return new ValueMarker(0, Color.BLACK, new BasicStroke(1f));
  }

  /** A small per-SKU panel: styled, no legend, 360 x 300. */
  private static String panel(String id, org.jfree.chart.plot.Plot plot) {
    style(plot);
    JFreeChart chart = chart(plot);
    chart.removeLegend();
    return svg(id, chart, 360, 300);
  }

  private static void colour(XYErrorRenderer renderer, List<String> codes) {
    for (int i = 0; i < codes.size(); i++) {
      Color c = codes.get(i).startsWith("loyal") ? LOYAL : codes.get(i).startsWith("repeat")
          ? REPEAT : NEW;
      renderer.setSeriesPaint(i, c);
      renderer.setSeriesShape(i, codes.get(i).startsWith("loyal")
          ? new Rectangle2D.Double(-4, -4, 8, 8) : new Ellipse2D.Double(-4, -4, 8, 8));
    }
  }

  private static void style(org.jfree.chart.plot.Plot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    // the theme would otherwise clear the series colours and markers set above
    org.jfree.chart.renderer.AbstractRenderer renderer = plot instanceof XYPlot xy0
        ? (org.jfree.chart.renderer.AbstractRenderer) xy0.getRenderer()
        : (org.jfree.chart.renderer.AbstractRenderer) ((CategoryPlot) plot).getRenderer();
    renderer.setAutoPopulateSeriesPaint(false);
    renderer.setAutoPopulateSeriesShape(false);
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(GRID);
      xy.setRangeGridlinePaint(GRID);
    } else if (plot instanceof CategoryPlot cp) {
      cp.setRangeGridlinePaint(GRID);
    }
  }

  private static JFreeChart chart(org.jfree.chart.plot.Plot plot) {
    JFreeChart chart = new JFreeChart(null, ReportFont.awt(false, 12f), plot, true);
    StandardChartTheme theme = new StandardChartTheme("report");
    theme.setExtraLargeFont(ReportFont.awt(true, 14f));
    theme.setLargeFont(ReportFont.awt(false, 12f));
    theme.setRegularFont(ReportFont.awt(false, 11f));
    theme.setSmallFont(ReportFont.awt(false, 10f));
    theme.setChartBackgroundPaint(Color.WHITE);
    theme.setPlotBackgroundPaint(Color.WHITE);
    theme.setDomainGridlinePaint(GRID);
    theme.setRangeGridlinePaint(GRID);
    theme.setBarPainter(new StandardBarPainter());
    theme.setShadowVisible(false);
    theme.apply(chart);
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setPosition(RectangleEdge.BOTTOM);
      legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
    }
    return chart;
  }

  /**
   * A coordinate of a chart's shapes to 0.01 px, finer than a screen or a printer shows: the
   * charts draw their text as outlines, and at the default full precision ({@code
   * 281.7091369628906}) the digits were most of a report's bytes, which the PDF renderer parses
   * again.
   */
  static String coordinate(double value) {
    return Double.toString(Math.round(value * 100) / 100.0);
  }

  private static String svg(String id, JFreeChart chart, int width, int height) {
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix(id + "-");
    g.setGeomDoubleConverter(Charts::coordinate);
    g.setRenderingHint(SVGHints.KEY_DRAW_STRING_TYPE, SVGHints.VALUE_DRAW_STRING_TYPE_VECTOR);
    chart.draw(g, new Rectangle(0, 0, width, height));
    String svg = g.getSVGElement(id, true, new org.jfree.svg.ViewBox(0, 0, width, height), null,
        null);
    // whole-number dimensions: the PDF renderer rejects "720.0"
    return svg.replaceFirst("width='[0-9.]+' height='[0-9.]+'",
        "width='" + width + "' height='" + height + "'");
  }
}
