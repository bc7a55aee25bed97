package io.mlplatform.spec;

import java.util.List;

/**
 * Checks an estimator parameter's value beyond its name and kind, which {@link EstimatorParams}
 * checks. The training job plugs Spark's own validators in (ranges, allowed strings) so that a spec
 * it cannot train fails at load with every other problem; processes without Spark use {@link
 * #NONE}.
 */
@FunctionalInterface
public interface ParamCheck {

  ParamCheck NONE = (type, name, value, key) -> List.of();

  /**
   * @param value the value converted to its {@link ParamKind}
   * @param key the spec key to name in problems, e.g. {@code model.params.maxDepth}
   * @return one problem per reason, each starting with {@code key}
   */
  List<String> check(ModelType type, String name, Object value, String key);
}
