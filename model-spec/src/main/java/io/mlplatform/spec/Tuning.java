package io.mlplatform.spec;

import java.util.List;
import java.util.Map;

/**
 * Hyper-parameter search: every combination of the grid's values is fitted and scored, and the best
 * pipeline is the one exported.
 *
 * @param folds cross-validation folds (cross_validation only)
 * @param trainRatio share of the training split used for fitting (train_validation_split only)
 * @param parallelism candidates fitted at the same time
 * @param metric the project's metric name the candidates are ranked by (see {@link TuningMetric})
 * @param grid Spark parameter names of the estimator to their candidate values, in spec order
 */
public record Tuning(
    Method method,
    int folds,
    double trainRatio,
    int parallelism,
    TuningMetric metric,
    Map<String, List<Object>> grid) {

  public enum Method {
    CROSS_VALIDATION,
    TRAIN_VALIDATION_SPLIT
  }

  public int candidates() {
    return grid.values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
  }
}
