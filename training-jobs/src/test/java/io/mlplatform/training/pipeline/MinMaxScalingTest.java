package io.mlplatform.training.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mlplatform.training.SparkTest;
import java.util.List;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The exportable min-max scaling gives what Spark's MinMaxScaler gives, except on constant columns. */
class MinMaxScalingTest extends SparkTest {

  @Test
  void scalesLikeSparksMinMaxScalerAndNeverDividesByZero() {
    Dataset<Row> data = spark.createDataFrame(List.of(
        RowFactory.create(Vectors.dense(1, -5, 7)),
        RowFactory.create(Vectors.dense(3, 15, 7)),
        RowFactory.create(Vectors.sparse(3, new int[] {0}, new double[] {2}))), new StructType().add("v", SQLDataTypes.VectorType()));

    StandardScalerModel ours = new MinMaxScaling("v", "scaled").fit(data);
    List<Row> expected = new MinMaxScaler().setInputCol("v").setOutputCol("scaled").fit(data).transform(data)
        .select("scaled").collectAsList();
    List<Row> actual = ours.transform(data).select("scaled").collectAsList();

    assertThat(ours.getWithMean()).isTrue();
    assertThat(ours.getWithStd()).isTrue();
    for (int i = 0; i < actual.size(); i++) {
      Vector a = actual.get(i).getAs(0);
      Vector e = expected.get(i).getAs(0);
      assertThat(a.apply(0)).isCloseTo(e.apply(0), within(1e-12));
      assertThat(a.apply(1)).isCloseTo(e.apply(1), within(1e-12));
    }
    // Column 2 is 7, 7, 0: min 0, max 7, so it scales too; a truly constant column keeps its spread at 1.
    assertThat(((Vector) actual.get(0).getAs(0)).apply(2)).isCloseTo(1.0, within(1e-12));
    StandardScalerModel constant = new MinMaxScaling("v", "scaled").fit(data.limit(1));
    assertThat(constant.std().toArray()).containsExactly(1.0, 1.0, 1.0);
    assertThat(((Vector) constant.transform(data).select("scaled").first().getAs(0)).toArray())
        .containsExactly(0.0, 0.0, 0.0);
  }
}
