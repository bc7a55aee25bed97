package io.mlplatform.serving.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns raw settings into typed values, adding one error per bad key instead of stopping. */
final class ConfigValues {

  /** A raw value and where it came from, for error messages. */
  record Setting(JsonNode value, String source) {}

  // Upper bounds guard against typos (an extra zero) that would let one request exhaust memory.
  private static final long MAX_INSTANCES_LIMIT = 1_000_000L;
  private static final long MAX_BODY_LIMIT = 1L << 30;

  private final Map<String, Setting> settings;
  private final List<String> errors;

  ConfigValues(Map<String, Setting> settings, List<String> errors) {
    this.settings = settings;
    this.errors = errors;
  }

  ServingConfig toConfig() {
    ServingConfig d = ServingConfig.defaults();
    return new ServingConfig(
        text(ConfigKeys.HOST, d.host()),
        (int) integer(ConfigKeys.PORT, d.port(), 0, 65_535),
        text(ConfigKeys.STORE_URI, d.storeUri()),
        (int) integer(ConfigKeys.MAX_INSTANCES, d.maxInstancesPerRequest(), 1, MAX_INSTANCES_LIMIT),
        integer(ConfigKeys.MAX_BODY_BYTES, d.maxBodyBytes(), 1, MAX_BODY_LIMIT),
        unknownFields(d.unknownFields()));
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

  private UnknownFields unknownFields(UnknownFields fallback) {
    Setting s = settings.get(ConfigKeys.UNKNOWN_FIELDS);
    if (s == null) {
      return fallback;
    }
    String v = s.value().isTextual() ? s.value().asText().trim().toUpperCase(Locale.ROOT) : "";
    for (UnknownFields mode : UnknownFields.values()) {
      if (mode.name().equals(v)) {
        return mode;
      }
    }
    fail(ConfigKeys.UNKNOWN_FIELDS, s, "must be one of " + Arrays.toString(UnknownFields.values()));
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
