package io.mlplatform.training.pipeline;

import io.mlplatform.training.spec.EstimatorParams;
import io.mlplatform.training.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;

/**
 * Builds the exported pipeline from a spec: a pure function, no data needed. Its inputs are exactly
 * the spec's feature columns (after {@link MissingValues}); the label is indexed outside it, so
 * serving never needs the label column.
 */
public final class PipelineFactory {

  public static final String LABEL = "__label";
  public static final String FEATURES = "__features";
  public static final String PREDICTION = "prediction";
  public static final String PROBABILITY = "probability";
  public static final String RAW_PREDICTION = "rawPrediction";

  private PipelineFactory() {}

  public static Pipeline build(ModelSpec spec) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>(spec.features().numeric());

    List<String> categorical = spec.features().categorical();
    if (!categorical.isEmpty()) {
      String[] indexed = new String[categorical.size()];
      String[] encoded = new String[categorical.size()];
      for (int i = 0; i < categorical.size(); i++) {
        indexed[i] = "__idx_" + i;
        encoded[i] = "__ohe_" + i;
        // One indexer per column: MLeap 0.16 writes single-column StringIndexers only.
        // keep: a category never seen in training gets its own index instead of failing the request.
        stages.add(new StringIndexer().setInputCol(categorical.get(i)).setOutputCol(indexed[i])
            .setHandleInvalid("keep").setStringOrderType("alphabetAsc"));
      }
      stages.add(new OneHotEncoder().setInputCols(indexed).setOutputCols(encoded));
      assembled.addAll(List.of(encoded));
    }

    String vector = spec.features().scaling() == io.mlplatform.training.spec.Scaling.NONE ? FEATURES : "__assembled";
    stages.add(new VectorAssembler().setInputCols(assembled.toArray(String[]::new)).setOutputCol(vector));
    switch (spec.features().scaling()) {
      case STANDARD -> stages.add(new StandardScaler().setInputCol(vector).setOutputCol(FEATURES)
          .setWithMean(false).setWithStd(true));
      case MIN_MAX -> stages.add(new MinMaxScaler().setInputCol(vector).setOutputCol(FEATURES));
      case NONE -> { }
    }

    stages.add(estimator(spec));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  private static Predictor<?, ?, ?> estimator(ModelSpec spec) {
    Predictor<?, ?, ?> estimator = spec.model().type().newEstimator();
    List<String> problems = EstimatorParams.apply(estimator, spec.model().params(), "model.params");
    if (!problems.isEmpty()) {
      // SpecLoader already applied the same params; reaching this is a bug, not a user error.
      throw new IllegalStateException("spec params no longer apply: " + problems);
    }
    estimator.set(estimator.labelCol(), LABEL);
    estimator.set(estimator.featuresCol(), FEATURES);
    estimator.set(estimator.predictionCol(), PREDICTION);
    if (estimator instanceof ProbabilisticClassifier<?, ?, ?> classifier) {
      classifier.set(classifier.probabilityCol(), PROBABILITY);
      classifier.set(classifier.rawPredictionCol(), RAW_PREDICTION);
    }
    return estimator;
  }
}
