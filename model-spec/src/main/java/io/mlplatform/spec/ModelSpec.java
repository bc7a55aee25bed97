package io.mlplatform.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.spec.promotion.PromotionGate;
import java.util.List;
import java.util.Map;

/**
 * A validated training spec: what {@code conf/models/*.yaml} says, typed.
 *
 * @param target the column to predict
 * @param raw the spec as read, kept for the manifest
 * @param promotion when a new version becomes production, or null for the task's defaults ({@link
 *     PromotionGate.Rules#defaults})
 */
public record ModelSpec(
    String name,
    Data data,
    String target,
    Features features,
    Model model,
    Split split,
    int referenceRows,
    JsonNode raw,
    Tuning tuning,
    PromotionGate.Rules promotion) {

  /** A spec without promotion rules (the task's defaults apply). */
  public ModelSpec(
      String name,
      Data data,
      String target,
      Features features,
      Model model,
      Split split,
      int referenceRows,
      JsonNode raw,
      Tuning tuning) {
    this(name, data, target, features, model, split, referenceRows, raw, tuning, null);
  }

  /** A spec without hyper-parameter tuning. */
  public ModelSpec(
      String name,
      Data data,
      String target,
      Features features,
      Model model,
      Split split,
      int referenceRows,
      JsonNode raw) {
    this(name, data, target, features, model, split, referenceRows, raw, null);
  }

  /**
   * @param path a local path (resolved against the working directory) or any Hadoop URI
   * @param where a Spark SQL condition rows must meet to be used, or null for all rows
   */
  /**
   * @param path a file, a directory (read recursively) or a glob
   * @param latestFiles read only the last N matching files in path order (daily partitions named by
   *     date sort oldest first), a sliding window over a growing location; null reads them all
   */
  public record Data(
      String path,
      DataFormat format,
      Map<String, String> options,
      String where,
      Integer latestFiles) {
    public Data(String path, DataFormat format, Map<String, String> options, String where) {
      this(path, format, options, where, null);
    }

    /**
     * Where the data is, as a URI: a local path resolved against the working directory (as the
     * training job and the scheduler, started from the same directory, both read it); anything with
     * a scheme as it is.
     */
    public String location() {
      if (path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
        return path;
      }
      return java.nio.file.Path.of(path).toAbsolutePath().normalize().toUri().toString();
    }
  }

  /**
   * @param text free-text columns and how they are vectorized
   * @param bucketize numeric columns (of {@code numeric}) that are bucketized and one-hot encoded
   */
  public record Features(
      List<String> numeric,
      List<String> categorical,
      Scaling scaling,
      TextFeatures text,
      Map<String, Bucketing> bucketize) {
    public Features(List<String> numeric, List<String> categorical, Scaling scaling) {
      this(numeric, categorical, scaling, TextFeatures.NONE, Map.of());
    }

    /** Every input column: numeric, then categorical, then text. */
    public List<String> all() {
      return java.util.stream.Stream.of(numeric, categorical, text.columns())
          .flatMap(List::stream)
          .toList();
    }
  }

  /**
   * @param params Spark ML parameter names of the estimator (maxIter, regParam, ...)
   */
  public record Model(ModelType type, Map<String, Object> params) {}

  public record Split(double testFraction, long seed) {}
}
