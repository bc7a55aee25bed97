package io.mlplatform.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Environment variables that were renamed to the one {@code MLPLATFORM_} prefix. One that is still
 * set is refused, never silently ignored: an ignored store or API key would start a process with
 * the wrong one. HOST is not here: shells set it, so it is simply no longer read.
 */
public final class RenamedVariables {

  /** Old name to new name, in name order. */
  public static final Map<String, String> RENAMED =
      new TreeMap<>(
          Map.of(
              "MODEL_STORE", "MLPLATFORM_STORE",
              "SERVING_API_KEYS", "MLPLATFORM_API_KEYS",
              "SERVING_AUTH_ENABLED", "MLPLATFORM_AUTH_ENABLED"));

  private RenamedVariables() {}

  /**
   * One refusal per renamed variable that is set, in name order; a blank value counts as unset, as
   * most shells and container runtimes treat it.
   */
  public static List<String> problems(Map<String, String> env) {
    return RENAMED.entrySet().stream()
        .filter(e -> env.get(e.getKey()) != null && !env.get(e.getKey()).isBlank())
        .map(
            e ->
                "environment variable "
                    + e.getKey()
                    + " was renamed to "
                    + e.getValue()
                    + ": set "
                    + e.getValue()
                    + " instead and unset "
                    + e.getKey())
        .toList();
  }
}
