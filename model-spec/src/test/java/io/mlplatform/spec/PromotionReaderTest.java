package io.mlplatform.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.spec.promotion.PromotionGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The spec's {@code promotion} section: read into the gate's rules, every problem naming its key.
 */
class PromotionReaderTest {

  private static final String SPEC =
      """
      name: demo
      data: {path: data/x.csv}
      target: y
      features: {numeric: [a, b]}
      model: {type: logistic_regression}
      """;

  @Test
  void withoutTheSectionTheTaskDefaultsApplyAtTrainingTime() {
    assertThat(SpecLoader.parse(SPEC, "test").promotion()).isNull();
  }

  @Test
  void readsTheRulesWithTheMetricsDirection() {
    ModelSpec spec =
        SpecLoader.parse(
            SPEC + "promotion: {metric: log_loss, max: 0.4, maxRegression: 0.01}\n", "t");

    assertThat(spec.promotion())
        .isEqualTo(new PromotionGate.Rules("log_loss", false, null, 0.4, 0.01));
  }

  @Test
  void theMetricDefaultsToTheTasksMainMetric() {
    assertThat(SpecLoader.parse(SPEC + "promotion: {min: 0.9}\n", "t").promotion())
        .isEqualTo(new PromotionGate.Rules("accuracy", true, 0.9, null, 0.0));
    String regression =
        SPEC.replace("logistic_regression", "linear_regression") + "promotion: {max: 3}\n";
    assertThat(SpecLoader.parse(regression, "t").promotion())
        .isEqualTo(new PromotionGate.Rules("rmse", false, null, 3.0, 0.0));
  }

  @Test
  void thePenguinsSpecHasAGate() {
    ModelSpec spec =
        SpecLoader.load(java.nio.file.Path.of("..", "conf", "models", "penguins.yaml"));

    assertThat(spec.promotion())
        .isEqualTo(new PromotionGate.Rules("accuracy", true, 0.9, null, 0.005));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      unknown key            | promotion: {metric: accuracy, minimum: 0.9}     | promotion.minimum: unknown key (allowed: max, maxRegression, metric, min)
      unknown metric         | promotion: {metric: auc}                        | promotion.metric: unknown metric 'auc' (known: accuracy,
      metric of the wrong task | promotion: {metric: rmse}                     | promotion.metric: rmse is not computed for logistic_regression
      not a number           | promotion: {min: high}                          | promotion.min: must be a number, got 'high'
      negative regression    | promotion: {maxRegression: -0.1}               | promotion.maxRegression: must be >= 0, got -0.1
      min above max          | promotion: {min: 0.9, max: 0.8}                 | promotion.min: 0.9 is above max 0.8
      not a mapping          | promotion: accuracy                             | promotion: must be a mapping
      """)
  void namesTheKeyOfEachProblem(String what, String section, String expected) {
    assertThatThrownBy(() -> SpecLoader.parse(SPEC + section + "\n", "test"))
        .isInstanceOf(SpecException.class)
        .satisfies(
            e ->
                assertThat(((SpecException) e).problems())
                    .as(what)
                    .anyMatch(p -> p.startsWith(expected)));
  }
}
