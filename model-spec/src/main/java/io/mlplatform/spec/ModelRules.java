package io.mlplatform.spec;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a model type needs beyond Spark's own parameter checks: settings Spark accepts but that
 * cannot be exported, or verified before publish, with the MLeap versions available here.
 */
final class ModelRules {

  // MLeap 0.16 knows only these two naive Bayes variants; bernoulli also needs 0/1 features, which
  // numeric and TF-IDF columns are not, so only multinomial is offered.
  private static final Set<String> NAIVE_BAYES_TYPES = Set.of("multinomial");
  // MLeap 0.16's GeneralizedLinearRegressionModel has no tweedie family; the links are Spark's per
  // family.
  private static final Map<String, Set<String>> GLR_LINKS =
      Map.of(
          "gaussian", Set.of("identity", "log", "inverse"),
          "binomial", Set.of("logit", "probit", "cloglog"),
          "poisson", Set.of("log", "identity", "sqrt"),
          "gamma", Set.of("inverse", "identity", "log"));

  private ModelRules() {}

  static void check(
      ModelType type,
      Map<String, Object> params,
      List<String> numeric,
      Map<String, Bucketing> bucketize,
      List<String> problems) {
    if (type == ModelType.MULTILAYER_PERCEPTRON) {
      // Writing the bundle fails: mleap-spark 0.16's perceptron op calls
      // MultilayerPerceptronClassificationModel.layers(), which Spark 3 removed (NoSuchMethodError
      // in
      // ModelSerializer.write, checked on Spark 3.5.7). Serving's MLeap 0.20 could score one; 0.16
      // cannot write it.
      problems.add(
          "model.type: multilayer_perceptron cannot be exported: mleap-spark 0.16, the only MLeap"
              + " that writes bundles here, calls MultilayerPerceptronClassificationModel.layers(), which Spark 3 removed");
    }
    if (type == ModelType.NAIVE_BAYES) {
      for (int i = 0; i < numeric.size(); i++) {
        if (!bucketize.containsKey(numeric.get(i))) {
          // Spark's naive Bayes refuses a negative value when scoring too, and no scaler can
          // promise
          // that a value sent to serving is not below the training minimum; one-hot buckets can.
          problems.add(
              "features.numeric["
                  + i
                  + "]: naive_bayes needs features that can never be negative;"
                  + " bucketize '"
                  + numeric.get(i)
                  + "' under features.bucketize (or use categorical and text columns)");
        }
      }
    }
    exportable(type, params, "model.params", problems);
  }

  /**
   * Refuses parameter values Spark accepts but MLeap 0.16 cannot export; keys are {@code
   * prefix.name}.
   */
  static void exportable(
      ModelType type, Map<String, Object> params, String prefix, List<String> problems) {
    if (type == ModelType.NAIVE_BAYES) {
      Object modelType = params.get("modelType");
      if (modelType != null && !NAIVE_BAYES_TYPES.contains(String.valueOf(modelType))) {
        problems.add(
            prefix
                + ".modelType: '"
                + modelType
                + "' cannot be exported here (MLeap 0.16 scores"
                + " multinomial naive Bayes only)");
      }
    }
    if (type == ModelType.GENERALIZED_LINEAR_REGRESSION) {
      String family =
          String.valueOf(params.getOrDefault("family", "gaussian")).toLowerCase(Locale.ROOT);
      Set<String> links = GLR_LINKS.get(family);
      if (links == null) {
        problems.add(
            prefix
                + ".family: '"
                + family
                + "' cannot be exported here (MLeap 0.16 knows "
                + String.join(", ", GLR_LINKS.keySet().stream().sorted().toList())
                + ")");
      } else if (params.containsKey("link")
          && !links.contains(String.valueOf(params.get("link")))) {
        problems.add(
            prefix
                + ".link: '"
                + params.get("link")
                + "' does not go with family "
                + family
                + " (allowed: "
                + String.join(", ", links.stream().sorted().toList())
                + ")");
      }
    }
  }
}
