package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import io.mlplatform.serving.auth.Authenticator;
import io.mlplatform.serving.auth.Scope;
import io.mlplatform.serving.config.LimitsSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.config.UnknownFields;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.monitoring.DriftMetrics;
import io.mlplatform.serving.monitoring.DriftMonitor;
import io.mlplatform.serving.predictionlog.PredictionLog;
import io.mlplatform.serving.routing.Router;
import io.mlplatform.serving.validation.RequestValidator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Builds the HTTP application; starting and stopping it is the caller's business. */
public final class ServingApp {

  /**
   * Javalin matches a parameter followed by a literal within one segment ({@code {name}:predict}).
   */
  static final String PREDICT_PATH = "/v1/models/{name}:predict";

  static final String VERSION_PREDICT_PATH = "/v1/models/{name}/versions/{version}:predict";
  // Was .../labels/{label}:predict; "label" now only means a class label, and the old path is a
  // plain 404.
  static final String ALIAS_PREDICT_PATH = "/v1/models/{name}/aliases/{alias}:predict";
  static final String ROUTING_PATH = "/v1/admin/models/{name}/routing";
  static final String ADMIN_ALIAS_PATH = "/v1/admin/models/{name}/aliases/{alias}";
  static final String OPENAPI_RESOURCE = "openapi.json";
  static final String BENCH_ECHO_PATH = "/v1/bench/echo";

  /**
   * What stopping waits for after Jetty's grace period: the scoring lanes, the shadow scorer, then
   * the prediction log.
   */
  public static final long DRAINS_AFTER_STOP_MILLIS =
      ScoringPool.DRAIN_MILLIS + Router.DRAIN_MILLIS + PredictionLog.DRAIN_MILLIS;

  // Jetty threads beyond the API's concurrency limit: selectors, health probes, fast rejections.
  private static final int RESERVED_THREADS = 32;

  private ServingApp() {}

  /** An app with fresh metrics, the access log on stdout and no shutdown in progress. */
  public static Javalin create(ServingConfig config, ModelRegistry registry) {
    return create(
        config,
        registry,
        new ServingMetrics(),
        AccessLog.toStdout(config.accessLogSampleRate()),
        new Drain());
  }

  /**
   * Returns an unstarted app bound to {@code config.host()} and {@code config.port()}, with the
   * prediction log the configuration asks for (its file system opened with the Hadoop settings on
   * the classpath).
   */
  public static Javalin create(
      ServingConfig config,
      ModelRegistry registry,
      ServingMetrics metrics,
      AccessLog accessLog,
      Drain drain) {
    PredictionLog log =
        config.predictionLog().enabled()
            ? PredictionLog.start(config.predictionLog(), new Configuration(), metrics.registry())
            : PredictionLog.off();
    return create(config, registry, metrics, accessLog, drain, log);
  }

  /** As above with a prediction log of the caller's; stopping the app closes it. */
  public static Javalin create(
      ServingConfig config,
      ModelRegistry registry,
      ServingMetrics metrics,
      AccessLog accessLog,
      Drain drain,
      PredictionLog log) {
    ObjectMapper mapper = Json.newMapper();
    LimitsSection limits = config.limits();
    JsonBodies bodies = new JsonBodies(mapper, limits.maxBodyBytes());
    JsonWriter json = new JsonWriter(mapper);
    ScoringPool pool =
        new ScoringPool(
            limits.effectiveScoringThreads(),
            limits.maxConcurrentRequests(),
            limits.requestTimeout().toNanos(),
            limits.inlineScoringMaxInstances());
    ConcurrencyLimiter limiter = new ConcurrencyLimiter(limits.maxConcurrentRequests());
    metrics.watch(registry, limiter::inFlight);
    DriftMonitor drift = new DriftMonitor(config.monitoring());
    DriftMetrics.register(metrics.registry(), drift);
    RequestValidator validator =
        new RequestValidator(
            limits.maxInstancesPerRequest(), config.unknownFields() == UnknownFields.REJECT);
    Router router = new Router(config.routing(), registry, validator, metrics.routing());
    PredictHandler predict =
        new PredictHandler(
            registry,
            bodies,
            json,
            validator,
            pool,
            metrics,
            limits.requestTimeout().toNanos(),
            router,
            drift,
            log);
    RoutingHandler routes = new RoutingHandler(registry, router, bodies);
    MonitoringHandler monitoring = new MonitoringHandler(registry, bodies, drift, log);
    ModelsHandler models = new ModelsHandler(registry);
    AdminHandler admin = new AdminHandler(registry, bodies);
    HealthHandler health = new HealthHandler(registry, drain);
    Guard guard =
        new Guard(
            new AccessControl(new Authenticator(config.auth().enabled(), config.auth().keys())),
            limiter,
            metrics,
            bodies);
    byte[] openApi = resource(OPENAPI_RESOURCE);
    return Javalin.create(
        cfg -> {
          cfg.startup.showJavalinBanner = false;
          cfg.jetty.host = config.host();
          cfg.jetty.port = config.port();
          jetty(cfg, config, mapper);
          // JsonBodies enforces the limit with a JSON 413; this keeps Javalin's own reads bounded
          // too.
          cfg.http.maxRequestSize = limits.maxBodyBytes();
          cfg.jsonMapper(new JavalinJackson(mapper, false));
          cfg.routes.before(RequestIds::assign);
          cfg.routes.get("/health/live", health::live);
          cfg.routes.get("/health/ready", health::ready);
          cfg.routes.get(
              "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
          cfg.routes.get("/metrics", guard.open(Scope.METRICS, ctx -> metrics(ctx, metrics)));
          cfg.routes.get("/v1/models", guard.limited(Scope.PREDICT, models::list));
          cfg.routes.get("/v1/models/{name}", guard.limited(Scope.PREDICT, models::detail));
          cfg.routes.get(
              "/v1/models/{name}/metadata", guard.limited(Scope.PREDICT, models::metadata));
          cfg.routes.get(
              "/v1/models/{name}/versions/{version}",
              guard.limited(Scope.PREDICT, models::version));
          cfg.routes.get(
              "/v1/models/{name}/versions/{version}/metadata",
              guard.limited(Scope.PREDICT, models::versionMetadata));
          cfg.routes.get(
              "/v1/models/{name}/monitoring", guard.limited(Scope.PREDICT, monitoring::report));
          cfg.routes.post(
              "/v1/models/{name}/feedback",
              guard.limitedWithBody(Scope.PREDICT, monitoring::feedback));
          cfg.routes.post(PREDICT_PATH, guard.limitedWithBody(Scope.PREDICT, predict::byDefault));
          cfg.routes.post(
              VERSION_PREDICT_PATH, guard.limitedWithBody(Scope.PREDICT, predict::byVersion));
          cfg.routes.post(
              ALIAS_PREDICT_PATH, guard.limitedWithBody(Scope.PREDICT, predict::byAlias));
          if (config.benchEchoEnabled()) {
            // Same guard, body reader and JSON writer as predict: the floor that predict is
            // measured against.
            cfg.routes.post(
                BENCH_ECHO_PATH,
                guard.limitedWithBody(
                    Scope.PREDICT, ctx -> json.write(ctx, json.bytes(bodies.read(ctx)))));
          }
          // Admin routes are not limited: an operator must be able to act on an overloaded server.
          cfg.routes.post("/v1/admin/reload", guard.open(Scope.ADMIN, admin::reload));
          cfg.routes.put("/v1/admin/models/{name}/pin", guard.open(Scope.ADMIN, admin::pin));
          cfg.routes.delete("/v1/admin/models/{name}/pin", guard.open(Scope.ADMIN, admin::unpin));
          cfg.routes.put(ADMIN_ALIAS_PATH, guard.open(Scope.ADMIN, admin::setAlias));
          cfg.routes.get(ROUTING_PATH, guard.open(Scope.ADMIN, routes::get));
          cfg.routes.put(ROUTING_PATH, guard.open(Scope.ADMIN, routes::put));
          cfg.routes.delete(ROUTING_PATH, guard.open(Scope.ADMIN, routes::delete));
          cfg.requestLogger.http(
              (ctx, millis) -> {
                String route = route(ctx);
                metrics.httpRequest(route, ctx.method().name(), ctx.statusCode());
                accessLog.log(ctx, route, millis);
              });
          cfg.events.serverStopped(pool::close);
          cfg.events.serverStopped(router::close);
          // Last: requests are done, so nothing more is offered while it drains.
          cfg.events.serverStopped(log::close);
          new ErrorResponder(mapper).register(cfg);
        });
  }

  /**
   * Threads for the API's concurrency limit plus a reserve, JSON errors from Jetty itself, and
   * graceful stop: on stop Jetty closes its listener and waits up to the grace period for requests
   * in flight. Jetty's job queue stays unbounded (Jetty warns that a bounded one breaks its own
   * selector tasks): admission control is the {@link ConcurrencyLimiter}, whose rejections take
   * microseconds, so the reserve threads keep the queue short and probes answered under overload.
   */
  private static void jetty(JavalinConfig cfg, ServingConfig config, ObjectMapper mapper) {
    int maxThreads = config.limits().maxConcurrentRequests() + RESERVED_THREADS;
    QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads), 60_000);
    threads.setName("http");
    cfg.jetty.threadPool = threads;
    cfg.jetty.modifyServer(
        server -> {
          server.setErrorHandler(new JettyErrors(mapper));
          server.insertHandler(new GracefulHandler());
          // Jetty also closes connections that stay idle for 1 s during the stop (keep-alive pools
          // would otherwise hold it for the whole grace period); requests being handled are not
          // idle.
          server.setStopTimeout(config.shutdown().grace().toMillis());
        });
  }

  private static void metrics(Context ctx, ServingMetrics metrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    metrics.write(out);
    ctx.contentType(metrics.contentType()).result(out.toByteArray());
  }

  /**
   * The matched route template (bounded label values), or {@code unmatched} (Javalin's own 404 is
   * "*").
   */
  private static String route(Context ctx) {
    try {
      String path = ctx.endpoint() == null ? null : ctx.endpoint().path;
      return path == null || !path.startsWith("/") ? "unmatched" : path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ServingApp.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Wraps route handlers with authentication and, for API routes, the concurrency limit. */
  private record Guard(
      AccessControl access, ConcurrencyLimiter limiter, ServingMetrics metrics, JsonBodies bodies) {

    Handler open(Scope scope, Handler handler) {
      return ctx -> {
        access.require(ctx, scope);
        handler.handle(ctx);
      };
    }

    /**
     * The body is read before the permit is taken: a slow upload holds a Jetty thread (of which
     * there are more) but no permit, so slow clients cannot block the API.
     */
    Handler limitedWithBody(Scope scope, Handler handler) {
      Handler limited = limited(scope, handler, false);
      return ctx -> {
        access.require(ctx, scope);
        bodies.readAhead(ctx);
        limited.handle(ctx);
      };
    }

    Handler limited(Scope scope, Handler handler) {
      return limited(scope, handler, true);
    }

    private Handler limited(Scope scope, Handler handler, boolean authenticate) {
      return ctx -> {
        if (authenticate) {
          access.require(ctx, scope);
        }
        if (!limiter.tryAcquire()) {
          metrics.rejected(ErrorKind.OVERLOADED.code());
          throw new ApiException(
              ErrorKind.OVERLOADED, "too many requests in flight; retry shortly");
        }
        try {
          handler.handle(ctx);
        } finally {
          limiter.release();
        }
      };
    }
  }
}
