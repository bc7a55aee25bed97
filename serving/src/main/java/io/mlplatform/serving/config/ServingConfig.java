package io.mlplatform.serving.config;

import io.mlplatform.serving.auth.ApiKey;
import io.mlplatform.serving.routing.RoutingRule;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration of one serving process, loaded once at start by {@link ConfigLoader}.
 * conf/serving.yaml documents every key; its values are these defaults (a test keeps them equal).
 *
 * @param host bind address
 * @param port TCP port; 0 picks a free one (tests)
 * @param store model store location: a local path or a Hadoop URI (file://, hdfs://, s3a://)
 * @param limits what one request and the whole process may take
 * @param unknownFields what to do with instance fields the model does not know
 * @param auth API keys and whether they are required
 * @param models how versions are found, checked and warmed up
 * @param fallback when the default route falls back to the previous version
 * @param shutdown how SIGTERM drains the process
 * @param accessLogSampleRate share of successful requests written to the access log, 0 to 1
 * @param routing canary and shadow rules per model, and the shadow executor's bounds
 * @param monitoring drift monitoring and feedback
 * @param benchEchoEnabled whether {@code POST /v1/bench/echo} exists (benchmarks only; off by default)
 */
public record ServingConfig(
    String host,
    int port,
    String store,
    Limits limits,
    UnknownFields unknownFields,
    Auth auth,
    Models models,
    Fallback fallback,
    Shutdown shutdown,
    double accessLogSampleRate,
    Routing routing,
    Monitoring monitoring,
    boolean benchEchoEnabled) {

  // Loopback by default: exposing a model to the network should be a deliberate act.
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_STORE = "./model-store";

  /**
   * @param maxInstancesPerRequest most instances one predict request may carry
   * @param maxBodyBytes largest request body accepted, in bytes
   * @param requestTimeout longest a predict request may take before it is answered 503
   * @param maxConcurrentRequests API requests handled at once; more get a fast 503
   * @param scoringThreads threads that run models; 0 means one per CPU core
   */
  public record Limits(
      int maxInstancesPerRequest,
      long maxBodyBytes,
      Duration requestTimeout,
      int maxConcurrentRequests,
      int scoringThreads) {

    public static final Limits DEFAULTS = new Limits(
        1000, // bounds the work of one request; larger batches should be split by the caller
        1_000_000L, // about 1000 instances of ~1 KB each; raise it together with the instance cap
        Duration.ofSeconds(10), // a 1000-row batch takes milliseconds; 10 s means something is wrong
        64, // on 2 cores a single-row request takes ~40 us of CPU: 64 in flight is already a queue
        0);

    /** Scoring threads after resolving 0 to the number of cores. */
    public int effectiveScoringThreads() {
      return scoringThreads > 0 ? scoringThreads : Runtime.getRuntime().availableProcessors();
    }
  }

  /** @param enabled false only for local use: every endpoint is then open to anyone who can connect */
  public record Auth(boolean enabled, List<ApiKey> keys) {
    public Auth {
      keys = List.copyOf(keys);
    }

    public static final Auth DEFAULTS = new Auth(true, List.of());
    public static final Auth DISABLED = new Auth(false, List.of());
  }

  /**
   * @param pollInterval how often the store is read for new versions and alias changes; zero
   *     turns polling off (then only start-up and {@code POST /v1/admin/reload} read it)
   * @param selfTest whether a version must reproduce its reference rows before it serves
   * @param selfTestTolerance largest difference from training's outputs that still passes
   * @param warmupRows single-row scorings run on a new version before it takes traffic
   * @param maxBundleBytes most bytes a bundle may expand to; stops zip bombs before MLeap reads them
   * @param maxBundleEntries most entries a bundle zip may have
   */
  public record Models(
      Duration pollInterval,
      SelfTestMode selfTest,
      double selfTestTolerance,
      int warmupRows,
      long maxBundleBytes,
      int maxBundleEntries) {

    public static final Models DEFAULTS = new Models(
        Duration.ofSeconds(30),
        SelfTestMode.REQUIRED,
        1e-9, // the platform's parity claim: probabilities within 1e-9 of Spark's
        1000, // ~50 ms for a GBT pipeline; enough for the JIT to compile the scoring path
        1L << 30, // 1 GiB expanded: far above any tree ensemble trained here (tens of KB)
        10_000); // a pipeline of n stages has ~3n entries
  }

  /**
   * @param errorRate share of failed requests in the window above which the default route falls
   *     back to the version it served before; 1 turns fallback off (a rate cannot exceed 1)
   * @param window how far back the error rate looks
   * @param minRequests requests the window must hold before the rate is trusted
   */
  public record Fallback(double errorRate, Duration window, int minRequests) {
    public static final Fallback DEFAULTS = new Fallback(0.5, Duration.ofSeconds(60), 20);
  }

  /**
   * @param delay time between readiness turning 503 and the listener closing, so that load
   *     balancers stop sending new requests before the server stops accepting them
   * @param grace most time in-flight requests get to finish after that; the process then exits
   */
  public record Shutdown(Duration delay, Duration grace) {
    public static final Shutdown DEFAULTS = new Shutdown(Duration.ofSeconds(2), Duration.ofSeconds(30));
  }

  /**
   * @param models rule per model name; none by default
   * @param shadowThreads threads that score shadow copies, apart from the request and scoring threads
   * @param shadowQueue shadow copies waiting for a thread at most; beyond it copies are dropped and counted
   */
  public record Routing(Map<String, RoutingRule> models, int shadowThreads, int shadowQueue) {
    public Routing {
      models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    }

    public static final Routing DEFAULTS = new Routing(Map.of(),
        1, // shadow work is a side job: one thread keeps it from taking more than a core from requests
        100); // ~100 single-row copies is a few ms of work; a longer queue only compares stale traffic
  }

  /** Configuration without a monitoring section: the monitoring defaults. */
  public ServingConfig(String host, int port, String store, Limits limits, UnknownFields unknownFields, Auth auth,
      Models models, Fallback fallback, Shutdown shutdown, double accessLogSampleRate, Routing routing) {
    this(host, port, store, limits, unknownFields, auth, models, fallback, shutdown, accessLogSampleRate, routing,
        Monitoring.DEFAULTS, false);
  }

  /**
   * @param window live rows per model version the drift statistics cover (the last N scored rows)
   * @param alertThreshold PSI at or above which a feature or the predictions are flagged and logged
   * @param minRows live rows the window must hold before PSI is reported (fewer give noise)
   * @param feedbackRetention how long a request's predictions wait for ground truth
   * @param feedbackMaxRequests most requests whose predictions are kept for feedback, per process
   * @param feedbackWindow the recent feedback metric covers a version's last N feedbacks
   */
  public record Monitoring(int window, double alertThreshold, int minRows, Duration feedbackRetention,
      int feedbackMaxRequests, int feedbackWindow) {
    public static final Monitoring DEFAULTS = new Monitoring(
        10_000, // ~10 rows per bin even for a 1 % bin; 4 bytes per feature per row
        0.2, // the usual "significant shift" line; 0.1-0.2 is "watch"
        500, // PSI of two samples of the same distribution stays below ~0.05 from about 500 rows
        Duration.ofHours(1),
        100_000, // ~100 bytes each: at most ~10 MB
        1_000); // a drop of a few points of accuracy stands out from the noise of 1,000 labels
  }

  /** Built-in defaults. Auth is on and has no keys: a start with these values alone is refused. */
  public static ServingConfig defaults() {
    return new ServingConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_STORE, Limits.DEFAULTS, UnknownFields.IGNORE,
        Auth.DEFAULTS, Models.DEFAULTS, Fallback.DEFAULTS, Shutdown.DEFAULTS, 1.0, Routing.DEFAULTS,
        Monitoring.DEFAULTS, false); // the echo route is a benchmark baseline, not an API
  }

  /** Defaults without auth, for tests and local experiments. */
  public static ServingConfig local() {
    return defaults().withAuth(Auth.DISABLED);
  }

  public ServingConfig withPort(int newPort) {
    return new ServingConfig(host, newPort, store, limits, unknownFields, auth, models, fallback, shutdown,
        accessLogSampleRate, routing, monitoring, benchEchoEnabled);
  }

  public ServingConfig withStore(String newStore) {
    return new ServingConfig(host, port, newStore, limits, unknownFields, auth, models, fallback, shutdown,
        accessLogSampleRate, routing, monitoring, benchEchoEnabled);
  }

  public ServingConfig withUnknownFields(UnknownFields mode) {
    return new ServingConfig(host, port, store, limits, mode, auth, models, fallback, shutdown,
        accessLogSampleRate, routing, monitoring, benchEchoEnabled);
  }

  public ServingConfig withLimits(int maxInstances, long maxBytes) {
    return withLimits(new Limits(maxInstances, maxBytes, limits.requestTimeout(), limits.maxConcurrentRequests(),
        limits.scoringThreads()));
  }

  public ServingConfig withLimits(Limits newLimits) {
    return new ServingConfig(host, port, store, newLimits, unknownFields, auth, models, fallback, shutdown,
        accessLogSampleRate, routing, monitoring, benchEchoEnabled);
  }

  public ServingConfig withAuth(Auth newAuth) {
    return new ServingConfig(host, port, store, limits, unknownFields, newAuth, models, fallback, shutdown,
        accessLogSampleRate, routing, monitoring, benchEchoEnabled);
  }

  public ServingConfig withModels(Models newModels) {
    return new ServingConfig(host, port, store, limits, unknownFields, auth, newModels, fallback, shutdown,
        accessLogSampleRate, routing, monitoring, benchEchoEnabled);
  }

  public ServingConfig withFallback(Fallback newFallback) {
    return new ServingConfig(host, port, store, limits, unknownFields, auth, models, newFallback, shutdown,
        accessLogSampleRate, routing, monitoring, benchEchoEnabled);
  }

  public ServingConfig withShutdown(Shutdown newShutdown) {
    return new ServingConfig(host, port, store, limits, unknownFields, auth, models, fallback, newShutdown,
        accessLogSampleRate, routing, monitoring, benchEchoEnabled);
  }

  public ServingConfig withRouting(Routing newRouting) {
    return new ServingConfig(host, port, store, limits, unknownFields, auth, models, fallback, shutdown,
        accessLogSampleRate, newRouting, monitoring, benchEchoEnabled);
  }

  public ServingConfig withAccessLogSampleRate(double rate) {
    return new ServingConfig(host, port, store, limits, unknownFields, auth, models, fallback, shutdown, rate,
        routing, monitoring, benchEchoEnabled);
  }

  public ServingConfig withMonitoring(Monitoring newMonitoring) {
    return new ServingConfig(host, port, store, limits, unknownFields, auth, models, fallback, shutdown,
        accessLogSampleRate, routing, newMonitoring, benchEchoEnabled);
  }

  public ServingConfig withBenchEchoEnabled(boolean enabled) {
    return new ServingConfig(host, port, store, limits, unknownFields, auth, models, fallback, shutdown,
        accessLogSampleRate, routing, monitoring, enabled);
  }
}
