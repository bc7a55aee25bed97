package io.mlplatform.training.pipeline;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.MinMaxScalerModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Min-max scaling, {@code (x - min) / (max - min)} with min and max of the training split, fitted
 * into a {@link StandardScalerModel} (mean = min, std = max - min) rather than a MinMaxScalerModel.
 *
 * <p>Why: MLeap 0.16's MinMaxScalerModel subtracts with a Breeze 1 operator that Spark 3.5's
 * Breeze 2 no longer has, so the export check (which runs MLeap 0.16 on the training classpath)
 * could not score such a bundle; MLeap's StandardScalerModel is plain array arithmetic. A column
 * that is constant in training (max = min) keeps std 1, so it becomes {@code x - min}: 0 for the
 * training value, never a division by zero.
 */
public final class MinMaxScaling extends Estimator<StandardScalerModel> {

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final String inputCol;
  private final String outputCol;

  public MinMaxScaling(String inputCol, String outputCol) {
    this(Identifiable.randomUID("minMaxScaling"), inputCol, outputCol);
  }

  private MinMaxScaling(String uid, String inputCol, String outputCol) {
    this.uid = uid;
    this.inputCol = inputCol;
    this.outputCol = outputCol;
  }

  @Override
  public StandardScalerModel fit(Dataset<?> dataset) {
    MinMaxScalerModel range = new MinMaxScaler().setInputCol(inputCol).setOutputCol(outputCol).fit(dataset);
    double[] min = range.originalMin().toArray();
    double[] max = range.originalMax().toArray();
    double[] span = new double[min.length];
    for (int i = 0; i < span.length; i++) {
      span[i] = max[i] > min[i] ? max[i] - min[i] : 1.0;
    }
    StandardScalerModel model = new StandardScalerModel(uid, Vectors.dense(span), Vectors.dense(min))
        .setInputCol(inputCol).setOutputCol(outputCol);
    model.set(model.withMean(), true);
    model.set(model.withStd(), true);
    return model.setParent(this);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return new MinMaxScaler().setInputCol(inputCol).setOutputCol(outputCol).transformSchema(schema);
  }

  @Override
  public MinMaxScaling copy(ParamMap extra) {
    return new MinMaxScaling(uid, inputCol, outputCol);
  }

  @Override
  public String uid() {
    return uid;
  }
}
