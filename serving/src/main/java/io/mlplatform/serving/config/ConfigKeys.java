package io.mlplatform.serving.config;

import java.util.List;

/** The keys of conf/serving.yaml, which errors name so an operator can find the line to fix. */
public final class ConfigKeys {

  public static final String HOST = "host";
  public static final String PORT = "port";
  public static final String STORE = "store";
  public static final String MAX_INSTANCES = "maxInstancesPerRequest";
  public static final String MAX_BODY_BYTES = "maxBodyBytes";
  public static final String REQUEST_TIMEOUT = "requestTimeout";
  public static final String MAX_CONCURRENT = "maxConcurrentRequests";
  public static final String SCORING_THREADS = "scoringThreads";
  public static final String INLINE_SCORING_MAX_INSTANCES = "inlineScoringMaxInstances";
  public static final String UNKNOWN_FIELDS = "unknownFields";
  public static final String AUTH_ENABLED = "authEnabled";
  public static final String API_KEYS = "apiKeys";
  public static final String POLL_INTERVAL = "pollInterval";
  public static final String SELF_TEST = "selfTest";
  public static final String SELF_TEST_TOLERANCE = "selfTestTolerance";
  public static final String WARMUP_ROWS = "warmupRows";
  public static final String MAX_BUNDLE_BYTES = "maxBundleBytes";
  public static final String MAX_BUNDLE_ENTRIES = "maxBundleEntries";
  public static final String FALLBACK_ERROR_RATE = "fallbackErrorRate";
  public static final String FALLBACK_WINDOW = "fallbackWindow";
  public static final String FALLBACK_MIN_REQUESTS = "fallbackMinRequests";
  public static final String SHUTDOWN_DELAY = "shutdownDelay";
  public static final String SHUTDOWN_GRACE = "shutdownGrace";
  public static final String ACCESS_LOG_SAMPLE_RATE = "accessLogSampleRate";
  public static final String ROUTING = "routing";
  public static final String SHADOW_THREADS = "shadowThreads";
  public static final String SHADOW_QUEUE = "shadowQueue";
  public static final String MONITORING_WINDOW = "monitoringWindow";
  public static final String BENCH_ECHO_ENABLED = "benchEchoEnabled";
  public static final String DRIFT_ALERT_THRESHOLD = "driftAlertThreshold";
  public static final String DRIFT_MIN_ROWS = "driftMinRows";
  public static final String FEEDBACK_RETENTION = "feedbackRetention";
  public static final String FEEDBACK_MAX_REQUESTS = "feedbackMaxRequests";
  public static final String FEEDBACK_WINDOW = "feedbackWindow";
  public static final String FEEDBACK_MAX_BYTES = "feedbackMaxBytes";
  public static final String FEEDBACK_SIGNING_KEY = "feedbackSigningKey";
  public static final String PREDICTION_LOG = "predictionLog";

  public static final List<String> ALL =
      List.of(
          HOST,
          PORT,
          STORE,
          MAX_INSTANCES,
          MAX_BODY_BYTES,
          REQUEST_TIMEOUT,
          MAX_CONCURRENT,
          SCORING_THREADS,
          INLINE_SCORING_MAX_INSTANCES,
          UNKNOWN_FIELDS,
          AUTH_ENABLED,
          API_KEYS,
          POLL_INTERVAL,
          SELF_TEST,
          SELF_TEST_TOLERANCE,
          WARMUP_ROWS,
          MAX_BUNDLE_BYTES,
          MAX_BUNDLE_ENTRIES,
          FALLBACK_ERROR_RATE,
          FALLBACK_WINDOW,
          FALLBACK_MIN_REQUESTS,
          SHUTDOWN_DELAY,
          SHUTDOWN_GRACE,
          ACCESS_LOG_SAMPLE_RATE,
          ROUTING,
          SHADOW_THREADS,
          SHADOW_QUEUE,
          MONITORING_WINDOW,
          DRIFT_ALERT_THRESHOLD,
          DRIFT_MIN_ROWS,
          FEEDBACK_RETENTION,
          FEEDBACK_MAX_REQUESTS,
          FEEDBACK_WINDOW,
          FEEDBACK_MAX_BYTES,
          FEEDBACK_SIGNING_KEY,
          PREDICTION_LOG,
          BENCH_ECHO_ENABLED);

  private ConfigKeys() {}
}
