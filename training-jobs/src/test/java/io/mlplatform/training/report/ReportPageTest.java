package io.mlplatform.training.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.store.format.Task;
import io.mlplatform.training.evaluate.Evaluation;
import io.mlplatform.training.export.ExportCheck;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The report is one self-contained page: the sections of its task, and plots that are real PNGs.
 */
class ReportPageTest {

  private static final Pattern IMAGE =
      Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" alt=\"([^\"]*)\"");

  private static Evaluation binary() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", 0.9);
    metrics.put("auc_roc", 0.95);
    metrics.put("auc_pr", 0.93);
    return new Evaluation(
        Task.BINARY_CLASSIFICATION,
        List.of("FEMALE", "MALE"),
        metrics,
        new long[][] {{40, 4}, {5, 39}},
        List.of(
            new Evaluation.ClassScores("FEMALE", 0.89, 0.91, 0.9, 44),
            new Evaluation.ClassScores("MALE", 0.91, 0.89, 0.9, 44)),
        List.of(new double[] {0, 0}, new double[] {0.1, 0.8}, new double[] {1, 1}),
        List.of(new double[] {0, 1}, new double[] {0.8, 0.9}, new double[] {1, 0.5}),
        List.of(),
        List.of(
            new Evaluation.Importance("Island=<Biscoe>", "Island", 0.2),
            new Evaluation.Importance("Body Mass (g)", "Body Mass (g)", 0.7),
            new Evaluation.Importance("Island=Dream", "Island", 0.1)));
  }

  private static List<BufferedImage> images(String html, List<String> alts) throws Exception {
    List<BufferedImage> images = new ArrayList<>();
    Matcher m = IMAGE.matcher(html);
    while (m.find()) {
      images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
      alts.add(m.group(2));
    }
    return images;
  }

  @Test
  void binaryReportHasTablesCurvesAndImportances() throws Exception {
    var training =
        new ObjectMapper()
            .readTree(
                """
        {"method": "cross_validation", "metric": "accuracy", "larger_is_better": true, "chosen": 1,
         "candidates": [{"params": {"regParam": 0.1}, "score": 0.8}, {"params": {"regParam": 0.01}, "score": 0.85}]}
        """);
    String html =
        ReportPage.render(
            new ReportPage.Content(
                "sex",
                "gbt_classifier",
                Task.BINARY_CLASSIFICATION,
                "2026-01-01T00:00:00Z",
                "file:/data/penguins.json",
                245,
                88,
                binary(),
                training,
                new ExportCheck.Outcome(94, 282, 1e-16, "0.20.0")));

    assertThat(html)
        .startsWith("<!doctype html>")
        .contains("<style>")
        .contains(
            "id=\"metrics\"",
            "id=\"confusion-matrix\"",
            "id=\"per-class\"",
            "id=\"curves\"",
            "id=\"feature-importances\"",
            "id=\"tuning\"",
            "id=\"export-check\"")
        .contains("<tr class=\"chosen\"><td>{&quot;regParam&quot;:0.01}</td>")
        .contains("Island=&lt;Biscoe&gt;")
        .doesNotContain("<Biscoe>")
        .contains("positive class <code>MALE</code>");
    // Self-contained: nothing fetched, no script.
    assertThat(html).doesNotContain("http://", "https://", "<script", "<link");
    List<String> alts = new ArrayList<>();
    List<BufferedImage> images = images(html, alts);
    assertThat(alts)
        .containsExactly(
            "confusion matrix", "ROC curve", "precision-recall curve", "feature importances");
    assertThat(images).allSatisfy(image -> assertThat(image.getWidth()).isGreaterThan(300));
  }

  @Test
  void regressionReportPlotsResidualsAndHasNoClassTables() throws Exception {
    List<double[]> residuals = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      residuals.add(new double[] {3000 + 40 * i, 3000 + 40 * i + (i % 7 - 3) * 50});
    }
    Evaluation evaluation =
        new Evaluation(
            Task.REGRESSION,
            List.of(),
            Map.of("rmse", 120.0, "r2", 0.8),
            new long[0][],
            List.of(),
            List.of(),
            List.of(),
            residuals,
            List.of());

    String html =
        ReportPage.render(
            new ReportPage.Content(
                "mass",
                "linear_regression",
                Task.REGRESSION,
                "2026-01-01T00:00:00Z",
                "file:/data/penguins.json",
                250,
                50,
                evaluation,
                null,
                null));

    assertThat(html)
        .contains("id=\"residuals\"")
        .doesNotContain(
            "id=\"confusion-matrix\"",
            "id=\"tuning\"",
            "id=\"feature-importances\"",
            "id=\"export-check\"");
    List<String> alts = new ArrayList<>();
    assertThat(images(html, alts)).hasSize(2).allSatisfy(image -> assertThat(image).isNotNull());
    assertThat(alts).containsExactly("residuals", "predicted against actual");
  }
}
