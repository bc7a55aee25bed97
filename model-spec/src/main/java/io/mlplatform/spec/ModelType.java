package io.mlplatform.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Estimators a spec may name under {@code model.type}, each with the key users write. Their
 * parameters are data ({@link EstimatorParams}); the Spark estimator of each lives in
 * training-jobs.
 */
public enum ModelType {
  LOGISTIC_REGRESSION(true),
  DECISION_TREE_CLASSIFIER(true),
  RANDOM_FOREST_CLASSIFIER(true),
  GBT_CLASSIFIER(true),
  /** Two classes only; no probabilities, a margin (rawPrediction) instead. */
  LINEAR_SVC(true),
  /** Multinomial; every feature must be non-negative (see ModelRules). */
  NAIVE_BAYES(true),
  /** Refused by the spec check: mleap-spark 0.16 cannot export it from Spark 3 (see ModelRules). */
  MULTILAYER_PERCEPTRON(true),
  LINEAR_REGRESSION(false),
  GENERALIZED_LINEAR_REGRESSION(false),
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

  /** Whether the exported model has a probability column (every classifier but linear_svc). */
  public boolean hasProbability() {
    return classifier && this != LINEAR_SVC;
  }

  /** Whether only two classes are supported. */
  public boolean binaryOnly() {
    return this == GBT_CLASSIFIER || this == LINEAR_SVC;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ModelType> fromKey(String key) {
    return Arrays.stream(values()).filter(t -> t.key().equals(key)).findFirst();
  }
}
