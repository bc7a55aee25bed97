package io.mlplatform.training.tuning;

import io.mlplatform.spec.TuningMetric;
import io.mlplatform.training.pipeline.PipelineFactory;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;

/** Spark's own evaluator for a tuning metric, wired to the platform's column names. */
record TuningEvaluator(Evaluator evaluator) {

  /**
   * @param probability whether the model has a probability column (AUC ranks by it, as the held-out
   *     metrics do)
   */
  static TuningEvaluator of(TuningMetric metric, boolean probability) {
    if (!metric.forClassification()) {
      return new TuningEvaluator(
          new RegressionEvaluator()
              .setLabelCol(PipelineFactory.LABEL)
              .setPredictionCol(PipelineFactory.PREDICTION)
              .setMetricName(metric.sparkName()));
    }
    if (metric.binaryOnly()) {
      return new TuningEvaluator(
          new BinaryClassificationEvaluator()
              .setLabelCol(PipelineFactory.LABEL)
              .setRawPredictionCol(
                  probability ? PipelineFactory.PROBABILITY : PipelineFactory.RAW_PREDICTION)
              .setMetricName(metric.sparkName()));
    }
    return new TuningEvaluator(
        new MulticlassClassificationEvaluator()
            .setLabelCol(PipelineFactory.LABEL)
            .setPredictionCol(PipelineFactory.PREDICTION)
            .setProbabilityCol(PipelineFactory.PROBABILITY)
            .setMetricName(metric.sparkName()));
  }

  boolean largerIsBetter() {
    return evaluator.isLargerBetter();
  }
}
