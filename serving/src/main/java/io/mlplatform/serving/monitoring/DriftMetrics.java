package io.mlplatform.serving.monitoring;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/** Drift and feedback gauges, computed from the live windows at scrape time. */
public final class DriftMetrics {

  private DriftMetrics() {}

  public static void register(PrometheusRegistry registry, DriftMonitor monitor) {
    GaugeWithCallback.builder()
        .name("mlp_drift_psi")
        .help(
            "Population Stability Index of a feature's live window against training (absent below driftMinRows)")
        .labelNames("model", "version", "feature")
        .callback(
            cb -> {
              for (VersionMonitor m : monitor.live()) {
                for (int c = 0; c < m.columns() - 1; c++) {
                  Double psi = monitor.psi(m, c);
                  if (psi != null) {
                    cb.call(psi, m.model(), Integer.toString(m.version()), m.column(c).name());
                  }
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_drift_prediction_psi")
        .help("Population Stability Index of the live predictions against the held-out predictions")
        .labelNames("model", "version")
        .callback(
            cb -> {
              for (VersionMonitor m : monitor.live()) {
                Double psi = monitor.psi(m, m.columns() - 1);
                if (psi != null) {
                  cb.call(psi, m.model(), Integer.toString(m.version()));
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_drift_alert")
        .help(
            "1 while a feature's (or, feature=\"prediction\", the predictions') PSI is at or above driftAlertThreshold")
        .labelNames("model", "version", "feature")
        .callback(
            cb -> {
              for (VersionMonitor m : monitor.live()) {
                for (int c = 0; c < m.columns(); c++) {
                  cb.call(
                      m.alerting(c) ? 1 : 0,
                      m.model(),
                      Integer.toString(m.version()),
                      c == m.columns() - 1 ? "prediction" : m.column(c).name());
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_drift_window_rows")
        .help("Live rows in a version's drift window")
        .labelNames("model", "version")
        .callback(
            cb ->
                monitor
                    .live()
                    .forEach(
                        m -> cb.call(m.window().rows(), m.model(), Integer.toString(m.version()))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_feedback_received")
        .help("Ground-truth labels received for a version's predictions")
        .labelNames("model", "version")
        .callback(
            cb ->
                monitor
                    .live()
                    .forEach(
                        m -> cb.call(m.feedbackCount(), m.model(), Integer.toString(m.version()))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_feedback_ledger_bytes")
        .help(
            "Estimated bytes of the predictions kept for feedback by request id (at most feedbackMaxBytes)")
        .callback(cb -> cb.call(monitor.ledgerBytes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_feedback_ledger_requests")
        .help("Predict requests kept for feedback by request id (at most feedbackMaxRequests)")
        .callback(cb -> cb.call(monitor.ledgerEntries()))
        .register(registry);
    CounterWithCallback.builder()
        .name("mlp_feedback_refused")
        .help("Feedback refused, by reason")
        .labelNames("reason")
        .callback(
            cb -> {
              for (FeedbackException.Reason reason : FeedbackException.Reason.values()) {
                cb.call(monitor.refused(reason), reason.name().toLowerCase(Locale.ROOT));
              }
            })
        .register(registry);
    score(
        registry,
        monitor,
        "mlp_feedback_score",
        "Live accuracy (classifiers) or RMSE (regression) of a version on all the feedback received",
        VersionMonitor::feedbackCount,
        VersionMonitor::feedbackValue);
    score(
        registry,
        monitor,
        "mlp_feedback_recent_score",
        "Accuracy (classifiers) or RMSE (regression) of a version on its last feedbackWindow feedbacks",
        VersionMonitor::recentCount,
        VersionMonitor::recentValue);
  }

  /** A feedback metric per version and metric name, absent until the version has feedback. */
  private static void score(
      PrometheusRegistry registry,
      DriftMonitor monitor,
      String name,
      String help,
      ToLongFunction<VersionMonitor> count,
      ToDoubleFunction<VersionMonitor> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("model", "version", "metric")
        .callback(
            cb ->
                monitor
                    .live()
                    .forEach(
                        m -> {
                          if (count.applyAsLong(m) > 0) {
                            cb.call(
                                value.applyAsDouble(m),
                                m.model(),
                                Integer.toString(m.version()),
                                m.feedbackMetric());
                          }
                        }))
        .register(registry);
  }
}
