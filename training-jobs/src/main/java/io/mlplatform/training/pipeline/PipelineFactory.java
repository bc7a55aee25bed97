package io.mlplatform.training.pipeline;

import io.mlplatform.spec.Bucketing;
import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.Scaling;
import io.mlplatform.spec.TextFeatures;
import io.mlplatform.spec.TextVectorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.Classifier;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.QuantileDiscretizer;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;

/**
 * Builds the exported pipeline from a spec: a pure function, no data needed. Its inputs are exactly
 * the spec's feature columns (after {@link MissingValues}); the label is indexed outside it, so
 * serving never needs the label column.
 *
 * <p>Internal column names encode where a vector slot comes from ({@code __ohe_I}: categorical
 * column I, {@code __bucket_ohe_I}: bucketized column I, {@code __tfidf_J}: text column J), which
 * {@code FeatureNames} reads back for the report.
 */
public final class PipelineFactory {

  public static final String LABEL = "__label";
  public static final String FEATURES = "__features";

  /** The assembled vector before scaling; it keeps the slot names Spark's attributes give. */
  public static final String ASSEMBLED = "__assembled";

  public static final String PREDICTION = "prediction";
  public static final String PROBABILITY = "probability";
  public static final String RAW_PREDICTION = "rawPrediction";

  /** Tokens are runs of letters and digits; everything else separates them. */
  static final String TOKEN_GAPS = "[^\\p{L}\\p{N}]+";

  private PipelineFactory() {}

  public static Pipeline build(ModelSpec spec) {
    List<PipelineStage> stages = new ArrayList<>();
    ModelSpec.Features features = spec.features();
    List<String> assembled = new ArrayList<>();
    for (String column : features.numeric()) {
      if (!features.bucketize().containsKey(column)) {
        assembled.add(column);
      }
    }

    List<String> toEncode = new ArrayList<>();
    List<String> encoded = new ArrayList<>();
    List<String> categorical = features.categorical();
    for (int i = 0; i < categorical.size(); i++) {
      // One indexer per column: MLeap 0.16 writes single-column StringIndexers only.
      // keep: a category never seen in training gets its own index instead of failing the request.
      stages.add(
          new StringIndexer()
              .setInputCol(categorical.get(i))
              .setOutputCol("__idx_" + i)
              .setHandleInvalid("keep")
              .setStringOrderType("alphabetAsc"));
      toEncode.add("__idx_" + i);
      encoded.add("__ohe_" + i);
    }
    int b = 0;
    for (Map.Entry<String, Bucketing> entry : features.bucketize().entrySet()) {
      stages.add(bucketizer(entry.getKey(), entry.getValue(), "__bucket_" + b));
      toEncode.add("__bucket_" + b);
      encoded.add("__bucket_ohe_" + b);
      b++;
    }
    if (!toEncode.isEmpty()) {
      stages.add(
          new OneHotEncoder()
              .setInputCols(toEncode.toArray(String[]::new))
              .setOutputCols(encoded.toArray(String[]::new)));
      assembled.addAll(encoded);
    }

    TextFeatures text = features.text();
    for (int j = 0; j < text.columns().size(); j++) {
      stages.add(
          new RegexTokenizer()
              .setInputCol(text.columns().get(j))
              .setOutputCol("__tokens_" + j)
              .setPattern(TOKEN_GAPS)
              .setGaps(true)
              .setToLowercase(true)
              .setMinTokenLength(1));
      stages.add(
          text.vectorizer() == TextVectorizer.HASHING
              ? new HashingTF()
                  .setInputCol("__tokens_" + j)
                  .setOutputCol("__tf_" + j)
                  .setNumFeatures(text.size())
              : new CountVectorizer()
                  .setInputCol("__tokens_" + j)
                  .setOutputCol("__tf_" + j)
                  .setVocabSize(text.size()));
      stages.add(new IDF().setInputCol("__tf_" + j).setOutputCol("__tfidf_" + j));
      assembled.add("__tfidf_" + j);
    }

    String vector = features.scaling() == Scaling.NONE ? FEATURES : ASSEMBLED;
    stages.add(
        new VectorAssembler().setInputCols(assembled.toArray(String[]::new)).setOutputCol(vector));
    switch (features.scaling()) {
      case STANDARD ->
          stages.add(
              new StandardScaler()
                  .setInputCol(vector)
                  .setOutputCol(FEATURES)
                  .setWithMean(false)
                  .setWithStd(true));
      // Spark's own: (x - min) / (max - min) of the training split; a column constant there gives
      // 0.5.
      case MIN_MAX -> stages.add(new MinMaxScaler().setInputCol(vector).setOutputCol(FEATURES));
      case NONE -> {}
    }

    stages.add(estimator(spec));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  /** The estimator, the pipeline's last stage, for tuning grids and layer sizes. */
  public static Predictor<?, ?, ?> estimatorOf(Pipeline pipeline) {
    PipelineStage[] stages = pipeline.getStages();
    return (Predictor<?, ?, ?>) stages[stages.length - 1];
  }

  private static PipelineStage bucketizer(String column, Bucketing bucketing, String output) {
    if (bucketing.isQuantile()) {
      // Fitted on the training split into a plain Bucketizer whose outer splits are -/+Infinity.
      return new QuantileDiscretizer()
          .setInputCol(column)
          .setOutputCol(output)
          .setNumBuckets(bucketing.quantiles());
    }
    double[] splits = new double[bucketing.splits().size() + 2];
    splits[0] = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < bucketing.splits().size(); i++) {
      splits[i + 1] = bucketing.splits().get(i);
    }
    splits[splits.length - 1] = Double.POSITIVE_INFINITY;
    return new Bucketizer().setInputCol(column).setOutputCol(output).setSplits(splits);
  }

  private static Predictor<?, ?, ?> estimator(ModelSpec spec) {
    Predictor<?, ?, ?> estimator = Estimators.newEstimator(spec.model().type());
    List<String> problems =
        Estimators.apply(estimator, spec.model().type(), spec.model().params(), "model.params");
    if (!problems.isEmpty()) {
      // SpecLoader already applied the same params; reaching this is a bug, not a user error.
      throw new IllegalStateException("spec params no longer apply: " + problems);
    }
    estimator.set(estimator.labelCol(), LABEL);
    estimator.set(estimator.featuresCol(), FEATURES);
    estimator.set(estimator.predictionCol(), PREDICTION);
    if (estimator instanceof Classifier<?, ?, ?> classifier) {
      classifier.set(classifier.rawPredictionCol(), RAW_PREDICTION);
    }
    if (estimator instanceof ProbabilisticClassifier<?, ?, ?> classifier) {
      classifier.set(classifier.probabilityCol(), PROBABILITY);
    }
    return estimator;
  }
}
