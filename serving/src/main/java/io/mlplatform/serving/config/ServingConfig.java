package io.mlplatform.serving.config;

/**
 * The whole configuration of one serving process, loaded and validated once at start by {@link
 * ConfigLoader}. conf/serving.yaml documents every key; its values are these defaults (a test keeps
 * them equal). Components get only their own section ({@link ModelsSection}, {@link LimitsSection},
 * ...), never this record: only the process's wiring (Main, Service, ServingApp) sees all of it.
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
 * @param benchEchoEnabled whether {@code POST /v1/bench/echo} exists (benchmarks only; off by
 *     default)
 * @param predictionLog sampled records of what was served, written to files (off by default)
 */
public record ServingConfig(
    String host,
    int port,
    String store,
    LimitsSection limits,
    UnknownFields unknownFields,
    AuthSection auth,
    ModelsSection models,
    FallbackSection fallback,
    ShutdownSection shutdown,
    double accessLogSampleRate,
    RoutingSection routing,
    MonitoringSection monitoring,
    boolean benchEchoEnabled,
    PredictionLogSection predictionLog) {

  // Loopback by default: exposing a model to the network should be a deliberate act.
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_STORE = "./model-store";

  /** Configuration without a monitoring section: the monitoring defaults. */
  public ServingConfig(
      String host,
      int port,
      String store,
      LimitsSection limits,
      UnknownFields unknownFields,
      AuthSection auth,
      ModelsSection models,
      FallbackSection fallback,
      ShutdownSection shutdown,
      double accessLogSampleRate,
      RoutingSection routing) {
    this(
        host,
        port,
        store,
        limits,
        unknownFields,
        auth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        MonitoringSection.DEFAULTS,
        false,
        PredictionLogSection.DEFAULTS);
  }

  /** Built-in defaults. Auth is on and has no keys: a start with these values alone is refused. */
  public static ServingConfig defaults() {
    return new ServingConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_STORE,
        LimitsSection.DEFAULTS,
        UnknownFields.IGNORE,
        AuthSection.DEFAULTS,
        ModelsSection.DEFAULTS,
        FallbackSection.DEFAULTS,
        ShutdownSection.DEFAULTS,
        1.0,
        RoutingSection.DEFAULTS,
        MonitoringSection.DEFAULTS,
        false, // the echo route is a benchmark baseline, not an API
        PredictionLogSection.DEFAULTS);
  }

  /** Defaults without auth, for tests and local experiments. */
  public static ServingConfig local() {
    return defaults().withAuth(AuthSection.DISABLED);
  }

  public ServingConfig withPort(int newPort) {
    return new ServingConfig(
        host,
        newPort,
        store,
        limits,
        unknownFields,
        auth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withStore(String newStore) {
    return new ServingConfig(
        host,
        port,
        newStore,
        limits,
        unknownFields,
        auth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withUnknownFields(UnknownFields mode) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        mode,
        auth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withLimits(int maxInstances, long maxBytes) {
    return withLimits(
        new LimitsSection(
            maxInstances,
            maxBytes,
            limits.requestTimeout(),
            limits.maxConcurrentRequests(),
            limits.scoringThreads(),
            limits.inlineScoringMaxInstances()));
  }

  public ServingConfig withLimits(LimitsSection newLimits) {
    return new ServingConfig(
        host,
        port,
        store,
        newLimits,
        unknownFields,
        auth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withAuth(AuthSection newAuth) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        unknownFields,
        newAuth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withModels(ModelsSection newModels) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        unknownFields,
        auth,
        newModels,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withFallback(FallbackSection newFallback) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        unknownFields,
        auth,
        models,
        newFallback,
        shutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withShutdown(ShutdownSection newShutdown) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        unknownFields,
        auth,
        models,
        fallback,
        newShutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withRouting(RoutingSection newRouting) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        unknownFields,
        auth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        newRouting,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withAccessLogSampleRate(double rate) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        unknownFields,
        auth,
        models,
        fallback,
        shutdown,
        rate,
        routing,
        monitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withMonitoring(MonitoringSection newMonitoring) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        unknownFields,
        auth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        newMonitoring,
        benchEchoEnabled,
        predictionLog);
  }

  public ServingConfig withBenchEchoEnabled(boolean enabled) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        unknownFields,
        auth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        enabled,
        predictionLog);
  }

  public ServingConfig withPredictionLog(PredictionLogSection newPredictionLog) {
    return new ServingConfig(
        host,
        port,
        store,
        limits,
        unknownFields,
        auth,
        models,
        fallback,
        shutdown,
        accessLogSampleRate,
        routing,
        monitoring,
        benchEchoEnabled,
        newPredictionLog);
  }
}
