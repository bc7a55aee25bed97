package io.mlplatform.serving.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.validation.RequestValidator;
import io.mlplatform.serving.validation.Violation;
import io.mlplatform.store.format.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a successful predict call. Doubles are written as they are, never rounded.
 *
 * @param predictions one per instance, in order: a {@link Prediction}, or with {@code "options":
 *     {"partial": true}} a {@link Failed} in place of each invalid instance
 */
record PredictResponse(ModelRef model, List<Object> predictions) {

  record ModelRef(String name, int version) {}

  /**
   * Regression answers only {@code prediction}; classifiers add the label and probabilities. The
   * feedback token is there when the version takes feedback (its manifest has a monitoring
   * reference).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Prediction(
      double prediction, String label, Map<String, Double> probabilities, String feedbackToken) {}

  /** An invalid instance's entry: the error body's shape, its details all about this instance. */
  record Failed(Problem error) {}

  record Problem(String error, String message, List<Violation> details) {}

  /**
   * The predictions as the prediction log records them: null in place of an invalid instance, and
   * without feedback tokens (a token in a log file would let its readers post feedback).
   */
  List<Object> outputs() {
    List<Object> outputs = new ArrayList<>(predictions.size());
    for (Object entry : predictions) {
      if (entry instanceof Prediction p) {
        outputs.add(
            p.feedbackToken() == null
                ? p
                : new Prediction(p.prediction(), p.label(), p.probabilities(), null));
      } else {
        outputs.add(null);
      }
    }
    return outputs;
  }

  /**
   * @param tokens a feedback token per score, or null when the version takes no feedback
   */
  static PredictResponse of(Manifest manifest, List<Score> scores, String[] tokens) {
    List<Object> predictions = new ArrayList<>(scores.size());
    for (int i = 0; i < scores.size(); i++) {
      predictions.add(prediction(manifest, scores.get(i), tokens == null ? null : tokens[i]));
    }
    return new PredictResponse(new ModelRef(manifest.model(), manifest.version()), predictions);
  }

  /**
   * @param aligned one per instance, null where {@code checked} found the instance invalid
   * @param tokens aligned with {@code aligned}, or null when the version takes no feedback
   */
  static PredictResponse partial(
      Manifest manifest, RequestValidator.Checked checked, List<Score> aligned, String[] tokens) {
    List<Object> predictions = new ArrayList<>(aligned.size());
    int v = 0;
    List<Violation> violations = checked.violations();
    for (int i = 0; i < aligned.size(); i++) {
      if (aligned.get(i) != null) {
        predictions.add(prediction(manifest, aligned.get(i), tokens == null ? null : tokens[i]));
        continue;
      }
      int first = v;
      while (v < violations.size() && violations.get(v).index() == i) {
        v++;
      }
      predictions.add(
          new Failed(
              new Problem(
                  ErrorKind.INVALID_REQUEST.code(),
                  "instance " + i + " is invalid",
                  violations.subList(first, v))));
    }
    return new PredictResponse(new ModelRef(manifest.model(), manifest.version()), predictions);
  }

  private static Prediction prediction(Manifest manifest, Score score, String token) {
    return manifest.task().isClassification()
        ? classification(manifest.outputs().labels(), score, token)
        : new Prediction(score.prediction(), null, null, token);
  }

  private static Prediction classification(List<String> labels, Score score, String token) {
    String label = null;
    if (!labels.isEmpty()) {
      int index = (int) score.prediction();
      if (index != score.prediction() || index < 0 || index >= labels.size()) {
        throw new IllegalStateException(
            "prediction "
                + score.prediction()
                + " is not a class index for "
                + labels.size()
                + " labels");
      }
      label = labels.get(index);
    }
    Map<String, Double> probabilities = null;
    double[] p = score.probabilities();
    if (p != null) {
      if (!labels.isEmpty() && p.length != labels.size()) {
        throw new IllegalStateException(
            p.length + " probabilities for " + labels.size() + " labels");
      }
      probabilities = new LinkedHashMap<>();
      for (int i = 0; i < p.length; i++) {
        probabilities.put(labels.isEmpty() ? Integer.toString(i) : labels.get(i), p[i]);
      }
    }
    return new Prediction(score.prediction(), label, probabilities, token);
  }
}
