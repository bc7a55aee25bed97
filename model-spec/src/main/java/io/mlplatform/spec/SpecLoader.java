package io.mlplatform.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mlplatform.spec.promotion.PromotionGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a spec file and validates everything that can be checked without the data. Every problem is
 * collected and reported at once, each naming its key (checks against the data's columns happen
 * when the job has read it: see {@code SchemaCheck}).
 */
public final class SpecLoader {

  static final int DEFAULT_REFERENCE_ROWS = 200;
  static final double DEFAULT_TEST_FRACTION = 0.2;
  static final long DEFAULT_SEED = 42L;

  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<String> problems = new ArrayList<>();
  private final ParamCheck paramCheck;

  private SpecLoader(ParamCheck paramCheck) {
    this.paramCheck = paramCheck;
  }

  /** Every check that needs no Spark: what the scheduler and other tools run. */
  public static ModelSpec load(Path file) {
    return load(file, ParamCheck.NONE);
  }

  /**
   * @param paramCheck also checks estimator parameter values (the training job passes Spark's
   *     validators)
   */
  public static ModelSpec load(Path file, ParamCheck paramCheck) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new SpecException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
    }
    return parse(text, file.toString(), paramCheck);
  }

  public static ModelSpec parse(String yaml, String source) {
    return parse(yaml, source, ParamCheck.NONE);
  }

  public static ModelSpec parse(String yaml, String source, ParamCheck paramCheck) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new SpecException(
          source,
          List.of(
              "not valid YAML: "
                  + e.getOriginalMessage()
                  + (e.getLocation() == null
                      ? ""
                      : " (line " + e.getLocation().getLineNr() + ")")));
    }
    if (root == null || !root.isObject()) {
      throw new SpecException(
          source,
          List.of(
              "the spec must be a YAML mapping with keys "
                  + String.join(", ", sorted(SpecKeys.KNOWN.get("")))));
    }
    SpecLoader loader = new SpecLoader(paramCheck);
    ModelSpec spec = loader.read((ObjectNode) root);
    if (!loader.problems.isEmpty()) {
      throw new SpecException(source, loader.problems);
    }
    return spec;
  }

  private ModelSpec read(ObjectNode root) {
    unknownKeys(root, "");
    String name = requiredText(root, "name", "name");
    if (name != null && !MODEL_NAME.matcher(name).matches()) {
      problems.add(
          "name: '" + name + "' is not a valid model name (1-64 letters, digits, '_' or '-')");
    }
    String target = requiredText(root, "target", "target");

    JsonNode data = section(root, "data", true);
    String path = requiredText(data, "path", "data.path");
    DataFormat format =
        enumValue(data, "format", "data.format", DataFormat.class, inferFormat(path));
    Map<String, String> options = stringMap(data.get("options"), "data.options");
    String where = optionalText(data, "where", "data.where");
    Integer latestFiles = null;
    if (data.has("latestFiles")) {
      JsonNode window = data.get("latestFiles");
      if (window.canConvertToInt() && window.isIntegralNumber() && window.asInt() >= 1) {
        latestFiles = window.asInt();
      } else {
        problems.add(
            "data.latestFiles: must be a whole number >= 1 (how many of the newest files to read), got "
                + window);
      }
    }

    JsonNode features = section(root, "features", true);
    List<String> numeric = columnList(features.get("numeric"), "features.numeric");
    List<String> categorical = columnList(features.get("categorical"), "features.categorical");
    Scaling scaling =
        enumValue(features, "scaling", "features.scaling", Scaling.class, Scaling.NONE);
    TextFeatures text =
        FeatureKeys.text(features, columnList(features.get("text"), "features.text"), problems);
    Map<String, Bucketing> bucketize =
        FeatureKeys.bucketize(features.get("bucketize"), numeric, problems);
    if (numeric.isEmpty()
        && categorical.isEmpty()
        && text.columns().isEmpty()
        && features.isObject()) {
      problems.add(
          "features: list at least one column under features.numeric, features.categorical or features.text");
    }
    duplicates(numeric, concat(categorical, text.columns()), target);

    JsonNode model = section(root, "model", true);
    ModelType type = modelType(model);
    Map<String, Object> params = objectMap(model.get("params"), "model.params");
    if (type != null) {
      problems.addAll(EstimatorParams.check(type, params, "model.params", paramCheck));
    }
    ModelRules.check(type, params, numeric, bucketize, problems);
    Tuning tuning = TuningReader.read(root.get("tuning"), type, params, paramCheck, problems);
    PromotionGate.Rules promotion = PromotionReader.read(root.get("promotion"), type, problems);

    JsonNode split = section(root, "split", false);
    double testFraction =
        number(split, "testFraction", "split.testFraction", DEFAULT_TEST_FRACTION);
    if (!(testFraction > 0 && testFraction < 1)) {
      problems.add("split.testFraction: must be between 0 and 1 (exclusive), got " + testFraction);
    }
    long seed = (long) number(split, "seed", "split.seed", DEFAULT_SEED);

    JsonNode export = section(root, "export", false);
    int referenceRows =
        (int) number(export, "referenceRows", "export.referenceRows", DEFAULT_REFERENCE_ROWS);
    if (referenceRows < 1) {
      problems.add("export.referenceRows: must be at least 1, got " + referenceRows);
    }

    return new ModelSpec(
        name,
        new ModelSpec.Data(path, format, options, where, latestFiles),
        target,
        new ModelSpec.Features(numeric, categorical, scaling, text, bucketize),
        new ModelSpec.Model(type, params),
        new ModelSpec.Split(testFraction, seed),
        referenceRows,
        root,
        tuning,
        promotion);
  }

  private ModelType modelType(JsonNode model) {
    String key = requiredText(model, "type", "model.type");
    if (key == null) {
      return null;
    }
    var type = ModelType.fromKey(key);
    if (type.isEmpty()) {
      problems.add(
          "model.type: unknown model type '"
              + key
              + "' (known: "
              + Arrays.stream(ModelType.values())
                  .map(ModelType::key)
                  .collect(Collectors.joining(", "))
              + ")");
    }
    return type.orElse(null);
  }

  private JsonNode section(JsonNode parent, String key, boolean required) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      if (required) {
        problems.add(key + ": missing (required section)");
      }
      return YAML.createObjectNode();
    }
    if (!node.isObject()) {
      problems.add(key + ": must be a mapping");
      return YAML.createObjectNode();
    }
    unknownKeys(node, key);
    return node;
  }

  private void unknownKeys(JsonNode node, String path) {
    SpecKeys.check(node, path, problems);
  }

  private String requiredText(JsonNode parent, String key, String path) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      problems.add(path + ": missing (required)");
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      problems.add(path + ": must be a non-empty string");
      return null;
    }
    return node.asText();
  }

  private String optionalText(JsonNode parent, String key, String path) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      problems.add(path + ": must be a non-empty string");
      return null;
    }
    return node.asText();
  }

  private <E extends Enum<E>> E enumValue(
      JsonNode parent, String key, String path, Class<E> type, E fallback) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return fallback;
    }
    String text = node.asText().trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(text)) {
        return value;
      }
    }
    problems.add(
        path
            + ": unknown value '"
            + node.asText()
            + "' (allowed: "
            + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "))
            + ")");
    return fallback;
  }

  private DataFormat inferFormat(String path) {
    if (path == null) {
      return DataFormat.CSV;
    }
    String lower = path.toLowerCase(Locale.ROOT);
    return lower.endsWith(".json")
        ? DataFormat.JSON
        : lower.endsWith(".parquet") ? DataFormat.PARQUET : DataFormat.CSV;
  }

  private List<String> columnList(JsonNode node, String path) {
    List<String> columns = new ArrayList<>();
    if (node == null || node.isNull()) {
      return columns;
    }
    if (!node.isArray()) {
      problems.add(path + ": must be a list of column names");
      return columns;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual() || item.asText().isEmpty()) {
        problems.add(path + "[" + i + "]: must be a column name (a non-empty string)");
      } else if (item.asText().contains(".") || item.asText().contains("`")) {
        // Spark reads '.' as a struct field access and '`' as quoting inside column expressions.
        problems.add(
            path
                + "["
                + i
                + "]: column '"
                + item.asText()
                + "' contains '.' or '`', which Spark"
                + " cannot address; rename the column in the data");
      } else {
        columns.add(item.asText());
      }
    }
    return columns;
  }

  private void duplicates(List<String> numeric, List<String> categorical, String target) {
    Set<String> seen = new HashSet<>();
    for (String column : concat(numeric, categorical)) {
      if (!seen.add(column)) {
        problems.add("features: column '" + column + "' is listed more than once");
      }
      if (column.equals(target)) {
        problems.add("features: the target column '" + target + "' cannot also be a feature");
      }
    }
  }

  private Map<String, String> stringMap(JsonNode node, String path) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return map;
    }
    if (!node.isObject()) {
      problems.add(path + ": must be a mapping of option names to values");
      return map;
    }
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isContainerNode()) {
                problems.add(path + "." + e.getKey() + ": must be a single value");
              } else {
                map.put(e.getKey(), e.getValue().asText());
              }
            });
    return map;
  }

  private Map<String, Object> objectMap(JsonNode node, String path) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return map;
    }
    if (!node.isObject()) {
      problems.add(path + ": must be a mapping of parameter names to values");
      return map;
    }
    node.fields()
        .forEachRemaining(e -> map.put(e.getKey(), YAML.convertValue(e.getValue(), Object.class)));
    return map;
  }

  private double number(JsonNode parent, String key, String path, double fallback) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber()) {
      problems.add(path + ": must be a number, got '" + node.asText() + "'");
      return fallback;
    }
    return node.asDouble();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }
}
