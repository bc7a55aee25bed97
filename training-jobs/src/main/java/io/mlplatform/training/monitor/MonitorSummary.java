package io.mlplatform.training.monitor;

import java.util.List;
import java.util.Map;

/**
 * What one run found for one version: {@code MODEL/monitoring/vN/RUN/summary.json}. Column, Bin and
 * the drift figures have the names of the service's {@code /monitoring} answer, computed the same
 * way over the whole period instead of the service's last rows.
 *
 * @param period the first and last record read (ISO instants), and {@code since} if given
 * @param bucket "hour" or "day": the width of each {@code series} point (hours while the period
 *     spans at most three days)
 */
public record MonitorSummary(
    String model,
    int version,
    String run,
    Period period,
    String bucket,
    Traffic traffic,
    Latency latency,
    Drift drift,
    Feedback feedback,
    List<Point> series) {

  public record Period(String since, String from, String to) {}

  /**
   * @param requests logged predict requests (the log samples requests: with a sample rate below 1
   *     these are the sampled ones)
   * @param scored instances with a prediction; the others were invalid instances of partial
   *     requests
   */
  public record Traffic(long requests, long instances, long scored, List<Replica> replicas) {}

  public record Replica(String replica, long requests, long instances) {}

  /** Milliseconds, as each replica measured them; null without any latency in the records. */
  public record Latency(Double p50, Double p95, Double p99) {}

  /**
   * @param available false for a version whose manifest has no reference (trained before drift
   *     monitoring existed); {@code message} then says so and the lists are empty
   */
  public record Drift(
      boolean available,
      String message,
      double threshold,
      int minRows,
      List<Column> features,
      Column prediction,
      List<String> alerts) {}

  /**
   * @param rows values counted (redacted ones are left out); {@code psi} is null below minRows
   */
  public record Column(
      String name, String kind, long rows, Double psi, boolean alert, List<Bin> bins) {}

  public record Bin(String label, double reference, double live) {}

  /**
   * @param count distinct feedbacks (by id); {@code duplicates} the records beyond the first per id
   * @param value accuracy or RMSE over {@code count}; null without any
   */
  public record Feedback(long count, long duplicates, String metric, Double value) {}

  /**
   * One time bucket.
   *
   * @param start its first instant (UTC)
   * @param psi per column (features by name, then "prediction"); null below minRows
   */
  public record Point(
      String start,
      long requests,
      long instances,
      Double p50,
      Double p95,
      Double p99,
      Map<String, Double> psi,
      long feedback,
      Double value) {}
}
