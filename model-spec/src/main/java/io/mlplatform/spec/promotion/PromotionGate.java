package io.mlplatform.spec.promotion;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides whether a newly trained version becomes production. Pure: metrics in, decision out. The
 * production version's metrics must come from the candidate's own held-out rows, so that the two
 * numbers compared measure the same thing.
 */
public final class PromotionGate {

  // Metrics computed the same way on the same rows are bit-identical; this only absorbs rounding.
  private static final double TOLERANCE = 1e-12;
  private static final List<String> HIGHER_IS_BETTER =
      List.of("accuracy", "f1", "precision", "recall", "auc", "r2");
  private static final List<String> LOWER_IS_BETTER =
      List.of("rmse", "mse", "mae", "log_loss", "logloss");

  private PromotionGate() {}

  /**
   * What a candidate must achieve.
   *
   * @param metric the held-out metric the decision rests on (accuracy, f1_weighted, auc_roc, rmse,
   *     ...)
   * @param higherIsBetter the metric's direction
   * @param min the candidate's value must be at least this; null for no floor
   * @param max the candidate's value must be at most this; null for no ceiling
   * @param maxRegression how much worse than production, on the same held-out rows, the candidate
   *     may be; 0 means "not worse", infinity means "ignore production"
   */
  public record Rules(
      String metric, boolean higherIsBetter, Double min, Double max, double maxRegression) {

    public Rules {
      if (metric == null || metric.isBlank()) {
        throw new IllegalArgumentException("metric: name the held-out metric the gate compares");
      }
      if (Double.isNaN(maxRegression) || maxRegression < 0) {
        throw new IllegalArgumentException("maxRegression: must be >= 0, got " + maxRegression);
      }
      if (min != null && max != null && min > max) {
        throw new IllegalArgumentException(
            "min: " + min + " is above max " + max + ", so no value could pass");
      }
    }

    /**
     * Rules with defaults: the direction inferred from the metric's name, and "not worse than
     * production" when {@code maxRegression} is null.
     */
    public static Rules of(
        String metric, Boolean higherIsBetter, Double min, Double max, Double maxRegression) {
      // A blank metric gets any direction here and its own error from the constructor.
      Boolean direction =
          higherIsBetter != null
              ? higherIsBetter
              : metric == null || metric.isBlank()
                  ? Boolean.TRUE
                  : PromotionGate.higherIsBetter(metric).orElse(null);
      if (direction == null) {
        throw new IllegalArgumentException(
            "higherIsBetter: cannot tell whether a higher "
                + metric
                + " is better; set higherIsBetter: true or false");
      }
      return new Rules(metric, direction, min, max, maxRegression == null ? 0.0 : maxRegression);
    }

    /**
     * Without rules in the spec: promote when not worse than production on the task's main metric.
     *
     * @param classification whether the model classifies (accuracy) or regresses (rmse); a boolean,
     *     not the store's task, because the policy is part of the spec and the spec comes before
     *     the store
     */
    public static Rules defaults(boolean classification) {
      return classification
          ? of("accuracy", null, null, null, null)
          : of("rmse", null, null, null, null);
    }
  }

  /**
   * @param reason what was compared with what, with the numbers
   */
  public record Decision(boolean promote, String reason) {

    public static Decision reject(String reason) {
      return new Decision(false, reason);
    }
  }

  /**
   * The direction of a well-known metric: accuracy, f1*, precision*, recall*, auc*, r2 up; rmse,
   * mse, mae, log_loss down.
   */
  public static Optional<Boolean> higherIsBetter(String metric) {
    String name = metric.toLowerCase(Locale.ROOT);
    if (HIGHER_IS_BETTER.stream().anyMatch(m -> name.equals(m) || name.startsWith(m + "_"))) {
      return Optional.of(true);
    }
    if (LOWER_IS_BETTER.stream().anyMatch(m -> name.equals(m) || name.startsWith(m + "_"))) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /**
   * @param production the current production version's metrics on the candidate's held-out rows, or
   *     empty when there is no production version: then the absolute thresholds alone decide
   */
  public static Decision decide(
      Rules rules, Map<String, Double> candidate, Optional<Map<String, Double>> production) {
    String metric = rules.metric();
    Double value = candidate.get(metric);
    if (value == null) {
      return Decision.reject(
          "the candidate has no " + metric + " (it has " + new TreeSet<>(candidate.keySet()) + ")");
    }
    if (value.isNaN()) {
      return Decision.reject("the candidate's " + metric + " is NaN");
    }
    List<String> passed = new ArrayList<>();
    if (rules.min() != null) {
      if (value < rules.min()) {
        return Decision.reject(
            metric + " " + number(value) + " is below the minimum " + number(rules.min()));
      }
      passed.add(metric + " " + number(value) + " >= min " + number(rules.min()));
    }
    if (rules.max() != null) {
      if (value > rules.max()) {
        return Decision.reject(
            metric + " " + number(value) + " is above the maximum " + number(rules.max()));
      }
      passed.add(metric + " " + number(value) + " <= max " + number(rules.max()));
    }
    if (production.isEmpty()) {
      passed.add("no production version yet");
      return new Decision(true, String.join("; ", passed));
    }
    Double current = production.get().get(metric);
    if (current == null || current.isNaN()) {
      return Decision.reject(
          "production has no " + metric + " measured on this run's held-out rows");
    }
    double worseBy = rules.higherIsBetter() ? current - value : value - current;
    if (worseBy > rules.maxRegression() + TOLERANCE) {
      return Decision.reject(
          metric
              + " "
              + number(value)
              + " is "
              + number(worseBy)
              + " worse than production's "
              + number(current)
              + " on the same held-out rows (allowed: "
              + number(rules.maxRegression())
              + ")");
    }
    if (worseBy < -TOLERANCE) {
      passed.add(
          metric
              + " "
              + number(value)
              + " is better than production's "
              + number(current)
              + " on the same held-out rows");
    } else if (worseBy <= TOLERANCE) {
      passed.add(
          metric
              + " "
              + number(value)
              + " equals production's "
              + number(current)
              + " on the same held-out rows");
    } else {
      passed.add(
          metric
              + " "
              + number(value)
              + " is "
              + number(worseBy)
              + " worse than production's "
              + number(current)
              + " on the same held-out rows, within the allowed "
              + number(rules.maxRegression()));
    }
    return new Decision(true, String.join("; ", passed));
  }

  /** Four decimals, or two significant digits for smaller numbers, without trailing zeros. */
  static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    BigDecimal decimal = BigDecimal.valueOf(value);
    BigDecimal rounded =
        Math.abs(value) >= 0.001 || value == 0
            ? decimal.setScale(4, RoundingMode.HALF_UP)
            : decimal.round(new MathContext(2, RoundingMode.HALF_UP));
    return rounded.stripTrailingZeros().toPlainString();
  }
}
