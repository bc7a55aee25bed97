package io.mlplatform.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.config.RenamedKeys;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every key a spec may have, by section, and the old spellings it refuses. Public so that the JSON
 * Schema in conf/schemas can be tested against it.
 */
public final class SpecKeys {

  /** Section path ("" for the root) to its keys. */
  public static final Map<String, Set<String>> KNOWN =
      Map.of(
          "",
              Set.of(
                  "name",
                  "data",
                  "target",
                  "features",
                  "model",
                  "split",
                  "export",
                  "tuning",
                  "promotion"),
          "data", Set.of("path", "format", "options", "where", "latestFiles"),
          "features",
              Set.of(
                  "numeric",
                  "categorical",
                  "scaling",
                  "text",
                  "textVectorizer",
                  "textFeatures",
                  "bucketize"),
          "model", Set.of("type", "params"),
          "split", Set.of("testFraction", "seed"),
          "export", Set.of("referenceRows"),
          "tuning", Set.of("method", "folds", "trainRatio", "parallelism", "metric", "grid"),
          "promotion", Set.of("metric", "min", "max", "maxRegression"));

  /**
   * Mappings whose keys are not the spec's own: Spark reader options, estimator parameters,
   * columns.
   */
  public static final Set<String> OPEN =
      Set.of("data.options", "model.params", "features.bucketize", "tuning.grid");

  /**
   * Snake-case keys of earlier releases, and label, which is the target now ("label" means a class
   * label).
   */
  public static final RenamedKeys RENAMED =
      RenamedKeys.of(
          "label", "target",
          "features.text_vectorizer", "features.textVectorizer",
          "features.text_features", "features.textFeatures",
          "split.test_fraction", "split.testFraction",
          "export.reference_rows", "export.referenceRows",
          "tuning.train_ratio", "tuning.trainRatio",
          "promotion.max_regression", "promotion.maxRegression",
          "data.latest_files", "data.latestFiles");

  private SpecKeys() {}

  /**
   * One problem per key of {@code node} the section does not have, naming the new key of an old
   * spelling.
   */
  static void check(JsonNode node, String path, List<String> problems) {
    Set<String> allowed = KNOWN.get(path);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problems.add(
            RENAMED
                .problem(path, key)
                .orElseGet(
                    () ->
                        RenamedKeys.join(path, key)
                            + ": unknown key (allowed: "
                            + String.join(", ", allowed.stream().sorted().toList())
                            + ")"));
      }
    }
  }
}
