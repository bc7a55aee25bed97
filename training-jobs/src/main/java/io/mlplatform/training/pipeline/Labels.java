package io.mlplatform.training.pipeline;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns the label column into {@link PipelineFactory#LABEL}. Classes are indexed in alphabetical
 * order, so a class keeps its index across retrains on data with other class frequencies.
 *
 * @param classes class names by index; empty for regression
 */
public record Labels(Dataset<Row> data, List<String> classes) {

  public static Labels forClassification(Dataset<Row> data, String column) {
    Dataset<Row> asText = data.withColumn(column, col(column).cast(DataTypes.StringType));
    StringIndexerModel indexer =
        new StringIndexer()
            .setInputCol(column)
            .setOutputCol(PipelineFactory.LABEL)
            .setStringOrderType("alphabetAsc")
            .fit(asText);
    return new Labels(indexer.transform(asText), List.of(indexer.labelsArray()[0]));
  }

  public static Labels forRegression(Dataset<Row> data, String column) {
    return new Labels(
        data.withColumn(PipelineFactory.LABEL, col(column).cast(DataTypes.DoubleType)), List.of());
  }
}
