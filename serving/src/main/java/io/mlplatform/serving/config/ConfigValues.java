package io.mlplatform.serving.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.config.Durations;
import io.mlplatform.serving.auth.ApiKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns raw settings into typed values, adding one error per bad key instead of stopping. */
final class ConfigValues {

  /** A raw value and where it came from, for error messages. */
  record Setting(JsonNode value, String source) {}

  // Upper bounds guard against typos (an extra zero) that would let one request exhaust memory.
  private static final long MAX_INSTANCES_LIMIT = 1_000_000L;
  private static final long MAX_BODY_LIMIT = 1L << 30;
  private static final long MAX_BUNDLE_LIMIT = 1L << 40;
  private static final Duration MAX_DURATION = Duration.ofHours(24);

  private final Map<String, Setting> settings;
  private final List<String> errors;

  ConfigValues(Map<String, Setting> settings, List<String> errors) {
    this.settings = settings;
    this.errors = errors;
  }

  ServingConfig toConfig() {
    ServingConfig d = ServingConfig.defaults();
    LimitsSection dl = d.limits();
    ModelsSection dm = d.models();
    FallbackSection df = d.fallback();
    ShutdownSection ds = d.shutdown();
    LimitsSection limits =
        new LimitsSection(
            (int)
                integer(
                    ConfigKeys.MAX_INSTANCES, dl.maxInstancesPerRequest(), 1, MAX_INSTANCES_LIMIT),
            integer(ConfigKeys.MAX_BODY_BYTES, dl.maxBodyBytes(), 1, MAX_BODY_LIMIT),
            duration(ConfigKeys.REQUEST_TIMEOUT, dl.requestTimeout(), Duration.ofMillis(1)),
            (int) integer(ConfigKeys.MAX_CONCURRENT, dl.maxConcurrentRequests(), 1, 10_000),
            (int) integer(ConfigKeys.SCORING_THREADS, dl.scoringThreads(), 0, 1024),
            (int)
                integer(
                    ConfigKeys.INLINE_SCORING_MAX_INSTANCES,
                    dl.inlineScoringMaxInstances(),
                    0,
                    MAX_INSTANCES_LIMIT));
    ModelsSection models =
        new ModelsSection(
            duration(ConfigKeys.POLL_INTERVAL, dm.pollInterval(), Duration.ZERO),
            choice(ConfigKeys.SELF_TEST, SelfTestMode.class, dm.selfTest()),
            decimal(ConfigKeys.SELF_TEST_TOLERANCE, dm.selfTestTolerance(), 0, 1),
            (int) integer(ConfigKeys.WARMUP_ROWS, dm.warmupRows(), 0, 1_000_000),
            integer(ConfigKeys.MAX_BUNDLE_BYTES, dm.maxBundleBytes(), 1, MAX_BUNDLE_LIMIT),
            (int) integer(ConfigKeys.MAX_BUNDLE_ENTRIES, dm.maxBundleEntries(), 1, 1_000_000));
    FallbackSection fallback =
        new FallbackSection(
            positiveRate(ConfigKeys.FALLBACK_ERROR_RATE, df.errorRate()),
            duration(ConfigKeys.FALLBACK_WINDOW, df.window(), Duration.ofSeconds(1)),
            (int) integer(ConfigKeys.FALLBACK_MIN_REQUESTS, df.minRequests(), 1, 1_000_000));
    ShutdownSection shutdown =
        new ShutdownSection(
            duration(ConfigKeys.SHUTDOWN_DELAY, ds.delay(), Duration.ZERO),
            duration(ConfigKeys.SHUTDOWN_GRACE, ds.grace(), Duration.ZERO));
    return new ServingConfig(
        text(ConfigKeys.HOST, d.host()),
        (int) integer(ConfigKeys.PORT, d.port(), 0, 65_535),
        text(ConfigKeys.STORE, d.store()),
        limits,
        choice(ConfigKeys.UNKNOWN_FIELDS, UnknownFields.class, d.unknownFields()),
        auth(),
        models,
        fallback,
        shutdown,
        decimal(ConfigKeys.ACCESS_LOG_SAMPLE_RATE, d.accessLogSampleRate(), 0, 1),
        routing(d.routing()),
        monitoring(d.monitoring()),
        bool(ConfigKeys.BENCH_ECHO_ENABLED, d.benchEchoEnabled()),
        predictionLog(d.predictionLog()));
  }

  /**
   * The {@code predictionLog} mapping. Its fields are read with the same checks as top-level keys,
   * under their dotted names ({@code predictionLog.sampleRate}), so errors name them that way.
   */
  private PredictionLogSection predictionLog(PredictionLogSection d) {
    Setting section = settings.get(ConfigKeys.PREDICTION_LOG);
    if (section == null || section.value().isNull()) {
      return d;
    }
    if (!section.value().isObject()) {
      fail(
          ConfigKeys.PREDICTION_LOG,
          section,
          "must be a mapping such as {enabled: true, uri: hdfs://namenode:8020/predictions}");
      return d;
    }
    String prefix = ConfigKeys.PREDICTION_LOG + ".";
    Map<String, Setting> fields = new LinkedHashMap<>();
    section
        .value()
        .fields()
        .forEachRemaining(
            e -> {
              if (PredictionLogKeys.ALL.contains(e.getKey())) {
                fields.put(prefix + e.getKey(), new Setting(e.getValue(), section.source()));
              } else {
                errors.add(
                    prefix
                        + e.getKey()
                        + ": unknown key (known: "
                        + String.join(", ", PredictionLogKeys.ALL)
                        + ") (from "
                        + section.source()
                        + ")");
              }
            });
    ConfigValues nested = new ConfigValues(fields, errors);
    boolean enabled = nested.bool(prefix + PredictionLogKeys.ENABLED, d.enabled());
    String uri = nested.text(prefix + PredictionLogKeys.URI, d.uri());
    if (uri != null) {
      String problem = PredictionLogKeys.uriProblem(uri);
      if (problem != null) {
        nested.fail(
            prefix + PredictionLogKeys.URI, fields.get(prefix + PredictionLogKeys.URI), problem);
      }
    } else if (enabled) {
      errors.add(
          prefix
              + PredictionLogKeys.URI
              + ": is required when "
              + prefix
              + PredictionLogKeys.ENABLED
              + " is true: a directory such as hdfs://namenode:8020/predictions or"
              + " file:///var/lib/mlplatform/predictions (from "
              + section.source()
              + ")");
    }
    String replica = nested.text(prefix + PredictionLogKeys.REPLICA, d.replica());
    if (replica != null && !PredictionLogKeys.REPLICA_NAME.matcher(replica).matches()) {
      nested.fail(
          prefix + PredictionLogKeys.REPLICA,
          fields.get(prefix + PredictionLogKeys.REPLICA),
          "must be 1-128 of A-Z a-z 0-9 . _ - (it is part of file names)");
      replica = d.replica();
    }
    return new PredictionLogSection(
        enabled,
        uri,
        nested.decimal(prefix + PredictionLogKeys.SAMPLE_RATE, d.sampleRate(), 0, 1),
        nested.names(prefix + PredictionLogKeys.REDACT, d.redact()),
        nested.namesByModel(prefix + PredictionLogKeys.REDACT_MODELS, d.redactModels()),
        nested.integer(prefix + PredictionLogKeys.ROLL_BYTES, d.rollBytes(), 1024, 1L << 40),
        nested.duration(
            prefix + PredictionLogKeys.ROLL_INTERVAL, d.rollInterval(), Duration.ofSeconds(1)),
        (int)
            nested.integer(
                prefix + PredictionLogKeys.QUEUE_INSTANCES, d.queueInstances(), 1, 10_000_000),
        replica);
  }

  /** A list of field names. */
  private List<String> names(String key, List<String> fallback) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    List<String> names = new ArrayList<>();
    if (s.value().isArray()) {
      for (JsonNode n : s.value()) {
        if (!n.isTextual() || n.asText().isEmpty()) {
          names = null;
          break;
        }
        names.add(n.asText());
      }
    } else {
      names = null;
    }
    if (names == null) {
      fail(key, s, "must be a list of field names such as [email, phone]");
      return fallback;
    }
    return names;
  }

  /** A mapping of model name to a list of field names. */
  private Map<String, List<String>> namesByModel(String key, Map<String, List<String>> fallback) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    if (!s.value().isObject()) {
      fail(key, s, "must be a mapping of model name to field names such as {penguins: [Island]}");
      return fallback;
    }
    Map<String, List<String>> byModel = new LinkedHashMap<>();
    s.value()
        .fields()
        .forEachRemaining(
            e -> {
              List<String> fields =
                  names(key + "." + e.getKey(), e.getValue(), s.source(), List.of());
              byModel.put(e.getKey(), fields);
            });
    return byModel;
  }

  private List<String> names(String key, JsonNode value, String source, List<String> fallback) {
    return new ConfigValues(Map.of(key, new Setting(value, source)), errors).names(key, fallback);
  }

  private RoutingSection routing(RoutingSection d) {
    Setting rules = settings.get(ConfigKeys.ROUTING);
    return new RoutingSection(
        rules == null
            ? d.models()
            : RuleParser.rules(rules.value(), ConfigKeys.ROUTING, rules.source(), errors),
        (int) integer(ConfigKeys.SHADOW_THREADS, d.shadowThreads(), 1, 64),
        (int) integer(ConfigKeys.SHADOW_QUEUE, d.shadowQueue(), 1, 100_000));
  }

  private MonitoringSection monitoring(MonitoringSection dm) {
    int window = (int) integer(ConfigKeys.MONITORING_WINDOW, dm.window(), 100, 10_000_000);
    int minRows = (int) integer(ConfigKeys.DRIFT_MIN_ROWS, dm.minRows(), 1, 10_000_000);
    if (minRows > window) {
      errors.add(
          ConfigKeys.DRIFT_MIN_ROWS
              + ": "
              + minRows
              + " is more than "
              + ConfigKeys.MONITORING_WINDOW
              + " ("
              + window
              + "): drift would never be reported");
    }
    return new MonitoringSection(
        window,
        decimal(ConfigKeys.DRIFT_ALERT_THRESHOLD, dm.alertThreshold(), 0.001, 100),
        minRows,
        duration(ConfigKeys.FEEDBACK_RETENTION, dm.feedbackRetention(), Duration.ofSeconds(1)),
        (int) integer(ConfigKeys.FEEDBACK_MAX_REQUESTS, dm.feedbackMaxRequests(), 0, 10_000_000),
        (int) integer(ConfigKeys.FEEDBACK_WINDOW, dm.feedbackWindow(), 1, 1_000_000),
        integer(ConfigKeys.FEEDBACK_MAX_BYTES, dm.feedbackMaxBytes(), 0, MAX_BODY_LIMIT),
        signingKeys(dm.feedbackSigningKeys()));
  }

  /**
   * {@code new,old}: the first signs, all verify. A bad key is described by its position and
   * length, never shown: it is a secret.
   */
  private FeedbackSigningKeys signingKeys(FeedbackSigningKeys fallback) {
    Setting s = settings.get(ConfigKeys.FEEDBACK_SIGNING_KEY);
    if (s == null) {
      return fallback;
    }
    String text = s.value().isTextual() ? s.value().asText().trim() : null;
    if (text == null || text.isEmpty()) {
      errors.add(
          ConfigKeys.FEEDBACK_SIGNING_KEY
              + ": must be a non-empty string (from "
              + s.source()
              + ")");
      return fallback;
    }
    String[] keys = text.split(",", -1);
    List<String> good = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      String key = keys[i].trim();
      if (FeedbackSigningKeys.KEY.matcher(key).matches()) {
        good.add(key);
        continue;
      }
      errors.add(
          ConfigKeys.FEEDBACK_SIGNING_KEY
              + ": key "
              + (i + 1)
              + " of "
              + keys.length
              + " has "
              + key.length()
              + " characters; each key (comma-separated, the first signs) must be 32-512"
              + " characters of A-Z a-z 0-9 . _ ~ + / = -, such as the output of openssl rand"
              + " -hex 32 (from "
              + s.source()
              + ")");
    }
    return good.size() == keys.length ? new FeedbackSigningKeys(good) : fallback;
  }

  private AuthSection auth() {
    boolean enabled = bool(ConfigKeys.AUTH_ENABLED, AuthSection.DEFAULTS.enabled());
    int before = errors.size();
    List<ApiKey> keys = ApiKeys.parse(settings.get(ConfigKeys.API_KEYS), errors);
    boolean keysInvalid = errors.size() > before;
    Set<String> names = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (ApiKey key : keys) {
      if (!names.add(key.name())) {
        errors.add(ConfigKeys.API_KEYS + ": a name is used twice" + ApiKeys.shown(key.name()));
      }
      if (!secrets.add(key.secret())) {
        errors.add(
            ConfigKeys.API_KEYS + ": two keys have the same secret" + ApiKeys.shown(key.name()));
      }
    }
    if (enabled && keys.isEmpty() && !keysInvalid) {
      // Refusing to start beats serving an open API by accident.
      errors.add(
          ConfigKeys.API_KEYS
              + ": auth is on but no API key is configured; set MLPLATFORM_API_KEYS"
              + " (name:scope+scope:secret,...), list apiKeys in the config file, or turn auth off for local use"
              + " with --no-auth or authEnabled: false");
    }
    return new AuthSection(enabled, keys);
  }

  private String text(String key, String fallback) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    if (!s.value().isTextual() || s.value().asText().isBlank()) {
      fail(key, s, "must be a non-empty string");
      return fallback;
    }
    return s.value().asText().trim();
  }

  private long integer(String key, long fallback, long min, long max) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    Long parsed = null;
    JsonNode v = s.value();
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      parsed = v.asLong();
    } else if (v.isTextual()) {
      try {
        parsed = Long.parseLong(v.asText().trim().replace("_", ""));
      } catch (NumberFormatException e) {
        parsed = null;
      }
    }
    if (parsed == null || parsed < min || parsed > max) {
      fail(key, s, "must be an integer from " + min + " to " + max);
      return fallback;
    }
    return parsed;
  }

  private double decimal(String key, double fallback, double min, double max) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    Double parsed = parseDouble(s.value());
    if (parsed == null || !(parsed >= min && parsed <= max)) {
      fail(key, s, "must be a number from " + min + " to " + max);
      return fallback;
    }
    return parsed;
  }

  /** A rate in (0, 1]: zero would make every error a fallback. */
  private double positiveRate(String key, double fallback) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    Double parsed = parseDouble(s.value());
    if (parsed == null || !(parsed > 0 && parsed <= 1)) {
      fail(key, s, "must be a number above 0 and at most 1 (1 turns fallback off)");
      return fallback;
    }
    return parsed;
  }

  private static Double parseDouble(JsonNode v) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      try {
        return Double.parseDouble(v.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private boolean bool(String key, boolean fallback) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    JsonNode v = s.value();
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    String text = v.isTextual() ? v.asText().trim().toLowerCase(Locale.ROOT) : "";
    if (text.equals("true") || text.equals("false")) {
      return text.equals("true");
    }
    fail(key, s, "must be true or false");
    return fallback;
  }

  /**
   * A duration written with its unit: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare 0
   * is zero.
   */
  private Duration duration(String key, Duration fallback, Duration min) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    Duration parsed = null;
    if (s.value().isValueNode()) {
      try {
        parsed = Durations.parse(s.value().asText());
      } catch (IllegalArgumentException e) {
        parsed = null;
      }
    }
    if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(MAX_DURATION) > 0) {
      fail(
          key,
          s,
          "must be a duration with a unit (ms, s, m, h) from "
              + min.toMillis()
              + "ms to 24h,"
              + " such as 500ms or 30s");
      return fallback;
    }
    return parsed;
  }

  private <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    String v =
        s.value().isTextual()
            ? s.value().asText().trim().toUpperCase(Locale.ROOT).replace('-', '_')
            : "";
    for (E mode : type.getEnumConstants()) {
      if (mode.name().equals(v)) {
        return mode;
      }
    }
    fail(key, s, "must be one of " + Arrays.toString(type.getEnumConstants()));
    return fallback;
  }

  private void fail(String key, Setting s, String problem) {
    String shown = s.value().isTextual() ? "'" + s.value().asText() + "'" : s.value().toString();
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    errors.add(key + ": " + problem + ", got " + shown + " (from " + s.source() + ")");
  }
}
