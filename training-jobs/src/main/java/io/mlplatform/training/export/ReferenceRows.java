package io.mlplatform.training.export;

import static org.apache.spark.sql.functions.col;

import io.mlplatform.store.ReferenceRow;
import io.mlplatform.training.pipeline.MissingValues;
import io.mlplatform.training.pipeline.PipelineFactory;
import io.mlplatform.training.spec.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Held-out rows as a caller would send them (raw values, nulls kept) with Spark's outputs for them:
 * the evidence that a served bundle reproduces training.
 */
public final class ReferenceRows {

  private ReferenceRows() {}

  public static List<ReferenceRow> collect(
      PipelineModel model, Dataset<Row> rawHeldOut, ModelSpec spec, Map<String, Object> fills, int limit) {
    List<String> features = spec.features().all();
    Dataset<Row> sample = rawHeldOut.limit(limit);
    // Raw copies survive the fill and the pipeline, so inputs and outputs come from one pass.
    for (int i = 0; i < features.size(); i++) {
      sample = sample.withColumn("__raw_" + i, col(features.get(i)));
    }
    Dataset<Row> scored = model.transform(MissingValues.apply(sample, spec.features(), fills));
    boolean probabilistic = Arrays.asList(scored.columns()).contains(PipelineFactory.PROBABILITY);

    List<String> selected = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      selected.add("__raw_" + i);
    }
    selected.add(PipelineFactory.PREDICTION);
    if (probabilistic) {
      selected.add(PipelineFactory.PROBABILITY);
    }
    List<ReferenceRow> rows = new ArrayList<>();
    for (Row row : scored.select(selected.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new))
        .collectAsList()) {
      Map<String, Object> input = new LinkedHashMap<>();
      for (int i = 0; i < features.size(); i++) {
        input.put(features.get(i), row.get(i));
      }
      double prediction = row.getDouble(features.size());
      List<Double> probabilities = probabilistic
          ? Arrays.stream(((Vector) row.get(features.size() + 1)).toArray()).boxed().toList()
          : null;
      rows.add(new ReferenceRow(input, prediction, probabilities));
    }
    return rows;
  }
}
