package io.mlplatform.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Spark ML parameters a spec may set, by model type, as data ({@code estimator-params.yaml}):
 * names and kinds, so every process can check {@code model.params} and {@code tuning.grid} without
 * Spark.
 */
public final class EstimatorParams {

  /**
   * The platform wires these columns itself; letting a spec move them would break the bundle
   * contract.
   */
  public static final Set<String> RESERVED =
      Set.of(
          "featuresCol",
          "labelCol",
          "predictionCol",
          "probabilityCol",
          "rawPredictionCol",
          "varianceCol",
          "leafCol",
          "weightCol");

  private static final Map<ModelType, String> ESTIMATORS = new EnumMap<>(ModelType.class);
  private static final Map<ModelType, Map<String, ParamKind>> PARAMS =
      new EnumMap<>(ModelType.class);

  static {
    JsonNode root;
    try (InputStream in = EstimatorParams.class.getResourceAsStream("estimator-params.yaml")) {
      root = new ObjectMapper(new YAMLFactory()).readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read estimator-params.yaml from the model-spec jar", e);
    }
    for (ModelType type : ModelType.values()) {
      JsonNode entry = root.get(type.key());
      if (entry == null) {
        throw new IllegalStateException("estimator-params.yaml lacks model type " + type.key());
      }
      ESTIMATORS.put(type, entry.get("estimator").asText());
      Map<String, ParamKind> params = new LinkedHashMap<>();
      entry
          .get("params")
          .fields()
          .forEachRemaining(
              e ->
                  params.put(
                      e.getKey(),
                      ParamKind.valueOf(e.getValue().asText().toUpperCase(Locale.ROOT))));
      PARAMS.put(type, Map.copyOf(params));
    }
  }

  private EstimatorParams() {}

  /**
   * The Spark ML estimator's simple class name, e.g. RandomForestClassifier: users see it in
   * messages.
   */
  public static String estimator(ModelType type) {
    return ESTIMATORS.get(type);
  }

  /** Every parameter a spec may name for this type, with its kind (reserved columns excluded). */
  public static Map<String, ParamKind> of(ModelType type) {
    return PARAMS.get(type);
  }

  /**
   * Checks each parameter's name and kind, then hands the converted value to {@code check}; one
   * problem per parameter, keyed {@code prefix.name}.
   */
  public static List<String> check(
      ModelType type, Map<String, Object> values, String prefix, ParamCheck check) {
    List<String> problems = new ArrayList<>();
    Map<String, ParamKind> known = of(type);
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      String key = prefix + "." + entry.getKey();
      if (RESERVED.contains(entry.getKey())) {
        problems.add(key + ": set by the platform, remove it from the spec");
        continue;
      }
      ParamKind kind = known.get(entry.getKey());
      if (kind == null) {
        problems.add(
            key
                + ": unknown parameter of "
                + estimator(type)
                + " (known: "
                + String.join(", ", known.keySet().stream().sorted().toList())
                + ")");
        continue;
      }
      Object value;
      try {
        value = kind.convert(entry.getValue());
      } catch (IllegalArgumentException | ArithmeticException e) {
        problems.add(key + ": invalid value " + entry.getValue() + " (" + e.getMessage() + ")");
        continue;
      }
      problems.addAll(check.check(type, entry.getKey(), value, key));
    }
    return problems;
  }
}
