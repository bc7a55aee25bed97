package io.mlplatform.training.report;

import io.mlplatform.training.evaluate.Evaluation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's plots, drawn by XChart and returned as PNG {@code data:} URIs, so the page needs no
 * files.
 */
public final class Charts {

  private static final int WIDTH = 560;
  private static final int HEIGHT = 420;

  static {
    // The job may run where there is no display; XChart then draws into images in memory only.
    // Set before the first chart, because AWT decides once per JVM.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final Color LINE = new Color(0x1f, 0x77, 0xb4);

  private Charts() {}

  static String roc(List<double[]> points, double area) {
    XYChart chart =
        xy(
            "ROC curve (AUC " + String.format(java.util.Locale.ROOT, "%.4f", area) + ")",
            "false positive rate",
            "true positive rate");
    line(chart, "chance", List.of(new double[] {0, 0}, new double[] {1, 1}), Color.GRAY, true);
    line(chart, "model", points, LINE, false);
    return png(chart);
  }

  static String pr(List<double[]> points, double area) {
    XYChart chart =
        xy(
            "Precision-recall curve (AUC "
                + String.format(java.util.Locale.ROOT, "%.4f", area)
                + ")",
            "recall",
            "precision");
    line(chart, "model", points, LINE, false);
    return png(chart);
  }

  /** Rows are actual classes (top to bottom in class order), columns predicted ones. */
  static String confusion(List<String> classes, long[][] matrix) {
    int k = classes.size();
    int side = Math.max(360, Math.min(900, 120 + 70 * k));
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(side + 120)
            .height(side)
            .title("Confusion matrix")
            .xAxisTitle("predicted")
            .yAxisTitle("actual")
            .build();
    chart.getStyler().setShowValue(true).setHeatMapValueDecimalPattern("#");
    chart
        .getStyler()
        .setRangeColors(new Color[] {new Color(0xf7, 0xfb, 0xff), new Color(0x08, 0x51, 0x9c)});
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    List<String> actual = new ArrayList<>(classes);
    java.util.Collections.reverse(actual);
    List<Number[]> cells = new ArrayList<>();
    for (int row = 0; row < k; row++) {
      for (int column = 0; column < k; column++) {
        cells.add(new Number[] {column, k - 1 - row, matrix[row][column]});
      }
    }
    chart.addSeries("counts", classes, actual, cells);
    return png(chart);
  }

  /**
   * Residual (actual - predicted) against the prediction; a flat band around 0 is what one hopes
   * for.
   */
  static String residuals(List<double[]> predictionAndActual) {
    XYChart chart = xy("Residuals on held-out rows", "prediction", "actual - prediction");
    chart
        .getStyler()
        .setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
        .setMarkerSize(5);
    double[] x = new double[predictionAndActual.size()];
    double[] y = new double[predictionAndActual.size()];
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < x.length; i++) {
      x[i] = predictionAndActual.get(i)[0];
      y[i] = predictionAndActual.get(i)[1] - x[i];
      min = Math.min(min, x[i]);
      max = Math.max(max, x[i]);
    }
    XYSeries series = chart.addSeries("rows", x, y);
    series.setMarkerColor(new Color(0x1f, 0x77, 0xb4, 140));
    XYSeries zero = chart.addSeries("zero", new double[] {min, max}, new double[] {0, 0});
    zero.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line)
        .setMarker(SeriesMarkers.NONE)
        .setLineColor(Color.GRAY);
    return png(chart);
  }

  static String predictedVsActual(List<double[]> predictionAndActual) {
    XYChart chart = xy("Predicted against actual", "actual", "prediction");
    chart
        .getStyler()
        .setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
        .setMarkerSize(5);
    double[] x = predictionAndActual.stream().mapToDouble(p -> p[1]).toArray();
    double[] y = predictionAndActual.stream().mapToDouble(p -> p[0]).toArray();
    chart.addSeries("rows", x, y).setMarkerColor(new Color(0x1f, 0x77, 0xb4, 140));
    double min =
        Math.min(
            java.util.Arrays.stream(x).min().orElse(0), java.util.Arrays.stream(y).min().orElse(0));
    double max =
        Math.max(
            java.util.Arrays.stream(x).max().orElse(1), java.util.Arrays.stream(y).max().orElse(1));
    chart
        .addSeries("perfect", new double[] {min, max}, new double[] {min, max})
        .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line)
        .setMarker(SeriesMarkers.NONE)
        .setLineColor(Color.GRAY);
    return png(chart);
  }

  static String importances(List<Evaluation.Importance> top, String title) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH + 160)
            .height(HEIGHT + 60)
            .title(title)
            .xAxisTitle("")
            .yAxisTitle("importance")
            .build();
    chart.getStyler().setXAxisLabelRotation(50);
    chart.getStyler().setLegendVisible(false).setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setSeriesColors(new Color[] {LINE});
    chart.addSeries(
        "importance",
        top.stream().map(i -> shorten(i.feature())).toList(),
        top.stream().map(Evaluation.Importance::importance).toList());
    return png(chart);
  }

  /** Reference against live shares of one column's bins, side by side. */
  public static String shares(
      String title, List<String> bins, List<Double> reference, List<Double> live) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("")
            .yAxisTitle("share")
            .build();
    chart.getStyler().setXAxisLabelRotation(45).setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setSeriesColors(new Color[] {Color.GRAY, LINE});
    List<String> names = bins.stream().map(Charts::shorten).toList();
    chart.addSeries("reference", names, reference);
    chart.addSeries("live", names, live);
    return png(chart);
  }

  /** One bar per name, e.g. PSI per column; {@code threshold} drawn as the title says. */
  public static String bars(String title, String yTitle, List<String> names, List<Double> values) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH + 160)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setXAxisLabelRotation(45);
    chart.getStyler().setLegendVisible(false).setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setSeriesColors(new Color[] {LINE});
    chart.addSeries(yTitle, names.stream().map(Charts::shorten).toList(), values);
    return png(chart);
  }

  /**
   * Lines over time, one per series; a null value is a gap (that series has no point there).
   *
   * @param series name to values aligned with {@code times}
   */
  public static String overTime(
      String title, String yTitle, List<java.util.Date> times, Map<String, List<Double>> series) {
    XYChart chart = xy(title, "time (UTC)", yTitle);
    chart.getStyler().setMarkerSize(4).setLegendPosition(Styler.LegendPosition.OutsideE);
    chart
        .getStyler()
        .setDatePattern(
            times.size() > 1 && span(times) > 3 * 86_400_000L ? "MM-dd" : "MM-dd HH:mm");
    chart.getStyler().setTimezone(java.util.TimeZone.getTimeZone("UTC"));
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      List<java.util.Date> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int i = 0; i < times.size(); i++) {
        if (s.getValue().get(i) != null) {
          x.add(times.get(i));
          y.add(s.getValue().get(i));
        }
      }
      if (!x.isEmpty()) {
        chart.addSeries(shorten(s.getKey()), x, y);
      }
    }
    return png(chart);
  }

  private static long span(List<java.util.Date> times) {
    return times.get(times.size() - 1).getTime() - times.get(0).getTime();
  }

  private static XYChart xy(String title, String xTitle, String yTitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    chart
        .getStyler()
        .setLegendPosition(Styler.LegendPosition.InsideSE)
        .setChartBackgroundColor(Color.WHITE)
        .setMarkerSize(0);
    return chart;
  }

  private static void line(
      XYChart chart, String name, List<double[]> points, Color color, boolean dashed) {
    XYSeries series =
        chart.addSeries(
            name,
            points.stream().mapToDouble(p -> p[0]).toArray(),
            points.stream().mapToDouble(p -> p[1]).toArray());
    series.setMarker(SeriesMarkers.NONE).setLineColor(color);
    if (dashed) {
      series.setLineStyle(
          new BasicStroke(
              1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f}, 0f));
    }
  }

  private static String shorten(String label) {
    return label.length() <= 40 ? label : label.substring(0, 39) + "…";
  }

  private static String png(IChart chart) {
    try {
      byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render a report chart", e);
    }
  }
}
