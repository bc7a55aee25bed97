package io.mlplatform.serving.metrics;

import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.Refusal;
import io.mlplatform.serving.lifecycle.StoreStatus;
import io.mlplatform.store.format.Task;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Every metric of the service, in a registry of its own (no global state: two services in one JVM,
 * as in tests, do not mix their numbers). Model series carry {@code model} and {@code version}
 * labels and are removed when the version is released, so old versions do not accumulate.
 */
public final class ServingMetrics implements ModelEvents {

  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests =
      counter(
          "mlp_predict_requests_total",
          "Predict requests that reached a model version",
          "model",
          "version");
  private final Counter errors =
      counter(
          "mlp_predict_errors_total",
          "Predict requests on a model version that failed, by error kind",
          "model",
          "version",
          "kind");
  private final Counter rows = counter("mlp_predict_rows_total", "Rows scored", "model", "version");
  private final Counter classes =
      counter(
          "mlp_predictions_total",
          "Classifier predictions by predicted class",
          "model",
          "version",
          "class");
  private final Histogram latency =
      Histogram.builder()
          .name("mlp_predict_latency_seconds")
          .help("Predict request latency from arrival to response, per model version")
          .labelNames("model", "version")
          .classicOnly()
          .classicUpperBounds(LATENCY_BUCKETS)
          .withoutExemplars()
          .register(registry);
  private final PredictionHistograms values = new PredictionHistograms();
  private final Counter http =
      counter(
          "mlp_http_requests_total",
          "HTTP requests by route template, method and status",
          "route",
          "method",
          "status");
  private final Counter rejected =
      counter(
          "mlp_http_rejected_total",
          "Requests answered 503 without being handled: overloaded or timed out",
          "reason");
  private final Counter loads =
      counter(
          "mlp_model_loads_total",
          "Version loads by result: loaded, refused or failed (store error, retried)",
          "model",
          "result");
  private final Counter refusals =
      counter(
          "mlp_model_refusals_total",
          "Versions refused at load time, by the check they failed",
          "model",
          "version",
          "check");
  private final Counter fallbacks =
      counter(
          "mlp_model_fallbacks_total",
          "Automatic fallbacks of a default route after too many errors",
          "model",
          "from",
          "to");
  private final Counter storeReads =
      counter("mlp_store_reads_total", "Reads of the model store by result", "result");
  private final RoutingMetrics routing = new RoutingMetrics(registry);
  // LoadedModel keeps Object's identity equality, so this is an identity map without a lock on
  // reads.
  private final Map<LoadedModel, VersionMetrics> versions = new ConcurrentHashMap<>();

  public ServingMetrics() {
    registry.register(values);
    JvmMetrics.builder().register(registry);
  }

  /** Adds the gauges read from the registry at scrape time: what serves, fallbacks, the store. */
  public void watch(ModelRegistry models, IntSupplier inFlight) {
    GaugeWithCallback.builder()
        .name("mlp_model_serving_version")
        .help("Version behind the default route of each model (0 when none can serve)")
        .labelNames("model")
        .callback(
            cb ->
                models.all().forEach(e -> cb.call(e.serving() == null ? 0 : e.serving(), e.name())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_model_loaded_versions")
        .help("Versions of each model in memory")
        .labelNames("model")
        .callback(cb -> models.all().forEach(e -> cb.call(e.loaded().size(), e.name())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_model_fallback_active")
        .help("1 while a model's default route is fallen back from a failing version")
        .labelNames("model")
        .callback(cb -> models.all().forEach(e -> cb.call(e.fallback() == null ? 0 : 1, e.name())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_model_refused_versions")
        .help("Versions of each model that failed a load-time check")
        .labelNames("model")
        .callback(cb -> models.all().forEach(e -> cb.call(e.refused().size(), e.name())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_model_unavailable_versions")
        .help(
            "Versions of each model that could not be loaded at the last attempt (I/O error, JVM Error);"
                + " retried with back-off")
        .labelNames("model")
        .callback(cb -> models.all().forEach(e -> cb.call(e.failed().size(), e.name())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_store_reachable")
        .help("1 when the last read of the model store succeeded")
        .callback(cb -> cb.call(models.storeStatus().reachable() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_store_last_success_timestamp_seconds")
        .help("Unix time of the last successful read of the model store (0 before the first)")
        .callback(cb -> cb.call(lastSuccess(models.storeStatus())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("mlp_http_in_flight_requests")
        .help("API requests being handled now (the concurrency limit counts these)")
        .callback(cb -> cb.call(inFlight.getAsInt()))
        .register(registry);
  }

  /** For collectors that live elsewhere (drift monitoring); scraped with everything else. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The series of one version, created on first use. */
  public VersionMetrics version(LoadedModel model) {
    VersionMetrics found = versions.get(model);
    return found != null ? found : versions.computeIfAbsent(model, this::create);
  }

  /** Canary and shadow series. */
  public RoutingMetrics routing() {
    return routing;
  }

  public void httpRequest(String route, String method, int status) {
    http.labelValues(route, method, Integer.toString(status)).inc();
  }

  /** A request refused before any model saw it: {@code overloaded} or {@code timeout}. */
  public void rejected(String reason) {
    rejected.labelValues(reason).inc();
  }

  public String contentType() {
    return writer.getContentType();
  }

  /** Writes every metric in the Prometheus text format. */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }

  void error(String model, String version, String kind) {
    errors.labelValues(model, version, kind).inc();
  }

  @Override
  public void loaded(LoadedModel model, Duration took) {
    loads.labelValues(model.name(), "loaded").inc();
  }

  @Override
  public void refused(String model, int version, Refusal refusal) {
    loads.labelValues(model, "refused").inc();
    refusals.labelValues(model, Integer.toString(version), refusal.kind().id()).inc();
  }

  @Override
  public void loadFailed(String model, int version, String reason) {
    loads.labelValues(model, "failed").inc();
  }

  @Override
  public void fallback(String model, int from, int to, String reason) {
    fallbacks.labelValues(model, Integer.toString(from), Integer.toString(to)).inc();
  }

  @Override
  public void storeRead(boolean ok) {
    storeReads.labelValues(ok ? "ok" : "error").inc();
  }

  @Override
  public void released(LoadedModel model) {
    String name = model.name();
    String version = Integer.toString(model.version());
    versions.remove(model);
    // Another instance of the same version (unloaded, then loaded again) still uses the series.
    if (versions.keySet().stream()
        .anyMatch(m -> m.name().equals(name) && m.version() == model.version())) {
      return;
    }
    requests.remove(name, version);
    rows.remove(name, version);
    latency.remove(name, version);
    errors.removeIf(labels -> labels.get(0).equals(name) && labels.get(1).equals(version));
    classes.removeIf(labels -> labels.get(0).equals(name) && labels.get(1).equals(version));
    values.remove(name, version);
    routing.released(name, version);
  }

  private VersionMetrics create(LoadedModel model) {
    String name = model.name();
    String version = Integer.toString(model.version());
    CounterDataPoint[] perClass = null;
    PredictionHistograms.Series histogram = null;
    if (model.manifest().task() == Task.REGRESSION) {
      histogram = values.register(name, version, model.referencePredictions());
    } else {
      List<String> labels = model.manifest().outputs().labels();
      int n = labels.isEmpty() ? 2 : labels.size();
      perClass = new CounterDataPoint[n];
      for (int i = 0; i < n; i++) {
        perClass[i] =
            classes.labelValues(
                name, version, labels.isEmpty() ? Integer.toString(i) : labels.get(i));
      }
    }
    return new VersionMetrics(
        this,
        name,
        version,
        requests.labelValues(name, version),
        rows.labelValues(name, version),
        latency.labelValues(name, version),
        perClass,
        histogram);
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .withoutExemplars()
        .register(registry);
  }

  private static double lastSuccess(StoreStatus status) {
    return status.lastSuccess() == null
        ? 0
        : Instant.parse(status.lastSuccess()).toEpochMilli() / 1000.0;
  }
}
