package io.mlplatform.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the {@code tuning} section; every grid value is tried on the estimator, as model.params
 * are.
 */
final class TuningReader {

  static final Set<String> KEYS = SpecKeys.KNOWN.get("tuning");
  static final int DEFAULT_FOLDS = 3;
  static final double DEFAULT_TRAIN_RATIO = 0.8;
  // One candidate at a time by default: each fit already uses every core of the cluster.
  static final int DEFAULT_PARALLELISM = 1;
  // Grids multiply; a typo like [1, 2, ..., 1000] should fail here, not after hours.
  static final int MAX_CANDIDATES = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TuningReader() {}

  /**
   * @return the tuning, or null when the spec has no {@code tuning} section
   */
  static Tuning read(
      JsonNode node,
      ModelType type,
      Map<String, Object> params,
      ParamCheck paramCheck,
      List<String> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add("tuning: must be a mapping");
      return null;
    }
    SpecKeys.check(node, "tuning", problems);
    Tuning.Method method = method(node.get("method"), problems);
    int folds = whole(node, "folds", DEFAULT_FOLDS, 2, 20, problems);
    double trainRatio = DEFAULT_TRAIN_RATIO;
    JsonNode ratio = node.get("trainRatio");
    if (ratio != null && !ratio.isNull()) {
      if (!ratio.isNumber() || !(ratio.asDouble() > 0 && ratio.asDouble() < 1)) {
        problems.add(
            "tuning.trainRatio: must be a number between 0 and 1 (exclusive), got " + ratio);
      } else {
        trainRatio = ratio.asDouble();
      }
    }
    if (method == Tuning.Method.CROSS_VALIDATION && ratio != null) {
      problems.add(
          "tuning.trainRatio: only used by train_validation_split (cross_validation uses folds)");
    }
    if (method == Tuning.Method.TRAIN_VALIDATION_SPLIT && node.get("folds") != null) {
      problems.add(
          "tuning.folds: only used by cross_validation (train_validation_split uses trainRatio)");
    }
    int parallelism = whole(node, "parallelism", DEFAULT_PARALLELISM, 1, 64, problems);
    TuningMetric metric = metric(node.get("metric"), type, problems);
    Map<String, List<Object>> grid = grid(node.get("grid"), type, params, paramCheck, problems);
    return new Tuning(method, folds, trainRatio, parallelism, metric, grid);
  }

  private static Tuning.Method method(JsonNode node, List<String> problems) {
    if (node == null || node.isNull()) {
      problems.add("tuning.method: missing (required): cross_validation or train_validation_split");
      return Tuning.Method.CROSS_VALIDATION;
    }
    String text = node.asText().trim().toUpperCase(Locale.ROOT);
    for (Tuning.Method method : Tuning.Method.values()) {
      if (method.name().equals(text)) {
        return method;
      }
    }
    problems.add(
        "tuning.method: unknown value '"
            + node.asText()
            + "' (allowed: cross_validation, train_validation_split)");
    return Tuning.Method.CROSS_VALIDATION;
  }

  private static TuningMetric metric(JsonNode node, ModelType type, List<String> problems) {
    boolean classifier = type == null || type.isClassifier();
    TuningMetric fallback = classifier ? TuningMetric.ACCURACY : TuningMetric.RMSE;
    if (node == null || node.isNull()) {
      return fallback;
    }
    List<TuningMetric> allowed =
        Arrays.stream(TuningMetric.values())
            .filter(m -> m.forClassification() == classifier)
            .filter(m -> m != TuningMetric.LOG_LOSS || type == null || type.hasProbability())
            .toList();
    TuningMetric metric = TuningMetric.fromKey(node.asText()).orElse(null);
    if (metric == null || !allowed.contains(metric)) {
      problems.add(
          "tuning.metric: '"
              + node.asText()
              + "' is not a metric of "
              + (type == null ? "this model" : type.key())
              + " (allowed: "
              + allowed.stream().map(TuningMetric::key).collect(Collectors.joining(", "))
              + ")");
      return fallback;
    }
    return metric;
  }

  private static Map<String, List<Object>> grid(
      JsonNode node,
      ModelType type,
      Map<String, Object> params,
      ParamCheck paramCheck,
      List<String> problems) {
    Map<String, List<Object>> grid = new LinkedHashMap<>();
    if (node == null || node.isNull() || !node.isObject() || node.isEmpty()) {
      problems.add(
          "tuning.grid: missing or empty: a mapping of estimator parameters to lists of values,"
              + " e.g. {regParam: [0.01, 0.1]}");
      return grid;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = "tuning.grid." + entry.getKey();
      if (!entry.getValue().isArray() || entry.getValue().isEmpty()) {
        problems.add(key + ": must be a non-empty list of values");
        continue;
      }
      List<Object> values = new ArrayList<>();
      entry.getValue().forEach(v -> values.add(JSON.convertValue(v, Object.class)));
      if (type != null) {
        // Each value with the same conversions and value checks as model.params.
        List<String> invalid = new ArrayList<>();
        for (Object value : values) {
          invalid.addAll(
              EstimatorParams.check(
                  type, Map.of(entry.getKey(), value), "tuning.grid", paramCheck));
          Map<String, Object> candidate = new LinkedHashMap<>(params);
          candidate.put(entry.getKey(), value);
          ModelRules.exportable(type, candidate, "tuning.grid", invalid);
        }
        if (!invalid.isEmpty()) {
          problems.add(invalid.get(0));
          continue;
        }
      }
      grid.put(entry.getKey(), values);
    }
    int candidates = grid.values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
    if (candidates > MAX_CANDIDATES) {
      problems.add(
          "tuning.grid: "
              + candidates
              + " combinations; at most "
              + MAX_CANDIDATES
              + " are allowed");
    }
    return grid;
  }

  private static int whole(
      JsonNode parent, String key, int fallback, int min, int max, List<String> problems) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || node.asInt() < min || node.asInt() > max) {
      problems.add(
          "tuning."
              + key
              + ": must be a whole number between "
              + min
              + " and "
              + max
              + ", got "
              + node);
      return fallback;
    }
    return node.asInt();
  }
}
