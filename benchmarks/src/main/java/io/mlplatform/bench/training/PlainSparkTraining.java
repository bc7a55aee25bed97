package io.mlplatform.bench.training;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The baseline of scripts/bench-training: what a user would write by hand with Spark MLlib for the
 * pipeline that benchmarks/conf/bench-gbt.yaml describes (same stages, parameters and seeds, the
 * same label indexing and split), timed per phase. No export, no checks, no store.
 *
 * <p>{@code PlainSparkTraining DATA_CSV OUT_JSON}
 */
public final class PlainSparkTraining {

  static final List<String> NUMERIC =
      List.of("age", "income", "tenure", "visits", "spend", "score");
  static final List<String> CATEGORICAL = List.of("channel", "region", "product");
  static final long SEED = 42;

  private PlainSparkTraining() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: PlainSparkTraining DATA_CSV OUT_JSON");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("bench-plain-spark").getOrCreate();
    Map<String, Double> phases = new LinkedHashMap<>();
    try {
      long t = System.nanoTime();
      Dataset<Row> raw =
          spark.read().option("header", "true").option("inferSchema", "true").csv(args[0]).cache();
      long rows = raw.count();
      t = lap(phases, "load", t);

      Dataset<Row> labeled =
          new StringIndexer()
              .setInputCol("churn")
              .setOutputCol("label")
              .setStringOrderType("alphabetAsc")
              .fit(raw)
              .transform(raw);
      for (String c : NUMERIC) {
        labeled = labeled.withColumn(c, col(c).cast(DataTypes.DoubleType));
      }
      Dataset<Row>[] split = labeled.randomSplit(new double[] {0.8, 0.2}, SEED);
      long trainRows = split[0].count();
      long testRows = split[1].count();
      t = lap(phases, "split", t);

      PipelineModel model = pipeline().fit(split[0]);
      t = lap(phases, "fit", t);

      Dataset<Row> scored = model.transform(split[1]).cache();
      double accuracy =
          new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
      double auc = new BinaryClassificationEvaluator().evaluate(scored);
      lap(phases, "evaluate", t);

      Map<String, Object> result = new LinkedHashMap<>();
      result.put("rows", rows);
      result.put("trainRows", trainRows);
      result.put("testRows", testRows);
      result.put("accuracy", accuracy);
      result.put("areaUnderROC", auc);
      result.put("phases", phases);
      result.put("totalSeconds", phases.values().stream().mapToDouble(Double::doubleValue).sum());
      new ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(Path.of(args[1]).toFile(), result);
      System.out.println("plain Spark: " + result);
    } finally {
      spark.stop();
    }
  }

  /**
   * The platform's stage order: indexers (keep), one-hot, assembler (numeric first), scaler, GBT.
   */
  static Pipeline pipeline() {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> indexed = new ArrayList<>();
    List<String> encoded = new ArrayList<>();
    for (int i = 0; i < CATEGORICAL.size(); i++) {
      stages.add(
          new StringIndexer()
              .setInputCol(CATEGORICAL.get(i))
              .setOutputCol("idx_" + i)
              .setHandleInvalid("keep")
              .setStringOrderType("alphabetAsc"));
      indexed.add("idx_" + i);
      encoded.add("ohe_" + i);
    }
    stages.add(
        new OneHotEncoder()
            .setInputCols(indexed.toArray(String[]::new))
            .setOutputCols(encoded.toArray(String[]::new)));
    List<String> assembled = new ArrayList<>(NUMERIC);
    assembled.addAll(encoded);
    stages.add(
        new VectorAssembler()
            .setInputCols(assembled.toArray(String[]::new))
            .setOutputCol("assembled"));
    stages.add(
        new StandardScaler()
            .setInputCol("assembled")
            .setOutputCol("features")
            .setWithMean(false)
            .setWithStd(true));
    stages.add(
        new GBTClassifier()
            .setLabelCol("label")
            .setFeaturesCol("features")
            .setMaxIter(20)
            .setMaxDepth(5)
            .setSeed(SEED));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  private static long lap(Map<String, Double> phases, String phase, long since) {
    long now = System.nanoTime();
    phases.put(phase, (now - since) / 1e9);
    return now;
  }
}
