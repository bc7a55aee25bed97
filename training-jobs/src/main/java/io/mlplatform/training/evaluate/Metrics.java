package io.mlplatform.training.evaluate;

import io.mlplatform.store.Task;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Held-out metrics, computed with Spark's own evaluators so the numbers are Spark's. */
public final class Metrics {

  private Metrics() {}

  public static Map<String, Double> evaluate(Task task, Dataset<Row> predictions) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (task.isClassification()) {
      MulticlassClassificationEvaluator multi = new MulticlassClassificationEvaluator()
          .setLabelCol(PipelineFactory.LABEL).setPredictionCol(PipelineFactory.PREDICTION);
      metrics.put("accuracy", multi.setMetricName("accuracy").evaluate(predictions));
      metrics.put("f1_weighted", multi.setMetricName("f1").evaluate(predictions));
      metrics.put("precision_weighted", multi.setMetricName("weightedPrecision").evaluate(predictions));
      metrics.put("recall_weighted", multi.setMetricName("weightedRecall").evaluate(predictions));
      if (task == Task.BINARY_CLASSIFICATION && hasColumn(predictions, PipelineFactory.RAW_PREDICTION)) {
        BinaryClassificationEvaluator binary = new BinaryClassificationEvaluator()
            .setLabelCol(PipelineFactory.LABEL).setRawPredictionCol(PipelineFactory.RAW_PREDICTION);
        metrics.put("auc_roc", binary.setMetricName("areaUnderROC").evaluate(predictions));
        metrics.put("auc_pr", binary.setMetricName("areaUnderPR").evaluate(predictions));
      }
    } else {
      RegressionEvaluator regression = new RegressionEvaluator()
          .setLabelCol(PipelineFactory.LABEL).setPredictionCol(PipelineFactory.PREDICTION);
      metrics.put("rmse", regression.setMetricName("rmse").evaluate(predictions));
      metrics.put("mae", regression.setMetricName("mae").evaluate(predictions));
      metrics.put("r2", regression.setMetricName("r2").evaluate(predictions));
    }
    return metrics;
  }

  private static boolean hasColumn(Dataset<Row> data, String column) {
    return java.util.Arrays.asList(data.columns()).contains(column);
  }
}
