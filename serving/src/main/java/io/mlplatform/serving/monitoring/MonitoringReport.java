package io.mlplatform.serving.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code GET /v1/models/{name}/monitoring}. {@code psi} is null until the window holds
 * {@code minRows} rows; with {@code available} false only the message and the model fields are set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MonitoringReport(
    String model,
    int version,
    boolean available,
    String message,
    Window window,
    Double threshold,
    Integer minRows,
    List<Column> features,
    Column prediction,
    List<String> alerts,
    Feedback feedback) {

  /**
   * @param rows live rows the statistics cover; {@code seen} all rows since the version was loaded
   */
  public record Window(long rows, int capacity, long seen) {}

  /** One feature, or the prediction (then {@code name} is "prediction"). */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Column(String name, String kind, Double psi, boolean alert, List<Bin> bins) {}

  public record Bin(String label, double reference, double live) {}

  /**
   * @param value accuracy or RMSE of all the feedback received since the version was loaded; null
   *     before any
   * @param recent the same over the last feedbacks only, which moves when the model starts to fail
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Feedback(long count, String metric, Double value, Recent recent) {}

  /**
   * @param count feedbacks covered, at most {@code window}; {@code value} is null before any
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Recent(long count, int window, Double value) {}

  static MonitoringReport unavailable(String model, int version, String message) {
    return new MonitoringReport(
        model, version, false, message, null, null, null, null, null, null, null);
  }
}
