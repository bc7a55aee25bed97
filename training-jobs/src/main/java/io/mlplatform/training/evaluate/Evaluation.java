package io.mlplatform.training.evaluate;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.store.format.Task;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The held-out evaluation in full: the scalar {@link Metrics}, plus the tables and curves of {@code
 * metrics.json} and the report, all computed by Spark (MulticlassMetrics,
 * BinaryClassificationMetrics) on the same predictions.
 *
 * @param confusion rows are actual classes, columns predicted ones, both in {@code classes} order
 * @param roc (false positive rate, true positive rate) points of a binary task, else empty
 * @param pr (recall, precision) points of a binary task, else empty
 * @param residuals (prediction, actual) of up to {@link #MAX_POINTS} rows of a regression, else
 *     empty
 * @param importances tree models' feature importances by vector slot, largest first, else empty
 */
public record Evaluation(
    Task task,
    List<String> classes,
    Map<String, Double> metrics,
    long[][] confusion,
    List<ClassScores> perClass,
    List<double[]> roc,
    List<double[]> pr,
    List<double[]> residuals,
    List<Importance> importances) {

  static final int MAX_POINTS = 2000;

  /**
   * Scores of one class; precision, recall and f1 are null when the class is absent from the test
   * split.
   */
  public record ClassScores(
      String label, Double precision, Double recall, Double f1, long support) {}

  /**
   * @param feature a readable slot name, @param column the input column it comes from
   */
  public record Importance(String feature, String column, double importance) {}

  /** Evaluates a fitted pipeline's predictions, with the feature importances of a tree model. */
  public static Evaluation of(
      Task task, List<String> classes, Dataset<Row> scored, PipelineModel model, ModelSpec spec) {
    return of(task, classes, scored, importances(model, scored, spec));
  }

  /**
   * Reads {@code scored} several times (Spark's metric objects, the confusion matrix): the caller
   * caches it when it is expensive to compute, and releases it.
   *
   * @param importances by vector slot (any order), or empty
   */
  public static Evaluation of(
      Task task, List<String> classes, Dataset<Row> scored, List<Importance> importances) {
    try (Metrics.Computed computed = Metrics.compute(task, scored)) {
      long[][] confusion = new long[0][];
      List<ClassScores> perClass = List.of();
      List<double[]> roc = List.of();
      List<double[]> pr = List.of();
      List<double[]> residuals = List.of();
      if (task.isClassification()) {
        confusion = confusion(scored, classes.size());
        perClass = perClass(computed.multiclass(), classes, confusion);
        if (computed.binary() != null) {
          roc = points(computed.binary().roc().toJavaRDD());
          pr = points(computed.binary().pr().toJavaRDD());
        }
      } else {
        residuals =
            scored
                .select(PipelineFactory.PREDICTION, PipelineFactory.LABEL)
                .limit(MAX_POINTS)
                .collectAsList()
                .stream()
                .map(r -> new double[] {r.getDouble(0), r.getDouble(1)})
                .toList();
      }
      List<Importance> sorted =
          importances.stream()
              .sorted(Comparator.comparingDouble(Importance::importance).reversed())
              .toList();
      return new Evaluation(
          task,
          List.copyOf(classes),
          computed.metrics(),
          confusion,
          perClass,
          roc,
          pr,
          residuals,
          sorted);
    }
  }

  /** Everything {@code metrics.json} holds besides the split sizes. */
  public Map<String, Object> details() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("metrics", metrics);
    if (task.isClassification()) {
      out.put("labels", classes);
      if (task == Task.BINARY_CLASSIFICATION) {
        out.put("positive_class", classes.get((int) Metrics.POSITIVE));
      }
      Map<String, Object> matrix = new LinkedHashMap<>();
      matrix.put("labels", classes);
      matrix.put("rows", "actual");
      matrix.put("columns", "predicted");
      matrix.put("matrix", confusion);
      out.put("confusion_matrix", matrix);
      out.put("per_class", perClass);
      if (!roc.isEmpty()) {
        out.put(
            "roc_curve",
            Map.of("x", "false_positive_rate", "y", "true_positive_rate", "points", roc));
        out.put("pr_curve", Map.of("x", "recall", "y", "precision", "points", pr));
      }
    }
    if (!importances.isEmpty()) {
      out.put("feature_importances", importances);
      out.put("feature_importances_by_column", importanceByColumn());
    }
    return out;
  }

  /**
   * Importances summed per input column (one-hot slots of a category, terms of a text), largest
   * first.
   */
  public List<Importance> importanceByColumn() {
    Map<String, Double> sums = new LinkedHashMap<>();
    for (Importance importance : importances) {
      sums.merge(importance.column(), importance.importance(), Double::sum);
    }
    return sums.entrySet().stream()
        .map(e -> new Importance(e.getKey(), e.getKey(), e.getValue()))
        .sorted(Comparator.comparingDouble(Importance::importance).reversed())
        .toList();
  }

  static long[][] confusion(Dataset<Row> predictions, int classes) {
    long[][] matrix = new long[classes][classes];
    for (Row row :
        predictions
            .groupBy(PipelineFactory.LABEL, PipelineFactory.PREDICTION)
            .count()
            .collectAsList()) {
      matrix[(int) row.getDouble(0)][(int) row.getDouble(1)] = row.getLong(2);
    }
    return matrix;
  }

  private static List<ClassScores> perClass(
      MulticlassMetrics spark, List<String> classes, long[][] confusion) {
    List<ClassScores> scores = new ArrayList<>();
    for (int k = 0; k < classes.size(); k++) {
      long support = java.util.Arrays.stream(confusion[k]).sum();
      // Spark knows the classes that occur as labels; one absent from the test split has no recall.
      if (support > 0) {
        scores.add(
            new ClassScores(
                classes.get(k), spark.precision(k), spark.recall(k), spark.fMeasure(k), support));
      } else {
        scores.add(new ClassScores(classes.get(k), null, null, null, support));
      }
    }
    return scores;
  }

  private static List<double[]> points(JavaRDD<Tuple2<Object, Object>> curve) {
    return curve.collect().stream()
        .map(t -> new double[] {(Double) t._1(), (Double) t._2()})
        .toList();
  }

  /** A tree model's feature importances with readable slot names; empty for other models. */
  static List<Importance> importances(PipelineModel model, Dataset<Row> scored, ModelSpec spec) {
    Transformer last = model.stages()[model.stages().length - 1];
    Vector vector;
    if (last instanceof DecisionTreeClassificationModel m) {
      vector = m.featureImportances();
    } else if (last instanceof RandomForestClassificationModel m) {
      vector = m.featureImportances();
    } else if (last instanceof GBTClassificationModel m) {
      vector = m.featureImportances();
    } else if (last instanceof DecisionTreeRegressionModel m) {
      vector = m.featureImportances();
    } else if (last instanceof RandomForestRegressionModel m) {
      vector = m.featureImportances();
    } else if (last instanceof GBTRegressionModel m) {
      vector = m.featureImportances();
    } else {
      return List.of();
    }
    FeatureNames names = FeatureNames.of(scored.schema(), model, spec);
    List<Importance> importances = new ArrayList<>();
    double[] values = vector.toArray();
    for (int i = 0; i < values.length; i++) {
      String slot = i < names.slots().size() ? names.slots().get(i) : "feature " + i;
      String column = i < names.columns().size() ? names.columns().get(i) : slot;
      importances.add(new Importance(slot, column, values[i]));
    }
    return importances;
  }
}
