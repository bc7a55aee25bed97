package io.mlplatform.training.pipeline;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.mlplatform.spec.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The missing-value rule shared by training and serving. MLeap here has no Imputer, so nulls are
 * replaced before the pipeline: a numeric null by the training split's mean, a categorical null by
 * {@link #MISSING_CATEGORY}, a text null by the empty text (no tokens). The values go into the
 * manifest and serving applies the same ones.
 */
public final class MissingValues {

  /**
   * Becomes a category of its own when training data has nulls, else falls in the unseen bucket.
   */
  public static final String MISSING_CATEGORY = "__missing__";

  /** A missing text has no words, exactly like an empty one. */
  public static final String MISSING_TEXT = "";

  private MissingValues() {}

  /** Learns fill values from the training split only, so the test split stays unseen. */
  public static Map<String, Object> learn(Dataset<Row> train, ModelSpec.Features features) {
    Map<String, Object> fills = new LinkedHashMap<>();
    List<String> numeric = features.numeric();
    if (!numeric.isEmpty()) {
      Column[] means =
          numeric.stream().map(c -> avg(col(c).cast(DataTypes.DoubleType))).toArray(Column[]::new);
      Row row = train.agg(means[0], java.util.Arrays.copyOfRange(means, 1, means.length)).first();
      for (int i = 0; i < numeric.size(); i++) {
        // A column that is null on every training row has no mean; 0 is as good as any constant.
        fills.put(numeric.get(i), row.isNullAt(i) ? 0.0 : row.getDouble(i));
      }
    }
    for (String column : features.categorical()) {
      fills.put(column, MISSING_CATEGORY);
    }
    for (String column : features.text().columns()) {
      fills.put(column, MISSING_TEXT);
    }
    return fills;
  }

  /** Casts numeric features to double and fills nulls, leaving other columns untouched. */
  public static Dataset<Row> apply(
      Dataset<Row> data, ModelSpec.Features features, Map<String, Object> fills) {
    Dataset<Row> out = data;
    for (String column : features.numeric()) {
      out =
          out.withColumn(
              column, coalesce(col(column).cast(DataTypes.DoubleType), lit(fills.get(column))));
    }
    for (String column : features.categorical()) {
      out = out.withColumn(column, coalesce(col(column), lit(fills.get(column))));
    }
    for (String column : features.text().columns()) {
      out = out.withColumn(column, coalesce(col(column), lit(fills.get(column))));
    }
    return out;
  }
}
