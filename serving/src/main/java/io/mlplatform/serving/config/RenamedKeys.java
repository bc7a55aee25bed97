package io.mlplatform.serving.config;

import java.util.Map;

/**
 * Names that were renamed, so an old spelling is refused with the new one named instead of being
 * silently ignored (an ignored store or API key would start the process with the wrong one).
 * Stays local to serving until a shared {@code io.mlplatform.config.RenamedKeys} replaces it.
 */
final class RenamedKeys {

  /** Old config-file key to its new name. */
  static final Map<String, String> KEYS = Map.of("storeUri", ConfigKeys.STORE);

  /** Old environment variable to its new name; HOST is not here: shells set it, so it is just ignored. */
  static final Map<String, String> VARIABLES = Map.of(
      "MODEL_STORE", "MLPLATFORM_STORE",
      "SERVING_API_KEYS", "MLPLATFORM_API_KEYS",
      "SERVING_AUTH_ENABLED", "MLPLATFORM_AUTH_ENABLED");

  private RenamedKeys() {}

  /** {@code storeUri: key 'storeUri' was renamed to 'store' (in FILE)}, or null when the key was not renamed. */
  static String keyMessage(String key, String source) {
    String renamed = KEYS.get(key);
    return renamed == null ? null
        : key + ": key '" + key + "' was renamed to '" + renamed + "' (in " + source + ")";
  }

  /** The error for a renamed variable that is set, or null when it was not renamed. */
  static String variableMessage(String variable) {
    String renamed = VARIABLES.get(variable);
    return renamed == null ? null : "environment variable " + variable + " was renamed to " + renamed + ": set "
        + renamed + " instead and unset " + variable;
  }
}
