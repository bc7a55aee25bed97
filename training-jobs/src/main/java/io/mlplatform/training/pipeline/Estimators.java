package io.mlplatform.training.pipeline;

import io.mlplatform.spec.EstimatorParams;
import io.mlplatform.spec.ModelType;
import io.mlplatform.spec.ParamCheck;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.DecisionTreeClassifier;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.classification.NaiveBayes;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.regression.DecisionTreeRegressor;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;

/**
 * The Spark side of {@link ModelType}: each type's estimator, and Spark's own checks of parameter
 * values (ranges, allowed strings) on top of the names and kinds that model-spec checks without
 * Spark.
 */
public final class Estimators {

  /**
   * Spark's validators, for {@code SpecLoader.load(file, Estimators.CHECK)}: a fresh estimator per
   * value.
   */
  public static final ParamCheck CHECK =
      (type, name, value, key) -> set(newEstimator(type), name, value, key);

  private Estimators() {}

  /** A fresh, unconfigured estimator; creating one needs no SparkSession. */
  public static Predictor<?, ?, ?> newEstimator(ModelType type) {
    return switch (type) {
      case LOGISTIC_REGRESSION -> new LogisticRegression();
      case DECISION_TREE_CLASSIFIER -> new DecisionTreeClassifier();
      case RANDOM_FOREST_CLASSIFIER -> new RandomForestClassifier();
      case GBT_CLASSIFIER -> new GBTClassifier();
      case LINEAR_SVC -> new LinearSVC();
      case NAIVE_BAYES -> new NaiveBayes();
      case MULTILAYER_PERCEPTRON -> new MultilayerPerceptronClassifier();
      case LINEAR_REGRESSION -> new LinearRegression();
      case GENERALIZED_LINEAR_REGRESSION -> new GeneralizedLinearRegression();
      case DECISION_TREE_REGRESSOR -> new DecisionTreeRegressor();
      case RANDOM_FOREST_REGRESSOR -> new RandomForestRegressor();
      case GBT_REGRESSOR -> new GBTRegressor();
    };
  }

  /**
   * Sets every parameter of a spec on {@code estimator}, converted as model-spec converts them;
   * returns one problem per parameter that cannot be set, keyed {@code prefix.name}.
   */
  public static List<String> apply(
      Params estimator, ModelType type, Map<String, Object> values, String prefix) {
    return EstimatorParams.check(
        type, values, prefix, (t, name, value, key) -> set(estimator, name, value, key));
  }

  private static List<String> set(Params estimator, String name, Object value, String key) {
    Param<Object> param = uncheckedParam(estimator.getParam(name));
    try {
      estimator.set(param, value);
      return List.of();
    } catch (IllegalArgumentException | ClassCastException e) {
      return List.of(key + ": invalid value " + display(value) + " (" + describe(e) + ")");
    }
  }

  private static String display(Object value) {
    if (value instanceof double[] d) {
      return Arrays.toString(d);
    }
    return value instanceof int[] i ? Arrays.toString(i) : String.valueOf(value);
  }

  @SuppressWarnings("unchecked")
  private static Param<Object> uncheckedParam(Param<?> param) {
    return (Param<Object>) param;
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // Spark prefixes messages with the estimator's random uid, which means nothing to a user.
    return message.replaceAll("\\b[A-Za-z]+_[0-9a-f]{12}\\b\\s*", "").trim();
  }
}
