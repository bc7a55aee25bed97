package io.mlplatform.training.evaluate;

import static org.apache.spark.sql.functions.col;

import io.mlplatform.store.format.Task;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import scala.Product;
import scala.Tuple3;
import scala.Tuple4;

/**
 * Held-out metrics as single numbers (the manifest's {@code metrics}), computed by Spark's own
 * metric classes, the ones its evaluators ({@code MulticlassClassificationEvaluator}, {@code
 * BinaryClassificationEvaluator}, {@code RegressionEvaluator}) wrap, so the numbers are Spark's.
 * Each evaluator call builds its metric object anew and reads the predictions again; one object per
 * kind serves every number here, which takes a classification's passes over the predictions from
 * about a dozen to four. Tables (confusion matrix, per-class scores) are in {@link Evaluation}.
 */
public final class Metrics {

  /** The positive class of a binary task: index 1, the second class name in alphabetical order. */
  public static final double POSITIVE = 1.0;

  /** Bins of BinaryClassificationEvaluator's default, so areas and curves agree with it. */
  static final int BINS = 1000;

  /** The clipping BinaryClassificationEvaluator's log loss uses by default. */
  private static final double LOG_LOSS_EPS = 1e-15;

  private Metrics() {}

  /**
   * The numbers, and Spark's metric objects they were read from, for tables and curves to reuse.
   * Closing releases what the binary metrics cached.
   *
   * @param multiclass null for regression
   * @param binary null unless a binary task has a score column
   */
  record Computed(
      Map<String, Double> metrics, MulticlassMetrics multiclass, BinaryClassificationMetrics binary)
      implements AutoCloseable {

    @Override
    public void close() {
      if (binary != null) {
        binary.unpersist();
      }
    }
  }

  /**
   * Reads {@code predictions} two to four times: cache them first when they are expensive to
   * compute.
   */
  public static Map<String, Double> evaluate(Task task, Dataset<Row> predictions) {
    try (Computed computed = compute(task, predictions)) {
      return computed.metrics();
    }
  }

  static Computed compute(Task task, Dataset<Row> predictions) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (!task.isClassification()) {
      RegressionMetrics regression =
          new RegressionMetrics(
              predictions
                  .select(
                      col(PipelineFactory.PREDICTION).cast(DataTypes.DoubleType),
                      col(PipelineFactory.LABEL).cast(DataTypes.DoubleType))
                  .javaRDD()
                  .map(r -> (Product) new Tuple3<>(r.getDouble(0), r.getDouble(1), 1.0))
                  .rdd(),
              false);
      metrics.put("rmse", regression.rootMeanSquaredError());
      metrics.put("mae", regression.meanAbsoluteError());
      metrics.put("r2", regression.r2());
      return new Computed(metrics, null, null);
    }
    boolean probabilistic = hasColumn(predictions, PipelineFactory.PROBABILITY);
    MulticlassMetrics multi = new MulticlassMetrics(multiclassInput(predictions, probabilistic));
    metrics.put("accuracy", multi.accuracy());
    metrics.put("f1_weighted", multi.weightedFMeasure());
    metrics.put("precision_weighted", multi.weightedPrecision());
    metrics.put("recall_weighted", multi.weightedRecall());
    if (probabilistic) {
      metrics.put("log_loss", multi.logLoss(LOG_LOSS_EPS));
    }
    BinaryClassificationMetrics binary = null;
    if (task == Task.BINARY_CLASSIFICATION) {
      metrics.put("precision", multi.precision(POSITIVE));
      metrics.put("recall", multi.recall(POSITIVE));
      metrics.put("f1", multi.fMeasure(POSITIVE));
      String score = scoreColumn(predictions);
      if (score != null) {
        binary = new BinaryClassificationMetrics(scoreAndLabel(predictions, score), BINS);
        metrics.put("auc_roc", binary.areaUnderROC());
        metrics.put("auc_pr", binary.areaUnderPR());
      }
    }
    return new Computed(metrics, multi, binary);
  }

  /**
   * (prediction, label, weight 1, probabilities) as MulticlassClassificationEvaluator hands them to
   * MulticlassMetrics.
   */
  private static org.apache.spark.rdd.RDD<Product> multiclassInput(
      Dataset<Row> predictions, boolean probabilistic) {
    if (probabilistic) {
      return predictions
          .select(
              col(PipelineFactory.PREDICTION),
              col(PipelineFactory.LABEL).cast(DataTypes.DoubleType),
              col(PipelineFactory.PROBABILITY))
          .javaRDD()
          .map(
              r ->
                  (Product)
                      new Tuple4<>(
                          r.getDouble(0), r.getDouble(1), 1.0, ((Vector) r.get(2)).toArray()))
          .rdd();
    }
    return predictions
        .select(
            col(PipelineFactory.PREDICTION), col(PipelineFactory.LABEL).cast(DataTypes.DoubleType))
        .javaRDD()
        .map(r -> (Product) new Tuple3<>(r.getDouble(0), r.getDouble(1), 1.0))
        .rdd();
  }

  /**
   * (element 1 of the score, label, weight 1) as BinaryClassificationEvaluator hands them to
   * BinaryClassificationMetrics.
   */
  private static org.apache.spark.rdd.RDD<Product> scoreAndLabel(
      Dataset<Row> predictions, String scoreColumn) {
    return predictions
        .select(col(scoreColumn), col(PipelineFactory.LABEL).cast(DataTypes.DoubleType))
        .javaRDD()
        .map(r -> (Product) new Tuple3<>(((Vector) r.get(0)).apply(1), r.getDouble(1), 1.0))
        .rdd();
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
