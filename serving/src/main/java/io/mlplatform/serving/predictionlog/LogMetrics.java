package io.mlplatform.serving.predictionlog;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** The prediction log's series in {@code /metrics}; only a process with the log on has them. */
final class LogMetrics {

  /** Why a record was not written. */
  enum Drop {
    /** The queue to the writer was full: the sink is slower than the traffic, or hangs. */
    QUEUE_FULL,
    /** Writing failed, or the sink is down and waiting for its next retry. */
    SINK_ERROR,
    /** Still queued when the process stopped and the drain time ran out. */
    SHUTDOWN;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final CounterDataPoint predictions;
  private final CounterDataPoint feedback;
  private final Map<Drop, CounterDataPoint> dropped = new EnumMap<>(Drop.class);
  private final Counter bytes;
  private final Counter files;

  LogMetrics(PrometheusRegistry registry, DoubleSupplier queued, DoubleSupplier sinkUp) {
    Counter written =
        counter(registry, "mlp_prediction_log_records_total", "Records written, by kind", "kind");
    predictions = written.labelValues("prediction");
    feedback = written.labelValues("feedback");
    Counter drops =
        counter(
            registry,
            "mlp_prediction_log_dropped_total",
            "Records not written, by reason: queue_full, sink_error, shutdown",
            "reason");
    for (Drop drop : Drop.values()) {
      dropped.put(drop, drops.labelValues(drop.id()));
    }
    bytes = counter(registry, "mlp_prediction_log_bytes_total", "Bytes of records written");
    files =
        counter(
            registry,
            "mlp_prediction_log_files_total",
            "Files completed and published (renamed to *.jsonl)");
    GaugeWithCallback.builder()
        .name("mlp_prediction_log_queued_instances")
        .help(
            "Instances waiting for the writer (the queue's capacity is predictionLog.queueInstances)")
        .callback(cb -> cb.call(queued.getAsDouble()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_prediction_log_sink_up")
        .help(
            "1 while the last write to the sink succeeded (or none failed yet), 0 while it is down")
        .callback(cb -> cb.call(sinkUp.getAsDouble()))
        .register(registry);
  }

  void written(LogEntry entry, int length) {
    (entry instanceof LogEntry.Feedback ? feedback : predictions).inc();
    bytes.inc(length);
  }

  void dropped(Drop reason) {
    dropped.get(reason).inc();
  }

  void dropped(Drop reason, long count) {
    dropped.get(reason).inc(count);
  }

  void published() {
    files.inc();
  }

  long droppedCount() {
    long n = 0;
    for (CounterDataPoint c : dropped.values()) {
      n += (long) c.get();
    }
    return n;
  }

  long writtenCount() {
    return (long) (predictions.get() + feedback.get());
  }

  private static Counter counter(
      PrometheusRegistry registry, String name, String help, String... labels) {
    return Counter.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .withoutExemplars()
        .register(registry);
  }
}
