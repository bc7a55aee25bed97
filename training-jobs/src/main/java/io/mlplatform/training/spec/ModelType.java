package io.mlplatform.training.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.DecisionTreeClassifier;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.regression.DecisionTreeRegressor;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;

/** Estimators a spec may name under {@code model.type}, each with the key users write. */
public enum ModelType {
  LOGISTIC_REGRESSION(true),
  DECISION_TREE_CLASSIFIER(true),
  RANDOM_FOREST_CLASSIFIER(true),
  GBT_CLASSIFIER(true),
  LINEAR_REGRESSION(false),
  DECISION_TREE_REGRESSOR(false),
  RANDOM_FOREST_REGRESSOR(false),
  GBT_REGRESSOR(false);

  private final boolean classifier;

  ModelType(boolean classifier) {
    this.classifier = classifier;
  }

  public boolean isClassifier() {
    return classifier;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ModelType> fromKey(String key) {
    return Arrays.stream(values()).filter(t -> t.key().equals(key)).findFirst();
  }

  /** A fresh, unconfigured estimator; creating one needs no SparkSession. */
  public Predictor<?, ?, ?> newEstimator() {
    return switch (this) {
      case LOGISTIC_REGRESSION -> new LogisticRegression();
      case DECISION_TREE_CLASSIFIER -> new DecisionTreeClassifier();
      case RANDOM_FOREST_CLASSIFIER -> new RandomForestClassifier();
      case GBT_CLASSIFIER -> new GBTClassifier();
      case LINEAR_REGRESSION -> new LinearRegression();
      case DECISION_TREE_REGRESSOR -> new DecisionTreeRegressor();
      case RANDOM_FOREST_REGRESSOR -> new RandomForestRegressor();
      case GBT_REGRESSOR -> new GBTRegressor();
    };
  }
}
