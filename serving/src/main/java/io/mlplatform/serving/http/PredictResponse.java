package io.mlplatform.serving.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mlplatform.serving.model.Score;
import io.mlplatform.store.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of a successful predict call. Doubles are written as they are, never rounded. */
record PredictResponse(ModelRef model, List<Prediction> predictions) {

  record ModelRef(String name, int version) {}

  /** Regression answers only {@code prediction}; classifiers add the label and probabilities. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Prediction(double prediction, String label, Map<String, Double> probabilities) {}

  static PredictResponse of(Manifest manifest, List<Score> scores) {
    List<Prediction> predictions = new ArrayList<>(scores.size());
    for (Score score : scores) {
      predictions.add(manifest.task().isClassification()
          ? classification(manifest.outputs().labels(), score)
          : new Prediction(score.prediction(), null, null));
    }
    return new PredictResponse(new ModelRef(manifest.model(), manifest.version()), predictions);
  }

  private static Prediction classification(List<String> labels, Score score) {
    String label = null;
    if (!labels.isEmpty()) {
      int index = (int) score.prediction();
      if (index != score.prediction() || index < 0 || index >= labels.size()) {
        throw new IllegalStateException(
            "prediction " + score.prediction() + " is not a class index for " + labels.size() + " labels");
      }
      label = labels.get(index);
    }
    Map<String, Double> probabilities = null;
    double[] p = score.probabilities();
    if (p != null) {
      if (!labels.isEmpty() && p.length != labels.size()) {
        throw new IllegalStateException(p.length + " probabilities for " + labels.size() + " labels");
      }
      probabilities = new LinkedHashMap<>();
      for (int i = 0; i < p.length; i++) {
        probabilities.put(labels.isEmpty() ? Integer.toString(i) : labels.get(i), p[i]);
      }
    }
    return new Prediction(score.prediction(), label, probabilities);
  }
}
