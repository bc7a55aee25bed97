package io.mlplatform.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.spec.promotion.PromotionGate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the {@code promotion} section: when a newly trained version becomes {@code production}.
 * Without the section the job uses {@link PromotionGate.Rules#defaults}: promote when not worse
 * than production on accuracy (classifiers) or rmse (regressors).
 */
final class PromotionReader {

  static final Set<String> KEYS = SpecKeys.KNOWN.get("promotion");

  private PromotionReader() {}

  /**
   * @return the rules, or null when the spec has no {@code promotion} section
   */
  static PromotionGate.Rules read(JsonNode node, ModelType type, List<String> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(
          "promotion: must be a mapping with keys "
              + String.join(", ", KEYS.stream().sorted().toList()));
      return null;
    }
    SpecKeys.check(node, "promotion", problems);
    TuningMetric metric = metric(node.get("metric"), type, problems);
    Double min = number(node, "min", problems);
    Double max = number(node, "max", problems);
    Double maxRegression = number(node, "maxRegression", problems);
    if (metric == null) {
      return null;
    }
    try {
      return PromotionGate.Rules.of(metric.key(), metric.largerIsBetter(), min, max, maxRegression);
    } catch (IllegalArgumentException e) {
      problems.add("promotion." + e.getMessage());
      return null;
    }
  }

  private static TuningMetric metric(JsonNode node, ModelType type, List<String> problems) {
    boolean classifier = type == null || type.isClassifier();
    if (node == null || node.isNull()) {
      return type == null ? null : classifier ? TuningMetric.ACCURACY : TuningMetric.RMSE;
    }
    String known =
        Arrays.stream(TuningMetric.values())
            .filter(m -> m.forClassification() == classifier)
            .map(TuningMetric::key)
            .collect(Collectors.joining(", "));
    TuningMetric metric =
        node.isTextual() ? TuningMetric.fromKey(node.asText()).orElse(null) : null;
    if (metric == null) {
      problems.add(
          "promotion.metric: unknown metric '" + node.asText() + "' (known: " + known + ")");
      return null;
    }
    if (type != null && metric.forClassification() != classifier) {
      problems.add(
          "promotion.metric: "
              + metric.key()
              + " is not computed for "
              + type.key()
              + " (use one of: "
              + known
              + ")");
      return null;
    }
    return metric;
  }

  private static Double number(JsonNode parent, String key, List<String> problems) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      problems.add("promotion." + key + ": must be a number, got '" + node.asText() + "'");
      return null;
    }
    return node.asDouble();
  }
}
