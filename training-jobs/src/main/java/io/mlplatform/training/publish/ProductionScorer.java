package io.mlplatform.training.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.Scaling;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Task;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import io.mlplatform.training.evaluate.Metrics;
import io.mlplatform.training.pipeline.MissingValues;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Scores a stored version on a new run's held-out rows, so the promotion gate compares two models
 * on the same rows. The stored version's Spark-native model is loaded and fed exactly as serving
 * feeds its bundle: its own manifest's fill values for nulls, its own class order for the label.
 */
final class ProductionScorer {

  /** The stored version cannot be measured on these rows; the message says why. */
  static final class NotComparableException extends RuntimeException {
    NotComparableException(String message) {
      super(message);
    }
  }

  private ProductionScorer() {}

  /**
   * @param heldOut the new run's held-out rows: raw feature columns, the label column ({@code
   *     label}) as the run read it (text for classifiers) and the run's indexed label; a training
   *     run passes them cached, so scoring them does not redo the split
   */
  static Map<String, Double> score(
      ModelStore store, String model, int version, Task task, String label, Dataset<Row> heldOut) {
    Manifest manifest = store.manifest(model, version);
    if (manifest.task() != task) {
      throw new NotComparableException(
          "production v"
              + version
              + " is a "
              + name(manifest.task())
              + " model and"
              + " this run trained a "
              + name(task)
              + " one");
    }
    if (!PipelineFactory.PREDICTION.equals(manifest.outputs().predictionColumn())) {
      throw new NotComparableException(
          "production v"
              + version
              + " predicts into '"
              + manifest.outputs().predictionColumn()
              + "', not '"
              + PipelineFactory.PREDICTION
              + "'");
    }
    Set<String> columns = Set.of(heldOut.columns());
    List<String> missing =
        manifest.inputs().stream().map(InputField::name).filter(c -> !columns.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new NotComparableException(
          "production v"
              + version
              + " needs column(s) "
              + missing
              + " that this run's data does not have");
    }

    Dataset<Row> rows = MissingValues.apply(heldOut, features(manifest), fills(manifest));
    if (task.isClassification()) {
      rows = rows.withColumn(PipelineFactory.LABEL, labelIndex(label, manifest.outputs().labels()));
    }
    PipelineModel production = load(store, manifest);
    // The stored model's own output columns replace whatever the new run's pipeline added.
    Dataset<Row> input =
        rows.drop(
            PipelineFactory.PREDICTION,
            PipelineFactory.PROBABILITY,
            PipelineFactory.RAW_PREDICTION);
    // Scored once into the cache: the metrics read the predictions several times.
    Dataset<Row> scored = production.transform(input).cache();
    try {
      return Metrics.evaluate(task, scored);
    } finally {
      scored.unpersist();
    }
  }

  /** The stored version's Spark-native model; a version without one cannot be compared. */
  private static PipelineModel load(ModelStore store, Manifest manifest) {
    String uri;
    try {
      uri = store.sparkModelUri(manifest);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.IO) {
        throw e;
      }
      throw new NotComparableException("production " + e.getMessage());
    }
    return PipelineModel.load(uri);
  }

  /**
   * The index production's classes give a label; a class it never knew gets one it never predicts.
   */
  private static Column labelIndex(String label, List<String> classes) {
    Column index = lit((double) classes.size());
    for (int i = classes.size() - 1; i >= 0; i--) {
      index =
          when(col(label).cast(DataTypes.StringType).equalTo(classes.get(i)), (double) i)
              .otherwise(index);
    }
    return index;
  }

  private static ModelSpec.Features features(Manifest manifest) {
    List<String> numeric =
        manifest.inputs().stream()
            .filter(f -> f.type() == FieldType.DOUBLE)
            .map(InputField::name)
            .toList();
    // Categorical and text inputs are both filled with their manifest value; nothing else differs
    // here.
    List<String> strings =
        manifest.inputs().stream()
            .filter(f -> f.type() == FieldType.STRING)
            .map(InputField::name)
            .toList();
    return new ModelSpec.Features(numeric, strings, Scaling.NONE);
  }

  private static Map<String, Object> fills(Manifest manifest) {
    Map<String, Object> fills = new HashMap<>();
    manifest.inputs().forEach(f -> fills.put(f.name(), f.fill()));
    return fills;
  }

  private static String name(Task task) {
    return task.name().toLowerCase(java.util.Locale.ROOT);
  }
}
