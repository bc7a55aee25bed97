package io.mlplatform.serving.config;

import io.mlplatform.serving.auth.ApiKey;
import java.util.List;

/**
 * The auth keys of serving.yaml: API keys and whether they are required.
 *
 * @param enabled false only for local use: every endpoint is then open to anyone who can connect
 */
public record AuthSection(boolean enabled, List<ApiKey> keys) {
  public AuthSection {
    keys = List.copyOf(keys);
  }

  public static final AuthSection DEFAULTS = new AuthSection(true, List.of());
  public static final AuthSection DISABLED = new AuthSection(false, List.of());
}
