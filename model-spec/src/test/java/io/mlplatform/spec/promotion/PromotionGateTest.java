package io.mlplatform.spec.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.spec.promotion.PromotionGate.Decision;
import io.mlplatform.spec.promotion.PromotionGate.Rules;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromotionGateTest {

  private static final Rules ACCURACY = Rules.of("accuracy", null, 0.9, null, 0.005);

  private static Decision decide(Rules rules, double candidate, Double production) {
    return PromotionGate.decide(
        rules,
        Map.of(rules.metric(), candidate, "f1_weighted", 0.5),
        production == null ? Optional.empty() : Optional.of(Map.of(rules.metric(), production)));
  }

  @Test
  void theFirstVersionThatMeetsTheThresholdsIsPromoted() {
    Decision decision = decide(ACCURACY, 0.95, null);

    assertThat(decision.promote()).isTrue();
    assertThat(decision.reason()).isEqualTo("accuracy 0.95 >= min 0.9; no production version yet");
  }

  @Test
  void aVersionBelowTheMinimumIsNotPromotedEvenWithoutProduction() {
    Decision decision = decide(ACCURACY, 0.85, null);

    assertThat(decision.promote()).isFalse();
    assertThat(decision.reason()).isEqualTo("accuracy 0.85 is below the minimum 0.9");
  }

  @Test
  void aVersionWorseThanProductionByMoreThanAllowedIsNotPromoted() {
    Decision decision = decide(ACCURACY, 0.93, 0.94);

    assertThat(decision.promote()).isFalse();
    assertThat(decision.reason())
        .isEqualTo(
            "accuracy 0.93 is 0.01 worse than production's 0.94 on the same held-out rows (allowed: 0.005)");
  }

  @Test
  void aVersionWithinTheAllowedRegressionIsPromoted() {
    Decision decision = decide(ACCURACY, 0.937, 0.94);

    assertThat(decision.promote()).isTrue();
    assertThat(decision.reason())
        .isEqualTo(
            "accuracy 0.937 >= min 0.9; accuracy 0.937 is 0.003 worse than"
                + " production's 0.94 on the same held-out rows, within the allowed 0.005");
  }

  @Test
  void aBetterOrEqualVersionIsPromoted() {
    assertThat(decide(ACCURACY, 0.97, 0.94).reason())
        .endsWith("accuracy 0.97 is better than production's 0.94 on" + " the same held-out rows");
    assertThat(decide(ACCURACY, 0.94, 0.94).reason())
        .endsWith("accuracy 0.94 equals production's 0.94 on the" + " same held-out rows");
    assertThat(decide(ACCURACY, 0.94, 0.94).promote()).isTrue();
  }

  @Test
  void lowerIsBetterForErrorMetrics() {
    Rules rmse = Rules.of("rmse", null, null, 3.0, 0.1);

    assertThat(decide(rmse, 2.5, 2.45).promote()).isTrue();
    assertThat(decide(rmse, 2.7, 2.5).reason())
        .isEqualTo(
            "rmse 2.7 is 0.2 worse than production's 2.5 on the same held-out rows (allowed: 0.1)");
    assertThat(decide(rmse, 3.5, null).reason()).isEqualTo("rmse 3.5 is above the maximum 3");
  }

  @Test
  void infiniteMaxRegressionIgnoresProduction() {
    Rules absolute = Rules.of("accuracy", null, 0.9, null, Double.POSITIVE_INFINITY);

    assertThat(decide(absolute, 0.91, 0.99).promote()).isTrue();
  }

  @Test
  void missingOrNaNMetricsAreNotPromoted() {
    Rules auc = Rules.of("auc_roc", null, 0.8, null, null);

    assertThat(
            PromotionGate.decide(auc, Map.of("accuracy", 0.9, "f1_weighted", 0.9), Optional.empty())
                .reason())
        .isEqualTo("the candidate has no auc_roc (it has [accuracy, f1_weighted])");
    assertThat(decide(ACCURACY, Double.NaN, null).reason())
        .isEqualTo("the candidate's accuracy is NaN");
    assertThat(
            PromotionGate.decide(
                ACCURACY, Map.of("accuracy", 0.95), Optional.of(Map.of("f1_weighted", 0.9))))
        .isEqualTo(
            Decision.reject("production has no accuracy measured on this run's held-out rows"));
    assertThat(decide(ACCURACY, 0.95, Double.NaN).promote()).isFalse();
  }

  @Test
  void defaultsPromoteWhenNotWorseOnTheTasksMainMetric() {
    Rules classification = Rules.defaults(true);
    Rules regression = Rules.defaults(false);

    assertThat(classification).isEqualTo(new Rules("accuracy", true, null, null, 0.0));
    assertThat(regression).isEqualTo(new Rules("rmse", false, null, null, 0.0));
    assertThat(decide(classification, 0.5, null).promote()).isTrue();
    assertThat(decide(classification, 0.94, 0.9401).promote()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "accuracy, true",
    "f1_weighted, true",
    "precision_weighted, true",
    "recall_weighted, true",
    "auc_roc, true",
    "auc_pr, true",
    "r2, true",
    "rmse, false",
    "mae, false",
    "mse, false",
    "log_loss, false",
    "AUC_ROC, true"
  })
  void knownMetricsHaveADirection(String metric, boolean higherIsBetter) {
    assertThat(PromotionGate.higherIsBetter(metric)).contains(higherIsBetter);
    assertThat(Rules.of(metric, null, null, null, null).higherIsBetter()).isEqualTo(higherIsBetter);
  }

  @Test
  void anUnknownMetricNeedsAnExplicitDirection() {
    assertThat(PromotionGate.higherIsBetter("lift")).isEmpty();
    assertThatThrownBy(() -> Rules.of("lift", null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("higherIsBetter");
    assertThat(Rules.of("lift", true, null, null, null).higherIsBetter()).isTrue();
  }

  @Test
  void rulesThatNoValueCouldPassAreRefused() {
    assertThatThrownBy(() -> Rules.of("accuracy", null, 0.9, 0.8, null))
        .hasMessageContaining("min: 0.9 is above max 0.8");
    assertThatThrownBy(() -> Rules.of("accuracy", null, null, null, -0.1))
        .hasMessageContaining("maxRegression");
    assertThatThrownBy(() -> Rules.of(" ", null, null, null, null)).hasMessageContaining("metric");
  }

  @ParameterizedTest
  @CsvSource({
    "0.9, 0.9",
    "0.98765, 0.9877",
    "0.005, 0.005",
    "0.00012345, 0.00012",
    "0, 0",
    "1234.5, 1234.5",
    "-0.01, -0.01"
  })
  void numbersInReasonsAreShort(double value, String text) {
    assertThat(PromotionGate.number(value)).isEqualTo(text);
  }
}
