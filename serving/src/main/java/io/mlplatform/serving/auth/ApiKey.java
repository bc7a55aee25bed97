package io.mlplatform.serving.auth;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One API key from the configuration.
 *
 * @param name who holds it (written to the access log instead of the key)
 * @param scopes what it may do
 * @param secret the bearer token itself; never logged, see {@link #toString()}
 */
public record ApiKey(String name, Set<Scope> scopes, String secret) {

  /** Names appear in logs; keep them to characters that need no escaping. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /**
   * Tokens: at least 16 characters (guessable keys are the commonest auth failure) of the RFC 6750
   * token alphabet minus the separators the environment format uses.
   */
  public static final Pattern SECRET = Pattern.compile("[A-Za-z0-9._~+/=-]{16,512}");

  public ApiKey {
    scopes = Set.copyOf(scopes);
  }

  /** The secret is redacted: records print every component, and configs end up in logs. */
  @Override
  public String toString() {
    return "ApiKey[name=" + name + ", scopes=" + scopes + ", secret=***]";
  }
}
