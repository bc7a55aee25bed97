package io.mlplatform.serving.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Canary and shadow series: which version answered or scored, how long it took, and whether a
 * shadow candidate agreed with the primary. Only requests under a routing rule touch these.
 */
public final class RoutingMetrics {

  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10
  };

  private final Counter requests;
  private final Histogram latency;
  private final Counter rows;
  private final Counter skipped;

  RoutingMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("mlp_routing_requests_total")
            .help(
                "Default-route requests under a canary or shadow rule, by version and role (primary, candidate)")
            .labelNames("model", "version", "role")
            .withoutExemplars()
            .register(registry);
    latency =
        Histogram.builder()
            .name("mlp_routing_latency_seconds")
            .help("Validation plus scoring time under a canary or shadow rule, by version and role")
            .labelNames("model", "version", "role")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .withoutExemplars()
            .register(registry);
    rows =
        Counter.builder()
            .name("mlp_shadow_rows_total")
            .help(
                "Rows a shadow candidate scored, by whether it agreed with the primary (agree, disagree)")
            .labelNames("model", "primary", "candidate", "result")
            .withoutExemplars()
            .register(registry);
    skipped =
        Counter.builder()
            .name("mlp_routing_skipped_total")
            .help(
                "Requests a rule did not apply to, by reason: candidate_unavailable, suspended (pin or"
                    + " fallback), shadow_dropped (shadow executor full), shadow_failed")
            .labelNames("model", "reason")
            .withoutExemplars()
            .register(registry);
  }

  /**
   * @param role {@code primary} or {@code candidate}
   */
  public void scored(String model, int version, String role, long nanos) {
    String v = Integer.toString(version);
    requests.labelValues(model, v, role).inc();
    latency.labelValues(model, v, role).observe(nanos / 1e9);
  }

  public void compared(String model, int primary, int candidate, int agreed, int disagreed) {
    String p = Integer.toString(primary);
    String c = Integer.toString(candidate);
    if (agreed > 0) {
      rows.labelValues(model, p, c, "agree").inc(agreed);
    }
    if (disagreed > 0) {
      rows.labelValues(model, p, c, "disagree").inc(disagreed);
    }
  }

  public void skipped(String model, String reason) {
    skipped.labelValues(model, reason).inc();
  }

  /** Drops a released version's series, as the predict series are dropped. */
  void released(String model, String version) {
    requests.removeIf(l -> l.get(0).equals(model) && l.get(1).equals(version));
    latency.removeIf(l -> l.get(0).equals(model) && l.get(1).equals(version));
    rows.removeIf(
        l -> l.get(0).equals(model) && (l.get(1).equals(version) || l.get(2).equals(version)));
  }
}
