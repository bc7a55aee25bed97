package io.mlplatform.training.evaluate;

import io.mlplatform.store.format.Task;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Held-out metrics as single numbers (the manifest's {@code metrics}), computed with Spark's own
 * evaluators so the numbers are Spark's. Tables (confusion matrix, per-class scores) are in {@link
 * Evaluation}.
 */
public final class Metrics {

  /** The positive class of a binary task: index 1, the second class name in alphabetical order. */
  public static final double POSITIVE = 1.0;

  private Metrics() {}

  public static Map<String, Double> evaluate(Task task, Dataset<Row> predictions) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (task.isClassification()) {
      MulticlassClassificationEvaluator multi =
          new MulticlassClassificationEvaluator()
              .setLabelCol(PipelineFactory.LABEL)
              .setPredictionCol(PipelineFactory.PREDICTION)
              .setProbabilityCol(PipelineFactory.PROBABILITY);
      metrics.put("accuracy", multi.setMetricName("accuracy").evaluate(predictions));
      metrics.put("f1_weighted", multi.setMetricName("f1").evaluate(predictions));
      metrics.put(
          "precision_weighted", multi.setMetricName("weightedPrecision").evaluate(predictions));
      metrics.put("recall_weighted", multi.setMetricName("weightedRecall").evaluate(predictions));
      if (hasColumn(predictions, PipelineFactory.PROBABILITY)) {
        metrics.put("log_loss", multi.setMetricName("logLoss").evaluate(predictions));
      }
      if (task == Task.BINARY_CLASSIFICATION) {
        multi.setMetricLabel(POSITIVE);
        metrics.put("precision", multi.setMetricName("precisionByLabel").evaluate(predictions));
        metrics.put("recall", multi.setMetricName("recallByLabel").evaluate(predictions));
        metrics.put("f1", multi.setMetricName("fMeasureByLabel").evaluate(predictions));
        String score = scoreColumn(predictions);
        if (score != null) {
          BinaryClassificationEvaluator binary =
              new BinaryClassificationEvaluator()
                  .setLabelCol(PipelineFactory.LABEL)
                  .setRawPredictionCol(score);
          metrics.put("auc_roc", binary.setMetricName("areaUnderROC").evaluate(predictions));
          metrics.put("auc_pr", binary.setMetricName("areaUnderPR").evaluate(predictions));
        }
      }
    } else {
      RegressionEvaluator regression =
          new RegressionEvaluator()
              .setLabelCol(PipelineFactory.LABEL)
              .setPredictionCol(PipelineFactory.PREDICTION);
      metrics.put("rmse", regression.setMetricName("rmse").evaluate(predictions));
      metrics.put("mae", regression.setMetricName("mae").evaluate(predictions));
      metrics.put("r2", regression.setMetricName("r2").evaluate(predictions));
    }
    return metrics;
  }

  /**
   * The column whose element 1 ranks rows for ROC and PR: the probability where the model has one
   * (for naive Bayes or a perceptron, rawPrediction[1] alone does not order rows by P(positive)),
   * else the margin (linear SVC). Null when the predictions have neither.
   */
  public static String scoreColumn(Dataset<Row> predictions) {
    if (hasColumn(predictions, PipelineFactory.PROBABILITY)) {
      return PipelineFactory.PROBABILITY;
    }
    return hasColumn(predictions, PipelineFactory.RAW_PREDICTION)
        ? PipelineFactory.RAW_PREDICTION
        : null;
  }

  private static boolean hasColumn(Dataset<Row> data, String column) {
    return java.util.Arrays.asList(data.columns()).contains(column);
  }
}
