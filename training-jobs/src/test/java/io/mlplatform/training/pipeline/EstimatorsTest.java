package io.mlplatform.training.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.spec.EstimatorParams;
import io.mlplatform.spec.ModelType;
import io.mlplatform.spec.ParamKind;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.SpecLoader;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** model-spec's parameter data against Spark's estimators, so the two cannot drift apart. */
class EstimatorsTest {

  private static final String SPEC =
      """
      name: demo
      data: {path: x.csv}
      target: y
      features: {numeric: [a]}
      model: {type: logistic_regression, params: {maxIter: 20}}
      tuning: {method: cross_validation, folds: 2, grid: {elasticNetParam: [0.0, 0.5]}}
      """;

  @ParameterizedTest
  @EnumSource(ModelType.class)
  void theSpecsParametersAreExactlyTheEstimatorsWithTheSameKinds(ModelType type) {
    Params estimator = Estimators.newEstimator(type);
    Map<String, ParamKind> spark = new TreeMap<>();
    Arrays.stream(estimator.params())
        .filter(p -> !EstimatorParams.RESERVED.contains(p.name()))
        .forEach(p -> spark.put(p.name(), kind(p, EstimatorParams.of(type).get(p.name()))));

    assertThat(EstimatorParams.of(type))
        .as("estimator-params.yaml for " + type.key())
        .containsExactlyInAnyOrderEntriesOf(spark);
    assertThat(EstimatorParams.estimator(type)).isEqualTo(estimator.getClass().getSimpleName());
  }

  /**
   * Spark's param class to a kind; a generic Param holds a string, a matrix or a vector, as the
   * data says.
   */
  private static ParamKind kind(Param<?> param, ParamKind declared) {
    if (param instanceof IntParam) {
      return ParamKind.INT;
    } else if (param instanceof LongParam) {
      return ParamKind.LONG;
    } else if (param instanceof DoubleParam) {
      return ParamKind.DOUBLE;
    } else if (param instanceof BooleanParam) {
      return ParamKind.BOOLEAN;
    } else if (param instanceof IntArrayParam) {
      return ParamKind.INT_ARRAY;
    } else if (param instanceof DoubleArrayParam) {
      return ParamKind.DOUBLE_ARRAY;
    } else if (param.getClass() == Param.class) {
      boolean generic =
          declared == ParamKind.STRING
              || declared == ParamKind.MATRIX
              || declared == ParamKind.VECTOR;
      return generic ? declared : ParamKind.STRING;
    }
    return null; // a param class model-spec has no kind for: the comparison fails and names it
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      out-of-range param       | maxIter: 20         | maxIter: -1            | model.params.maxIter: invalid value -1
      grid value out of range  | [0.0, 0.5]          | [0.0, 1.5]             | tuning.grid.elasticNetParam: invalid value 1.5
      unknown family           | maxIter: 20         | family: tweedie        | model.params.family: invalid value tweedie
      """)
  void sparksOwnValueChecksRunAtLoadWithTheTrainingCheck(
      String what, String from, String to, String expected) {
    String yaml = SPEC.replace(from, to);
    assertThat(SpecLoader.parse(yaml, "test"))
        .as("model-spec alone checks names and kinds only")
        .isNotNull();

    assertThatThrownBy(() -> SpecLoader.parse(yaml, "test", Estimators.CHECK))
        .isInstanceOf(SpecException.class)
        .satisfies(
            e -> assertThat(((SpecException) e).problems()).anyMatch(p -> p.startsWith(expected)));
  }

  @Test
  void appliesConvertedValuesToTheEstimator() {
    Params estimator = Estimators.newEstimator(ModelType.RANDOM_FOREST_CLASSIFIER);

    assertThat(
            Estimators.apply(
                estimator,
                ModelType.RANDOM_FOREST_CLASSIFIER,
                Map.of("numTrees", 7, "seed", 3, "impurity", "entropy"),
                "model.params"))
        .isEmpty();
    assertThat(estimator.getOrDefault(estimator.getParam("numTrees"))).isEqualTo(7);
    assertThat(estimator.getOrDefault(estimator.getParam("seed"))).isEqualTo(3L);
    assertThat(estimator.getOrDefault(estimator.getParam("impurity"))).isEqualTo("entropy");
  }
}
