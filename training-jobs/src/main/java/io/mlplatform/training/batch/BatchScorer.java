package io.mlplatform.training.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import io.mlplatform.spec.SpecException;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Scores a data set with a stored version the way the service does: the manifest's fill values
 * replace nulls, then the version's Spark-native model runs. The output keeps every input column as
 * it was and adds {@link #OUTPUTS}.
 */
public final class BatchScorer {

  public static final List<String> OUTPUTS =
      List.of("prediction", "label", "probability", "model_name", "model_version");

  private BatchScorer() {}

  public static Dataset<Row> score(Dataset<Row> input, Manifest manifest, Transformer model) {
    List<String> columns = Arrays.asList(input.columns());
    List<String> problems = new ArrayList<>();
    for (InputField field : manifest.inputs()) {
      if (!columns.contains(field.name())) {
        problems.add(
            "input column '"
                + field.name()
                + "' is missing (the model needs: "
                + manifest.inputs().stream().map(InputField::name).toList()
                + ")");
      }
    }
    for (String output : OUTPUTS) {
      if (columns.contains(output)) {
        problems.add(
            "input already has a column '" + output + "', which the output would overwrite");
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException("batch input", problems);
    }

    // Originals are parked under private names so the output carries the rows exactly as read.
    Dataset<Row> prepared = input;
    for (int i = 0; i < columns.size(); i++) {
      prepared = prepared.withColumn("__in_" + i, col(quoted(columns.get(i))));
    }
    for (InputField field : manifest.inputs()) {
      Column value =
          field.type() == io.mlplatform.store.format.FieldType.DOUBLE
              ? col(quoted(field.name())).cast(DataTypes.DoubleType)
              : col(quoted(field.name())).cast(DataTypes.StringType);
      prepared =
          prepared.withColumn(
              field.name(),
              field.fill() == null
                  ? value
                  : org.apache.spark.sql.functions.coalesce(value, lit(field.fill())));
    }
    Dataset<Row> scored = model.transform(prepared);

    List<Column> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      out.add(col("__in_" + i).as(columns.get(i)));
    }
    String prediction = manifest.outputs().predictionColumn();
    out.add(col(prediction).as("prediction"));
    List<String> labels = manifest.outputs().labels();
    out.add(
        labels.isEmpty()
            ? lit(null).cast(DataTypes.StringType).as("label")
            : element_at(
                    lit(labels.toArray(String[]::new)),
                    col(prediction).cast(DataTypes.IntegerType).plus(1))
                .as("label"));
    String probability = manifest.outputs().probabilityColumn();
    out.add(
        probability == null
            ? lit(null).cast(DataTypes.createArrayType(DataTypes.DoubleType)).as("probability")
            : functions.vector_to_array(col(probability), "float64").as("probability"));
    out.add(lit(manifest.model()).as("model_name"));
    out.add(lit(manifest.version()).as("model_version"));
    return scored.select(out.toArray(Column[]::new));
  }

  /** Backticks make Spark take a name literally (spaces and parentheses are fine, dots are not). */
  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
