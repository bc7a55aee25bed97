package io.mlplatform.training.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.spec.SpecLoader;
import io.mlplatform.training.SparkTest;
import java.util.List;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.MinMaxScalerModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@code scaling: min_max} is Spark's own MinMaxScaler (the export check runs serving's MLeap 0.20,
 * which reproduces it; {@code ExportCheckTest} proves that on a bundle), with the behaviour the
 * README states: {@code (x - min) / (max - min)} of the training split, 0.5 for a column that is
 * constant in training, whatever the value scored.
 */
class MinMaxScalingTest extends SparkTest {

  @Test
  void minMaxIsSparksMinMaxScalerBeforeTheEstimator() {
    PipelineStage[] stages =
        PipelineFactory.build(
                SpecLoader.parse(
                    """
        name: m
        data: {path: /nowhere.csv}
        target: y
        features: {numeric: [a, b], scaling: min_max}
        model: {type: linear_regression}
        """,
                    "m"))
            .getStages();

    PipelineStage scaler = stages[stages.length - 2];
    assertThat(scaler).isInstanceOf(MinMaxScaler.class);
    assertThat(((MinMaxScaler) scaler).getOutputCol()).isEqualTo(PipelineFactory.FEATURES);
  }

  @Test
  void scalesByTheTrainingRangeAndGivesAHalfForAConstantColumn() {
    StructType schema = new StructType().add("v", SQLDataTypes.VectorType());
    Dataset<Row> train =
        spark.createDataFrame(
            List.of(
                RowFactory.create(Vectors.dense(1, -5, 7)),
                RowFactory.create(Vectors.dense(3, 15, 7))),
            schema);
    Dataset<Row> scored =
        spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(2, 20, 100))), schema);

    MinMaxScalerModel model = new MinMaxScaler().setInputCol("v").setOutputCol("scaled").fit(train);
    Vector out = model.transform(scored).select("scaled").first().getAs(0);

    assertThat(out.toArray()).containsExactly(0.5, 1.25, 0.5);
  }
}
