package io.mlplatform.serving.config;

import io.mlplatform.config.RenamedKeys;
import java.util.Map;

/**
 * Names that were renamed, so an old spelling is refused with the new one named instead of being
 * silently ignored (an ignored store or API key would start the process with the wrong one). The
 * file's keys use the shared {@link RenamedKeys} rule of every config; the environment variables
 * are serving's own.
 */
final class RenamedSettings {

  /** Old config-file key to its new name. */
  static final RenamedKeys KEYS = RenamedKeys.of("storeUri", ConfigKeys.STORE);

  /**
   * Old environment variable to its new name; HOST is not here: shells set it, so it is just
   * ignored.
   */
  static final Map<String, String> VARIABLES =
      Map.of(
          "MODEL_STORE", "MLPLATFORM_STORE",
          "SERVING_API_KEYS", "MLPLATFORM_API_KEYS",
          "SERVING_AUTH_ENABLED", "MLPLATFORM_AUTH_ENABLED");

  private RenamedSettings() {}

  /**
   * {@code storeUri: key 'storeUri' was renamed to 'store' (in FILE)}, or null when the key was not
   * renamed.
   */
  static String keyMessage(String key, String source) {
    return KEYS.problem("", key)
        .map(problem -> key + ": " + problem + " (in " + source + ")")
        .orElse(null);
  }

  /** The error for a renamed variable that is set, or null when it was not renamed. */
  static String variableMessage(String variable) {
    String renamed = VARIABLES.get(variable);
    return renamed == null
        ? null
        : "environment variable "
            + variable
            + " was renamed to "
            + renamed
            + ": set "
            + renamed
            + " instead and unset "
            + variable;
  }
}
