package io.mlplatform.serving.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.serving.scoring.ModelLoadException;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.validation.InputSchema;
import io.mlplatform.serving.validation.InvalidRequestException;
import io.mlplatform.serving.validation.RequestValidator;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-scores a version's reference rows (held-out rows with Spark's own outputs, written by the
 * training job) and compares. The rows go through the same validation as requests, nulls and fills
 * included, so a pass means that a caller sending those rows gets training's answers.
 */
final class SelfTest {

  private static final int MAX_REPORTED = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final double tolerance;

  /**
   * @param tolerance largest absolute difference of a probability; regression outputs are compared
   *     relatively
   */
  SelfTest(double tolerance) {
    this.tolerance = tolerance;
  }

  /** The rows as the model receives them, after validation and fills. */
  static List<Object[]> rows(List<ReferenceRow> reference, InputSchema inputs) {
    if (reference.isEmpty()) {
      return List.of();
    }
    List<Map<String, Object>> instances = reference.stream().map(ReferenceRow::input).toList();
    JsonNode body = JSON.valueToTree(Map.of(RequestValidator.INSTANCES, instances));
    try {
      return new RequestValidator(instances.size(), false).validate(body, inputs);
    } catch (InvalidRequestException e) {
      throw new ModelLoadException(
          "reference rows do not fit the input schema: "
              + e.violations().stream()
                  .limit(MAX_REPORTED)
                  .map(v -> "row " + v.index() + " " + v.field() + " " + v.reason())
                  .toList());
    }
  }

  /**
   * @return what differs from training, or null when every row reproduces
   */
  String check(
      Manifest manifest, ScoringModel scorer, List<Object[]> rows, List<ReferenceRow> reference) {
    List<Score> scores = scorer.score(rows);
    List<String> problems = new ArrayList<>();
    int differing = 0;
    for (int i = 0; i < reference.size(); i++) {
      String problem = compare(manifest, scores.get(i), reference.get(i));
      if (problem != null) {
        differing++;
        if (problems.size() < MAX_REPORTED) {
          problems.add("row " + i + ": " + problem);
        }
      }
    }
    return differing == 0
        ? null
        : differing
            + " of "
            + reference.size()
            + " reference rows differ from training ("
            + String.join("; ", problems)
            + ")";
  }

  private String compare(Manifest manifest, Score score, ReferenceRow expected) {
    if (!manifest.task().isClassification()) {
      double scale = Math.max(1, Math.abs(expected.prediction()));
      return Math.abs(score.prediction() - expected.prediction()) <= tolerance * scale
          ? null
          : "prediction " + score.prediction() + ", training " + expected.prediction();
    }
    if (Double.compare(score.prediction(), expected.prediction()) != 0) {
      return "class " + score.prediction() + ", training " + expected.prediction();
    }
    List<Double> p = expected.probabilities();
    if (p == null) {
      return null;
    }
    double[] served = score.probabilities();
    if (served == null || served.length != p.size()) {
      return (served == null ? "no" : served.length) + " probabilities, training " + p.size();
    }
    for (int k = 0; k < served.length; k++) {
      if (!(Math.abs(served[k] - p.get(k)) <= tolerance)) {
        return "P(class " + k + ") " + served[k] + ", training " + p.get(k);
      }
    }
    return null;
  }
}
