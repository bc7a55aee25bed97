package io.mlplatform.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Metrics a tuning run can rank candidates by, named as in the manifest's metrics. */
public enum TuningMetric {
  ACCURACY(true, false, "accuracy", true),
  F1_WEIGHTED(true, false, "f1", true),
  PRECISION_WEIGHTED(true, false, "weightedPrecision", true),
  RECALL_WEIGHTED(true, false, "weightedRecall", true),
  LOG_LOSS(true, false, "logLoss", false),
  AUC_ROC(true, true, "areaUnderROC", true),
  AUC_PR(true, true, "areaUnderPR", true),
  RMSE(false, false, "rmse", false),
  MAE(false, false, "mae", false),
  R2(false, false, "r2", true);

  private final boolean classification;
  private final boolean binaryOnly;
  private final String sparkName;
  private final boolean largerIsBetter;

  TuningMetric(
      boolean classification, boolean binaryOnly, String sparkName, boolean largerIsBetter) {
    this.classification = classification;
    this.binaryOnly = binaryOnly;
    this.sparkName = sparkName;
    this.largerIsBetter = largerIsBetter;
  }

  public boolean forClassification() {
    return classification;
  }

  public boolean binaryOnly() {
    return binaryOnly;
  }

  /** The metric name of Spark's evaluator. */
  public String sparkName() {
    return sparkName;
  }

  public boolean largerIsBetter() {
    return largerIsBetter;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TuningMetric> fromKey(String key) {
    return Arrays.stream(values()).filter(m -> m.key().equals(key)).findFirst();
  }
}
