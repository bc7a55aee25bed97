package io.mlplatform.training.tuning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.ModelType;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.Tuning;
import io.mlplatform.store.format.Task;
import io.mlplatform.training.pipeline.Estimators;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits the spec's pipeline on the (filled) training split: directly, or by searching the tuning
 * grid with CrossValidator or TrainValidationSplit. Either way the result is a plain {@link
 * PipelineModel} (a tuning wrapper is never exported) and a record of how it was chosen.
 */
public final class ModelFitter {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param training what goes into the manifest's {@code training}: method, candidates, chosen
   *     params
   */
  public record Fitted(PipelineModel model, ObjectNode training) {}

  private ModelFitter() {}

  public static Fitted fit(
      ModelSpec spec, Task task, int classes, Dataset<Row> train, Consumer<String> progress) {
    Pipeline pipeline = PipelineFactory.build(spec);
    Predictor<?, ?, ?> estimator = PipelineFactory.estimatorOf(pipeline);
    ObjectNode training = JSON.createObjectNode();
    Tuning tuning = spec.tuning();
    if (tuning == null) {
      training.put("method", "none");
      training.set("params", JSON.valueToTree(explicitParams(estimator)));
      return new Fitted(pipeline.fit(train), training);
    }
    if (tuning.metric().binaryOnly() && task != Task.BINARY_CLASSIFICATION) {
      throw new SpecException(
          spec.name(),
          List.of(
              "tuning.metric: "
                  + tuning.metric().key()
                  + " needs two classes; '"
                  + spec.target()
                  + "' has "
                  + classes));
    }
    ParamMap[] candidates = candidates(estimator, spec.model().type(), tuning.grid());
    progress.accept(
        "tuning "
            + candidates.length
            + " candidates with "
            + tuning.method().name().toLowerCase(Locale.ROOT)
            + (tuning.method() == Tuning.Method.CROSS_VALIDATION
                ? " (" + tuning.folds() + " folds)"
                : "")
            + " by "
            + tuning.metric().key()
            + ", parallelism "
            + tuning.parallelism());
    TuningEvaluator evaluator =
        TuningEvaluator.of(tuning.metric(), spec.model().type().hasProbability());
    PipelineModel best;
    double[] scores;
    if (tuning.method() == Tuning.Method.CROSS_VALIDATION) {
      CrossValidatorModel cv =
          new CrossValidator()
              .setEstimator(pipeline)
              .setEstimatorParamMaps(candidates)
              .setEvaluator(evaluator.evaluator())
              .setNumFolds(tuning.folds())
              .setParallelism(tuning.parallelism())
              .setSeed(spec.split().seed())
              .fit(train);
      best = (PipelineModel) cv.bestModel();
      scores = cv.avgMetrics(); // mean over the folds
    } else {
      TrainValidationSplitModel tvs =
          new TrainValidationSplit()
              .setEstimator(pipeline)
              .setEstimatorParamMaps(candidates)
              .setEvaluator(evaluator.evaluator())
              .setTrainRatio(tuning.trainRatio())
              .setParallelism(tuning.parallelism())
              .setSeed(spec.split().seed())
              .fit(train);
      best = (PipelineModel) tvs.bestModel();
      scores = tvs.validationMetrics();
    }
    int chosen = bestIndex(scores, evaluator.largerIsBetter());
    List<String> order = List.copyOf(tuning.grid().keySet());
    record(training, tuning, evaluator, candidates, scores, chosen, order);
    Map<String, Object> params = explicitParams(estimator);
    params.putAll(values(candidates[chosen], order));
    training.set("params", JSON.valueToTree(params));
    progress.accept(
        "best candidate "
            + values(candidates[chosen], order)
            + ": "
            + tuning.metric().key()
            + " "
            + scores[chosen]);
    return new Fitted(best, training);
  }

  private static void record(
      ObjectNode training,
      Tuning tuning,
      TuningEvaluator evaluator,
      ParamMap[] candidates,
      double[] scores,
      int chosen,
      List<String> order) {
    training.put("method", tuning.method().name().toLowerCase(Locale.ROOT));
    if (tuning.method() == Tuning.Method.CROSS_VALIDATION) {
      training.put("folds", tuning.folds());
    } else {
      training.put("train_ratio", tuning.trainRatio());
    }
    training.put("parallelism", tuning.parallelism());
    training.put("metric", tuning.metric().key());
    training.put("larger_is_better", evaluator.largerIsBetter());
    ArrayNode list = training.putArray("candidates");
    for (int i = 0; i < candidates.length; i++) {
      ObjectNode candidate = list.addObject();
      candidate.set("params", JSON.valueToTree(values(candidates[i], order)));
      candidate.put("score", scores[i]);
    }
    training.put("chosen", chosen);
    training.put("best_score", scores[chosen]);
  }

  static int bestIndex(double[] scores, boolean largerIsBetter) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      // Ties keep the earlier candidate, as Spark's own tuning models do.
      if (largerIsBetter ? scores[i] > scores[best] : scores[i] < scores[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Every combination of the grid's values, in spec order (the last parameter varies fastest). */
  static ParamMap[] candidates(
      Predictor<?, ?, ?> estimator, ModelType type, Map<String, List<Object>> grid) {
    List<ParamMap> maps = new ArrayList<>();
    maps.add(new ParamMap());
    for (Map.Entry<String, List<Object>> entry : grid.entrySet()) {
      @SuppressWarnings("unchecked")
      Param<Object> param = (Param<Object>) estimator.getParam(entry.getKey());
      List<ParamMap> next = new ArrayList<>();
      for (ParamMap base : maps) {
        for (Object value : entry.getValue()) {
          next.add(base.copy().put(param, typed(type, entry.getKey(), value)));
        }
      }
      maps = next;
    }
    return maps.toArray(ParamMap[]::new);
  }

  /** The value converted as model.params are, read back from a scratch estimator. */
  private static Object typed(ModelType type, String name, Object value) {
    Params scratch = Estimators.newEstimator(type);
    List<String> problems = Estimators.apply(scratch, type, Map.of(name, value), "tuning.grid");
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "grid value no longer applies: " + problems); // SpecLoader checked it
    }
    return scratch.getOrDefault(scratch.getParam(name));
  }

  /** A candidate's values, by name in the grid's order (a ParamMap has no order of its own). */
  private static Map<String, Object> values(ParamMap map, List<String> order) {
    Map<String, Object> byName = new LinkedHashMap<>();
    for (var pair : map.toList()) {
      byName.put(pair.param().name(), pair.value());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    order.stream().filter(byName::containsKey).forEach(name -> values.put(name, byName.get(name)));
    return values;
  }

  /** Parameters the spec or the platform set on the estimator, not Spark's defaults or columns. */
  private static Map<String, Object> explicitParams(Predictor<?, ?, ?> estimator) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Param<?> param : estimator.params()) {
      if (estimator.isSet(param) && !param.name().endsWith("Col")) {
        values.put(param.name(), estimator.getOrDefault(param));
      }
    }
    return values;
  }
}
