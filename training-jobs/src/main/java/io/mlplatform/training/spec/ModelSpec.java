package io.mlplatform.training.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A validated training spec: what {@code conf/models/*.yaml} says, typed.
 *
 * @param raw the spec as read, kept for the manifest
 */
public record ModelSpec(
    String name,
    Data data,
    String label,
    Features features,
    Model model,
    Split split,
    int referenceRows,
    JsonNode raw) {

  /**
   * @param path a local path (resolved against the working directory) or any Hadoop URI
   * @param where a Spark SQL condition rows must meet to be used, or null for all rows
   */
  public record Data(String path, DataFormat format, Map<String, String> options, String where) {}

  public record Features(List<String> numeric, List<String> categorical, Scaling scaling) {
    public List<String> all() {
      return java.util.stream.Stream.concat(numeric.stream(), categorical.stream()).toList();
    }
  }

  /** @param params Spark ML parameter names of the estimator (maxIter, regParam, ...) */
  public record Model(ModelType type, Map<String, Object> params) {}

  public record Split(double testFraction, long seed) {}
}
