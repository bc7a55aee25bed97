package io.mlplatform.serving;

import io.javalin.Javalin;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.AccessLog;
import io.mlplatform.serving.http.Drain;
import io.mlplatform.serving.http.ServingApp;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.StorePoller;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.storage.ModelStore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole running service: store, registry, poller, HTTP server. {@link Main} starts one and
 * shuts it down on SIGTERM; tests start one on port 0.
 */
public final class Service implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Service.class);

  private final ServingConfig config;
  private final ModelRegistry registry;
  private final StorePoller poller;
  private final Drain drain;
  private final Javalin app;
  private final AccessLog accessLog;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private Service(
      ServingConfig config,
      ModelRegistry registry,
      StorePoller poller,
      Drain drain,
      Javalin app,
      AccessLog accessLog) {
    this.accessLog = accessLog;
    this.config = config;
    this.registry = registry;
    this.poller = poller;
    this.drain = drain;
    this.app = app;
  }

  /**
   * Opens the store, loads what it holds, starts polling and serving. A store that cannot be read
   * now is retried by the poller; the service answers meanwhile, not ready.
   *
   * @throws io.mlplatform.store.storage.StoreException when the store location itself is invalid
   */
  public static Service start(ServingConfig config) {
    BundleArchive archive =
        new BundleArchive(config.models().maxBundleBytes(), config.models().maxBundleEntries());
    return start(
        config, new MleapModelLoader(archive), AccessLog.toStdout(config.accessLogSampleRate()));
  }

  public static Service start(
      ServingConfig config, ScoringModelLoader loader, AccessLog accessLog) {
    ModelStore store = ModelStore.open(config.store());
    ServingMetrics metrics = new ServingMetrics();
    ModelRegistry registry =
        new ModelRegistry(store, loader, config.models(), config.fallback(), metrics);
    registry.refresh();
    StorePoller poller = new StorePoller(registry, config.models().pollInterval());
    Drain drain = new Drain();
    Javalin app = ServingApp.create(config, registry, metrics, accessLog, drain).start();
    return new Service(config, registry, poller, drain, app, accessLog);
  }

  public int port() {
    return app.port();
  }

  public ModelRegistry registry() {
    return registry;
  }

  /**
   * Stops the way a load balancer needs: readiness turns 503 first, new requests are still served
   * during the shutdown delay, then the listener closes and requests in flight get up to the grace
   * period to finish. Models are released last. Safe to call more than once.
   */
  public void shutdown() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    long start = System.nanoTime();
    drain.begin();
    LOG.info(
        "shutting down: readiness is 503; closing the listener in {} ms",
        config.shutdown().delay().toMillis());
    sleep(config.shutdown().delay().toMillis());
    poller.close();
    try {
      app.stop(); // Jetty's graceful stop: waits for requests in flight up to shutdownGrace
    } catch (RuntimeException e) {
      // Jetty stops anyway; it reports the requests it had to cut off when the grace period ended.
      LOG.warn(
          "requests still in flight after the {} ms grace period were cut off: {}",
          config.shutdown().grace().toMillis(),
          e.toString());
    }
    registry.close();
    accessLog.flush();
    LOG.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  /** Flushes the access log; the shutdown watchdog calls it before it halts the JVM. */
  public void flushLogs() {
    accessLog.flush();
  }

  @Override
  public void close() {
    shutdown();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
