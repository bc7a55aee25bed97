package io.mlplatform.serving.monitoring;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Drift and feedback gauges, computed from the live windows at scrape time. */
public final class DriftMetrics {

  private DriftMetrics() {}

  public static void register(PrometheusRegistry registry, DriftMonitor monitor) {
    GaugeWithCallback.builder().name("mlp_drift_psi")
        .help("Population Stability Index of a feature's live window against training (absent below driftMinRows)")
        .labelNames("model", "version", "feature")
        .callback(cb -> {
          for (VersionMonitor m : monitor.live()) {
            for (int c = 0; c < m.columns() - 1; c++) {
              Double psi = monitor.psi(m, c);
              if (psi != null) {
                cb.call(psi, m.model(), Integer.toString(m.version()), m.column(c).name());
              }
            }
          }
        }).register(registry);
    GaugeWithCallback.builder().name("mlp_drift_prediction_psi")
        .help("Population Stability Index of the live predictions against the held-out predictions")
        .labelNames("model", "version")
        .callback(cb -> {
          for (VersionMonitor m : monitor.live()) {
            Double psi = monitor.psi(m, m.columns() - 1);
            if (psi != null) {
              cb.call(psi, m.model(), Integer.toString(m.version()));
            }
          }
        }).register(registry);
    GaugeWithCallback.builder().name("mlp_drift_alert")
        .help("1 while a feature's (or, feature=\"prediction\", the predictions') PSI is at or above driftAlertThreshold")
        .labelNames("model", "version", "feature")
        .callback(cb -> {
          for (VersionMonitor m : monitor.live()) {
            for (int c = 0; c < m.columns(); c++) {
              cb.call(m.alerting(c) ? 1 : 0, m.model(), Integer.toString(m.version()),
                  c == m.columns() - 1 ? "prediction" : m.column(c).name());
            }
          }
        }).register(registry);
    GaugeWithCallback.builder().name("mlp_drift_window_rows")
        .help("Live rows in a version's drift window").labelNames("model", "version")
        .callback(cb -> monitor.live().forEach(m -> cb.call(m.window().rows(), m.model(),
            Integer.toString(m.version()))))
        .register(registry);
    GaugeWithCallback.builder().name("mlp_feedback_received")
        .help("Ground-truth labels received for a version's predictions").labelNames("model", "version")
        .callback(cb -> monitor.live().forEach(m -> cb.call(m.feedbackCount(), m.model(),
            Integer.toString(m.version()))))
        .register(registry);
    GaugeWithCallback.builder().name("mlp_feedback_score")
        .help("Live accuracy (classifiers) or RMSE (regression) of a version on the feedback received")
        .labelNames("model", "version", "metric")
        .callback(cb -> monitor.live().forEach(m -> {
          if (m.feedbackCount() > 0) {
            cb.call(m.feedbackValue(), m.model(), Integer.toString(m.version()), m.feedbackMetric());
          }
        }))
        .register(registry);
    GaugeWithCallback.builder().name("mlp_feedback_recent_score")
        .help("Accuracy (classifiers) or RMSE (regression) of a version on its last feedbackWindow feedbacks")
        .labelNames("model", "version", "metric")
        .callback(cb -> monitor.live().forEach(m -> {
          if (m.recentCount() > 0) {
            cb.call(m.recentValue(), m.model(), Integer.toString(m.version()), m.feedbackMetric());
          }
        }))
        .register(registry);
  }
}
