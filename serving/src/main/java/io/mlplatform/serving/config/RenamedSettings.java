package io.mlplatform.serving.config;

import io.mlplatform.config.RenamedKeys;

/**
 * serving.yaml keys that were renamed, refused with the new one named by the shared {@link
 * RenamedKeys} rule of every config (renamed environment variables: {@code RenamedVariables}).
 */
final class RenamedSettings {

  /** Old config-file key to its new name. */
  static final RenamedKeys KEYS = RenamedKeys.of("storeUri", ConfigKeys.STORE);

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
}
