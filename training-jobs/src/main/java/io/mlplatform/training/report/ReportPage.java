package io.mlplatform.training.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.format.Task;
import io.mlplatform.training.evaluate.Evaluation;
import io.mlplatform.training.export.ExportCheck;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation report staged with each version as {@code report.html}: one self-contained page
 * (inline CSS, plots as PNG data URIs, no script, nothing fetched) that opens in any browser.
 */
public final class ReportPage {

  static final int TOP_FEATURES = 20;

  /**
   * What the page shows.
   *
   * @param training the manifest's training record (tuning candidates), or null
   * @param check what the export check compared, or null when it did not run
   */
  public record Content(
      String model,
      String modelType,
      Task task,
      String createdAt,
      String data,
      long trainRows,
      long testRows,
      Evaluation evaluation,
      JsonNode training,
      ExportCheck.Outcome check) {}

  private static final String CSS =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
      color:#1d2733;padding:0 1rem}h1{margin-bottom:.2rem}h2{border-bottom:1px solid #d8dee6;padding-bottom:.2rem;
      margin-top:2rem}.sub{color:#5b6775;margin-top:0}table{border-collapse:collapse;margin:.6rem 0}
      td,th{border:1px solid #d8dee6;padding:.25rem .6rem;text-align:right}th{background:#f3f6f9}
      td:first-child,th:first-child{text-align:left}tr.chosen td{background:#e8f4e8;font-weight:600}
      img{max-width:100%;border:1px solid #eef1f4;margin:.4rem .4rem .4rem 0}.plots{display:flex;flex-wrap:wrap;
      align-items:flex-start}.plots table{margin-right:1.5rem}
      code{background:#f3f6f9;padding:0 .2rem}""";

  private ReportPage() {}

  public static String render(Content c) {
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(c.model()))
        .append(" — evaluation report</title><style>")
        .append(CSS)
        .append("</style></head><body>\n");
    html.append("<h1>")
        .append(esc(c.model()))
        .append("</h1><p class=\"sub\">")
        .append(esc(c.task().name().toLowerCase(Locale.ROOT).replace('_', ' ')))
        .append(" · <code>")
        .append(esc(c.modelType()))
        .append("</code> · trained ")
        .append(esc(c.createdAt()))
        .append("</p>\n");
    html.append("<section id=\"summary\"><table>")
        .append(row("data", esc(c.data())))
        .append(row("training rows", Long.toString(c.trainRows())))
        .append(row("held-out rows", Long.toString(c.testRows())))
        .append("</table></section>\n");
    metrics(html, c.evaluation());
    Evaluation e = c.evaluation();
    if (c.task().isClassification()) {
      classification(html, e);
    } else if (!e.residuals().isEmpty()) {
      html.append("<section id=\"residuals\"><h2>Residuals</h2><div class=\"plots\">")
          .append(img(Charts.residuals(e.residuals()), "residuals"))
          .append(img(Charts.predictedVsActual(e.residuals()), "predicted against actual"))
          .append("</div>")
          .append("<p>")
          .append(e.residuals().size())
          .append(" held-out rows.</p></section>\n");
    }
    importances(html, e);
    tuning(html, c.training());
    if (c.check() != null) {
      html.append(
              "<section id=\"export-check\"><h2>Export check</h2><p>Before publishing, MLeap runtime ")
          .append(esc(String.valueOf(c.check().runtime())))
          .append(" (the one serving uses) scored ")
          .append(c.check().rows())
          .append(
              " reference rows (held-out rows, then nulls, unseen categories and empty"
                  + " texts) from the bundle as written and matched Spark on all ")
          .append(c.check().outputs())
          .append(" outputs (largest difference ")
          .append(String.format(Locale.ROOT, "%.3g", c.check().maxDifference()))
          .append(", tolerance ")
          .append(String.format(Locale.ROOT, "%.0e", ExportCheck.TOLERANCE))
          .append(
              "). Serving re-checks the same reference rows when it loads the bundle.</p></section>\n");
    }
    html.append("</body></html>\n");
    return html.toString();
  }

  private static void metrics(StringBuilder html, Evaluation e) {
    html.append(
        "<section id=\"metrics\"><h2>Held-out metrics</h2><table><tr><th>metric</th><th>value</th></tr>");
    for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
      html.append(row(esc(m.getKey()), number(m.getValue())));
    }
    html.append("</table>");
    if (e.task() == Task.BINARY_CLASSIFICATION) {
      html.append("<p>precision, recall and f1 are for the positive class <code>")
          .append(esc(e.classes().get(1)))
          .append("</code>.</p>");
    }
    html.append("</section>\n");
  }

  private static void classification(StringBuilder html, Evaluation e) {
    html.append("<section id=\"confusion-matrix\"><h2>Confusion matrix</h2>")
        .append(img(Charts.confusion(e.classes(), e.confusion()), "confusion matrix"))
        .append("<table><tr><th>actual \\ predicted</th>");
    e.classes().forEach(k -> html.append("<th>").append(esc(k)).append("</th>"));
    html.append("</tr>");
    for (int r = 0; r < e.classes().size(); r++) {
      html.append("<tr><td>").append(esc(e.classes().get(r))).append("</td>");
      for (long count : e.confusion()[r]) {
        html.append("<td>").append(count).append("</td>");
      }
      html.append("</tr>");
    }
    html.append(
        "</table></section>\n<section id=\"per-class\"><h2>Per class</h2><table><tr><th>class</th>"
            + "<th>precision</th><th>recall</th><th>f1</th><th>support</th></tr>");
    for (Evaluation.ClassScores s : e.perClass()) {
      html.append("<tr><td>")
          .append(esc(s.label()))
          .append("</td><td>")
          .append(number(s.precision()))
          .append("</td><td>")
          .append(number(s.recall()))
          .append("</td><td>")
          .append(number(s.f1()))
          .append("</td><td>")
          .append(s.support())
          .append("</td></tr>");
    }
    html.append("</table></section>\n");
    if (!e.roc().isEmpty()) {
      html.append(
              "<section id=\"curves\"><h2>ROC and precision-recall curves</h2><div class=\"plots\">")
          .append(
              img(
                  Charts.roc(e.roc(), e.metrics().getOrDefault("auc_roc", Double.NaN)),
                  "ROC curve"))
          .append(
              img(
                  Charts.pr(e.pr(), e.metrics().getOrDefault("auc_pr", Double.NaN)),
                  "precision-recall curve"))
          .append("</div><p>Positive class <code>")
          .append(esc(e.classes().get(1)))
          .append("</code>.</p></section>\n");
    }
  }

  private static void importances(StringBuilder html, Evaluation e) {
    if (e.importances().isEmpty()) {
      return;
    }
    List<Evaluation.Importance> top =
        e.importances().subList(0, Math.min(TOP_FEATURES, e.importances().size()));
    html.append("<section id=\"feature-importances\"><h2>Feature importances</h2>")
        .append(
            img(
                Charts.importances(
                    top, "Top " + top.size() + " of " + e.importances().size() + " features"),
                "feature importances"))
        .append("<div class=\"plots\"><table><tr><th>feature</th><th>importance</th></tr>");
    for (Evaluation.Importance i : top) {
      html.append(row(esc(i.feature()), number(i.importance())));
    }
    html.append(
        "</table><table><tr><th>input column</th><th>importance (sum of its features)</th></tr>");
    for (Evaluation.Importance i : e.importanceByColumn()) {
      html.append(row(esc(i.column()), number(i.importance())));
    }
    html.append("</table></div></section>\n");
  }

  private static void tuning(StringBuilder html, JsonNode training) {
    if (training == null || !training.has("candidates")) {
      return;
    }
    html.append("<section id=\"tuning\"><h2>Tuning</h2><p><code>")
        .append(esc(training.path("method").asText()))
        .append("</code> ranked ")
        .append(training.get("candidates").size())
        .append(" candidates by <code>")
        .append(esc(training.path("metric").asText()))
        .append("</code> (")
        .append(training.path("larger_is_better").asBoolean() ? "larger" : "smaller")
        .append(" is better); the chosen one is highlighted and is the model exported.</p>")
        .append("<table><tr><th>parameters</th><th>score</th></tr>");
    int chosen = training.path("chosen").asInt(-1);
    for (int i = 0; i < training.get("candidates").size(); i++) {
      JsonNode candidate = training.get("candidates").get(i);
      html.append(i == chosen ? "<tr class=\"chosen\">" : "<tr>")
          .append("<td>")
          .append(esc(candidate.get("params").toString()))
          .append("</td><td>")
          .append(number(candidate.get("score").asDouble()))
          .append("</td></tr>");
    }
    html.append("</table></section>\n");
  }

  private static String row(String name, String value) {
    return "<tr><td>" + name + "</td><td>" + value + "</td></tr>";
  }

  private static String img(String dataUri, String alt) {
    return "<img src=\"" + dataUri + "\" alt=\"" + esc(alt) + "\">";
  }

  private static String number(Double value) {
    return value == null ? "–" : String.format(Locale.ROOT, "%.4f", value);
  }

  static String esc(String text) {
    return text == null
        ? ""
        : text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
  }
}
