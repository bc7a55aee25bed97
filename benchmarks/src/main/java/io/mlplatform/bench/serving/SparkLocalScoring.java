package io.mlplatform.bench.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The baseline a user gets without MLeap: the same version's Spark-native model, one row scored
 * with {@code PipelineModel.transform} and collected, in local mode, in this process.
 *
 * <p>{@code SparkLocalScoring SPARK_MODEL_URI INSTANCE_JSON ITERATIONS WARMUP OUT_JSON}
 */
public final class SparkLocalScoring {

  private SparkLocalScoring() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: SparkLocalScoring SPARK_MODEL_URI INSTANCE_JSON ITERATIONS WARMUP OUT_JSON");
      System.exit(2);
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode instance = json.readTree(args[1]);
    int iterations = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    SparkSession spark =
        SparkSession.builder()
            .appName("bench-spark-local")
            .master("local[*]")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      Transformer model = PipelineModel.load(args[0]);
      Dataset<Row> row = oneRow(spark, instance);
      Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
      for (int i = 0; i < warmup + iterations; i++) {
        long start = System.nanoTime();
        List<Row> scored = model.transform(row).select("prediction").collectAsList();
        long took = (System.nanoTime() - start) / 1000;
        if (scored.size() != 1) {
          throw new IllegalStateException("expected one scored row, got " + scored.size());
        }
        if (i >= warmup) {
          micros.recordValue(took);
        }
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("label", "spark-local transform+collect, 1 row");
      result.put("iterations", iterations);
      result.put("p50Micros", micros.getValueAtPercentile(50));
      result.put("p99Micros", micros.getValueAtPercentile(99));
      result.put("meanMicros", micros.getMean());
      json.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[4]).toFile(), result);
      System.out.printf(
          "spark local: %d iterations, p50 %d us, p99 %d us%n",
          iterations, micros.getValueAtPercentile(50), micros.getValueAtPercentile(99));
    } finally {
      spark.stop();
    }
  }

  /** Numbers become doubles and text strings, as the manifest's input types do. */
  static Dataset<Row> oneRow(SparkSession spark, JsonNode instance) {
    List<StructField> fields = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = instance.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      boolean number = field.getValue().isNumber();
      fields.add(
          DataTypes.createStructField(
              field.getKey(), number ? DataTypes.DoubleType : DataTypes.StringType, true));
      values.add(number ? (Object) field.getValue().doubleValue() : field.getValue().asText());
    }
    StructType schema = DataTypes.createStructType(fields);
    return spark.createDataFrame(List.of(RowFactory.create(values.toArray())), schema);
  }
}
