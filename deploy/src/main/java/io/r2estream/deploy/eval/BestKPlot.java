package io.r2estream.deploy.eval;

import io.r2estream.streams.ranking.BestAtK;
import io.r2estream.streams.ranking.BestAtK.Method;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The Best@K plot: x = K, y = accuracy in percent, one line per method with a shaded band of ± one standard
 * deviation over trials, each line labelled with its value at the largest K. Rendered headless to PNG and SVG.
 */
public final class BestKPlot {

  public static final int WIDTH = 900;
  public static final int HEIGHT = 600;

  private static final Map<Method, Color> COLORS = Map.of(
      Method.HYBRID, new Color(0xD6, 0x27, 0x28), Method.EB, new Color(0x1F, 0x77, 0xB4),
      Method.EF, new Color(0x2C, 0xA0, 0x2C), Method.WEIGHTED, new Color(0x94, 0x67, 0xBD),
      Method.PASS, new Color(0x7F, 0x7F, 0x7F));

  static {
    // The CLI and servers have no display; set before any AWT class initialises.
    System.setProperty("java.awt.headless", "true");
  }

  private BestKPlot() {
  }

  /** The chart, for both renderings. */
  public static JFreeChart chart(final BestAtK.Result r) {
    final YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (final Method m : BestKReport.METHODS) {
      final YIntervalSeries s = new YIntervalSeries(m.label());
      for (final BestAtK.Row row : r.rows()) {
        final BestAtK.Stat st = row.get(m);
        // The band is clipped to what an accuracy can be: a wide spread at small K must not push the axis below 0.
        s.add(row.k(), 100 * st.mean(), 100 * Math.max(0, st.mean() - st.std()),
            100 * Math.min(1, st.mean() + st.std()));
      }
      data.addSeries(s);
    }
    final NumberAxis x = new NumberAxis("K (candidates per task the verifier chooses from)");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    // Room on the right for the end-of-line labels.
    x.setRange(0.5, r.rows().size() + 0.5 + Math.max(1.5, r.rows().size() / 5.0));
    final NumberAxis y = new NumberAxis("Accuracy (% of tasks resolved)");
    y.setAutoRangeIncludesZero(false);
    final DeviationRenderer renderer = new DeviationRenderer(true, true);
    renderer.setAlpha(0.18f);
    for (int i = 0; i < BestKReport.METHODS.size(); i++) {
      final Method m = BestKReport.METHODS.get(i);
      renderer.setSeriesPaint(i, COLORS.get(m));
      renderer.setSeriesFillPaint(i, COLORS.get(m));
      renderer.setSeriesStroke(i, m == Method.PASS
          ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
          : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
    }
    final XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    labelLineEnds(plot, r, data);
    final JFreeChart chart = new JFreeChart("Best@K", new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
    chart.addSubtitle(new TextTitle(BestKReport.caption(r), new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /**
   * Labels each line at its last K with its value; labels closer than a line of text are pushed apart downwards,
   * in the order of the values, so that close curves stay readable.
   */
  private static void labelLineEnds(final XYPlot plot, final BestAtK.Result r, final YIntervalSeriesCollection data) {
    final BestAtK.Row last = r.rows().get(r.rows().size() - 1);
    double low = Double.MAX_VALUE;
    double high = -Double.MAX_VALUE;
    for (int i = 0; i < data.getSeriesCount(); i++) {
      for (int j = 0; j < data.getItemCount(i); j++) {
        low = Math.min(low, data.getStartYValue(i, j));
        high = Math.max(high, data.getEndYValue(i, j));
      }
    }
    final double gap = Math.max(0.5, (high - low) * 0.04);
    final List<Method> byValue = new ArrayList<>(BestKReport.METHODS);
    byValue.sort(Comparator.comparingDouble((Method m) -> last.get(m).mean()).reversed());
    double previous = Double.MAX_VALUE;
    for (final Method m : byValue) {
      final double v = 100 * last.get(m).mean();
      final double y = Math.min(v, previous - gap);
      previous = y;
      final XYTextAnnotation label = new XYTextAnnotation(
          String.format(Locale.ROOT, "%s %.1f", m.label(), v), last.k() + 0.35, y);
      label.setTextAnchor(TextAnchor.CENTER_LEFT);
      label.setPaint(COLORS.get(m));
      label.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
      plot.addAnnotation(label);
    }
  }

  /** Writes {@code file} as PNG. */
  public static void writePng(final BestAtK.Result r, final Path file) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart(r), WIDTH, HEIGHT);
  }

  /** Writes {@code file} as a standalone SVG document. */
  public static void writeSvg(final BestAtK.Result r, final Path file) throws IOException {
    final SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    chart(r).draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    Files.writeString(file, g.getSVGDocument(), StandardCharsets.UTF_8);
  }
}
