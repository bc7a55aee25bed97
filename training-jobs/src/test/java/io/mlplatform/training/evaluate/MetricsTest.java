package io.mlplatform.training.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mlplatform.store.format.Task;
import io.mlplatform.training.SparkTest;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The project's numbers equal Spark's own evaluators on the same predictions, and the tables
 * (confusion matrix, per-class scores, curves) agree with both Spark and a count by hand.
 */
class MetricsTest extends SparkTest {

  private static final double EXACT = 1e-12;
  private static final StructType CLASSIFIED =
      new StructType()
          .add(PipelineFactory.LABEL, DataTypes.DoubleType)
          .add(PipelineFactory.PREDICTION, DataTypes.DoubleType)
          .add(PipelineFactory.PROBABILITY, SQLDataTypes.VectorType())
          .add(PipelineFactory.RAW_PREDICTION, SQLDataTypes.VectorType());

  /**
   * Noisy but better-than-chance predictions of {@code classes} classes, of which the last never
   * occurs.
   */
  private static Dataset<Row> classified(int classes, int rows, long seed) {
    Random random = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = random.nextInt(Math.max(2, classes - 1));
      double[] p = new double[classes];
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        p[k] = random.nextDouble() + (k == label ? 0.8 : 0);
        sum += p[k];
      }
      int best = 0;
      for (int k = 0; k < classes; k++) {
        p[k] /= sum;
        best = p[k] > p[best] ? k : best;
      }
      double[] raw = new double[classes];
      for (int k = 0; k < classes; k++) {
        raw[k] = Math.log(p[k]);
      }
      out.add(
          RowFactory.create((double) label, (double) best, Vectors.dense(p), Vectors.dense(raw)));
    }
    return spark.createDataFrame(out, CLASSIFIED);
  }

  private static MulticlassClassificationEvaluator multi(String metric) {
    return new MulticlassClassificationEvaluator()
        .setLabelCol(PipelineFactory.LABEL)
        .setPredictionCol(PipelineFactory.PREDICTION)
        .setProbabilityCol(PipelineFactory.PROBABILITY)
        .setMetricName(metric);
  }

  @Test
  void binaryMetricsAreSparksAndMatchACountByHand() {
    Dataset<Row> predictions = classified(2, 120, 1);
    Evaluation evaluation =
        Evaluation.of(Task.BINARY_CLASSIFICATION, List.of("a", "b"), predictions, List.of());
    Map<String, Double> m = evaluation.metrics();

    assertThat(m)
        .containsOnlyKeys(
            "accuracy",
            "f1_weighted",
            "precision_weighted",
            "recall_weighted",
            "log_loss",
            "precision",
            "recall",
            "f1",
            "auc_roc",
            "auc_pr");
    assertThat(m.get("accuracy")).isCloseTo(multi("accuracy").evaluate(predictions), within(EXACT));
    assertThat(m.get("f1_weighted")).isCloseTo(multi("f1").evaluate(predictions), within(EXACT));
    assertThat(m.get("log_loss")).isCloseTo(multi("logLoss").evaluate(predictions), within(EXACT));
    assertThat(m.get("precision"))
        .isCloseTo(
            multi("precisionByLabel").setMetricLabel(1).evaluate(predictions), within(EXACT));
    assertThat(m.get("recall"))
        .isCloseTo(multi("recallByLabel").setMetricLabel(1).evaluate(predictions), within(EXACT));
    assertThat(m.get("f1"))
        .isCloseTo(multi("fMeasureByLabel").setMetricLabel(1).evaluate(predictions), within(EXACT));
    BinaryClassificationEvaluator auc =
        new BinaryClassificationEvaluator()
            .setLabelCol(PipelineFactory.LABEL)
            .setRawPredictionCol(PipelineFactory.PROBABILITY);
    assertThat(m.get("auc_roc"))
        .isCloseTo(auc.setMetricName("areaUnderROC").evaluate(predictions), within(EXACT));
    assertThat(m.get("auc_pr"))
        .isCloseTo(auc.setMetricName("areaUnderPR").evaluate(predictions), within(EXACT));

    // By hand, from the collected rows.
    long[][] counts = new long[2][2];
    double logLoss = 0;
    List<Row> rows = predictions.collectAsList();
    for (Row row : rows) {
      counts[(int) row.getDouble(0)][(int) row.getDouble(1)]++;
      logLoss -=
          Math.log(((org.apache.spark.ml.linalg.Vector) row.get(2)).apply((int) row.getDouble(0)));
    }
    assertThat(evaluation.confusion()).isDeepEqualTo(counts);
    double precision = (double) counts[1][1] / (counts[1][1] + counts[0][1]);
    double recall = (double) counts[1][1] / (counts[1][1] + counts[1][0]);
    assertThat(m.get("precision")).isCloseTo(precision, within(EXACT));
    assertThat(m.get("recall")).isCloseTo(recall, within(EXACT));
    assertThat(m.get("f1")).isCloseTo(2 * precision * recall / (precision + recall), within(EXACT));
    assertThat(m.get("log_loss")).isCloseTo(logLoss / rows.size(), within(1e-9));
    assertThat(m.get("accuracy"))
        .isCloseTo((double) (counts[0][0] + counts[1][1]) / rows.size(), within(EXACT));

    // The plotted curves are the ones the areas come from.
    assertThat(trapezoid(evaluation.roc())).isCloseTo(m.get("auc_roc"), within(EXACT));
    assertThat(evaluation.roc().get(0)).containsExactly(0.0, 0.0);
    assertThat(evaluation.roc().get(evaluation.roc().size() - 1)).containsExactly(1.0, 1.0);
    assertThat(evaluation.pr()).isNotEmpty();
  }

  @Test
  void withoutProbabilitiesTheMarginRanksRowsAsSparksDefaultEvaluatorDoes() {
    Dataset<Row> predictions = classified(2, 80, 2).drop(PipelineFactory.PROBABILITY);
    Evaluation evaluation =
        Evaluation.of(Task.BINARY_CLASSIFICATION, List.of("a", "b"), predictions, List.of());

    assertThat(evaluation.metrics()).doesNotContainKey("log_loss");
    assertThat(evaluation.metrics().get("auc_roc"))
        .isCloseTo(
            new BinaryClassificationEvaluator()
                .setLabelCol(PipelineFactory.LABEL)
                .setRawPredictionCol(PipelineFactory.RAW_PREDICTION)
                .evaluate(predictions),
            within(EXACT));
  }

  @Test
  void multiclassTablesAreSparksWithEveryClassInLabelOrder() {
    Dataset<Row> predictions = classified(4, 150, 3); // class "d" never occurs in this split
    List<String> classes = List.of("a", "b", "c", "d");
    Evaluation evaluation =
        Evaluation.of(Task.MULTICLASS_CLASSIFICATION, classes, predictions, List.of());

    assertThat(evaluation.metrics()).doesNotContainKeys("auc_roc", "precision");
    assertThat(evaluation.metrics().get("precision_weighted"))
        .isCloseTo(multi("weightedPrecision").evaluate(predictions), within(EXACT));
    assertThat(evaluation.perClass())
        .extracting(Evaluation.ClassScores::label)
        .containsExactlyElementsOf(classes);
    for (int k = 0; k < 3; k++) {
      Evaluation.ClassScores scores = evaluation.perClass().get(k);
      assertThat(scores.precision())
          .as("precision of %s", k)
          .isCloseTo(
              multi("precisionByLabel").setMetricLabel(k).evaluate(predictions), within(EXACT));
      assertThat(scores.recall())
          .isCloseTo(multi("recallByLabel").setMetricLabel(k).evaluate(predictions), within(EXACT));
      assertThat(scores.f1())
          .isCloseTo(
              multi("fMeasureByLabel").setMetricLabel(k).evaluate(predictions), within(EXACT));
      assertThat(scores.support())
          .isEqualTo(predictions.filter(PipelineFactory.LABEL + " = " + k).count());
    }
    assertThat(evaluation.perClass().get(3))
        .isEqualTo(new Evaluation.ClassScores("d", null, null, null, 0));

    // Spark's own confusion matrix, for the labels it saw, is the top-left corner of ours.
    var pairs =
        predictions
            .select(PipelineFactory.PREDICTION, PipelineFactory.LABEL)
            .javaRDD()
            .map(r -> new scala.Tuple2<Object, Object>(r.getDouble(0), r.getDouble(1)));
    org.apache.spark.mllib.linalg.Matrix spark =
        new MulticlassMetrics(pairs.rdd()).confusionMatrix();
    for (int r = 0; r < spark.numRows(); r++) {
      for (int c = 0; c < spark.numCols(); c++) {
        assertThat((double) evaluation.confusion()[r][c]).isEqualTo(spark.apply(r, c));
      }
    }
    assertThat(evaluation.details())
        .containsKeys("confusion_matrix", "per_class", "labels")
        .doesNotContainKey("roc_curve");
  }

  @Test
  void regressionMetricsAreSparksAndTheResidualsArePlotted() {
    Random random = new Random(4);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      double actual = 100 * random.nextDouble();
      rows.add(RowFactory.create(actual, actual + random.nextGaussian() * 5));
    }
    Dataset<Row> predictions =
        spark.createDataFrame(
            rows,
            new StructType()
                .add(PipelineFactory.LABEL, DataTypes.DoubleType)
                .add(PipelineFactory.PREDICTION, DataTypes.DoubleType));

    Evaluation evaluation = Evaluation.of(Task.REGRESSION, List.of(), predictions, List.of());

    RegressionEvaluator spark =
        new RegressionEvaluator()
            .setLabelCol(PipelineFactory.LABEL)
            .setPredictionCol(PipelineFactory.PREDICTION);
    for (String metric : List.of("rmse", "mae", "r2")) {
      assertThat(evaluation.metrics().get(metric))
          .as(metric)
          .isCloseTo(spark.setMetricName(metric).evaluate(predictions), within(EXACT));
    }
    double squares =
        rows.stream().mapToDouble(r -> Math.pow(r.getDouble(0) - r.getDouble(1), 2)).sum();
    assertThat(evaluation.metrics().get("rmse"))
        .isCloseTo(Math.sqrt(squares / rows.size()), within(1e-9));
    assertThat(evaluation.residuals()).hasSize(90);
    assertThat(evaluation.details()).containsOnlyKeys("metrics");
  }

  private static double trapezoid(List<double[]> points) {
    double area = 0;
    for (int i = 1; i < points.size(); i++) {
      area +=
          (points.get(i)[0] - points.get(i - 1)[0]) * (points.get(i)[1] + points.get(i - 1)[1]) / 2;
    }
    return area;
  }
}
