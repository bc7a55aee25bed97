package io.mlplatform.training.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.training.pipeline.MissingValues;
import io.mlplatform.training.pipeline.PipelineFactory;
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
 * the evidence that a served bundle reproduces training. After them come a few edge cases built
 * from the first held-out row, so that every check (before publish, at serving load, end to end)
 * also covers them: each feature null in turn, each categorical column with a value training never
 * saw, each text column empty and made only of unseen words.
 */
public final class ReferenceRows {

  private ReferenceRows() {}

  /** A value no training data has; StringIndexer(keep) gives it the unseen bucket. */
  static final String UNSEEN_CATEGORY = "__never_seen_in_training__";

  /** Words of no vocabulary: tokenized, they count for nothing. */
  static final String UNSEEN_TEXT = "Zyxwv-qutsr, PONML!";

  /** Number of edge-case rows {@link #collect} adds after the held-out rows. */
  public static int edgeCaseCount(ModelSpec.Features features) {
    return features.all().size()
        + features.categorical().size()
        + 2 * features.text().columns().size();
  }

  static Dataset<Row> edgeCases(Dataset<Row> first, ModelSpec.Features features) {
    List<Dataset<Row>> cases = new ArrayList<>();
    for (String column : features.all()) {
      cases.add(first.withColumn(column, lit(null).cast(first.schema().apply(column).dataType())));
    }
    for (String column : features.categorical()) {
      cases.add(first.withColumn(column, lit(UNSEEN_CATEGORY)));
    }
    for (String column : features.text().columns()) {
      cases.add(first.withColumn(column, lit("")));
      cases.add(first.withColumn(column, lit(UNSEEN_TEXT)));
    }
    return cases.stream().reduce(Dataset::union).orElse(first.limit(0));
  }

  public static List<ReferenceRow> collect(
      PipelineModel model,
      Dataset<Row> rawHeldOut,
      ModelSpec spec,
      Map<String, Object> fills,
      int limit) {
    List<String> features = spec.features().all();
    Dataset<Row> sample =
        rawHeldOut.limit(limit).unionByName(edgeCases(rawHeldOut.limit(1), spec.features()));
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
    for (Row row :
        scored
            .select(selected.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new))
            .collectAsList()) {
      Map<String, Object> input = new LinkedHashMap<>();
      for (int i = 0; i < features.size(); i++) {
        input.put(features.get(i), row.get(i));
      }
      double prediction = row.getDouble(features.size());
      List<Double> probabilities =
          probabilistic
              ? Arrays.stream(((Vector) row.get(features.size() + 1)).toArray()).boxed().toList()
              : null;
      rows.add(new ReferenceRow(input, prediction, probabilities));
    }
    return rows;
  }
}
