package io.mlplatform.serving.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The keys that sign and verify feedback tokens ({@code feedbackSigningKey}): the first signs,
 * every one verifies, so a key can be rotated without refusing the tokens still out there. Every
 * replica of a fleet needs the same keys, or a token issued by one is refused by the others. Never
 * printed.
 */
public final class FeedbackSigningKeys {

  /**
   * 32-512 characters (openssl rand -hex 32 gives 64) of the API keys' alphabet, which has no
   * comma.
   */
  public static final Pattern KEY = Pattern.compile("[A-Za-z0-9._~+/=-]{32,512}");

  /** None configured: each process then signs with a random key of its own. */
  public static final FeedbackSigningKeys NONE = new FeedbackSigningKeys(List.of());

  private final List<String> keys;

  public FeedbackSigningKeys(List<String> keys) {
    for (String key : keys) {
      if (!KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("a feedback signing key must match " + KEY.pattern());
      }
    }
    this.keys = List.copyOf(keys);
  }

  public boolean configured() {
    return !keys.isEmpty();
  }

  /** The signing key first, then the keys kept only for verifying. */
  public List<byte[]> bytes() {
    return keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeedbackSigningKeys other && keys.equals(other.keys);
  }

  @Override
  public int hashCode() {
    return keys.hashCode();
  }

  /** Configs end up in logs: the count only. */
  @Override
  public String toString() {
    return "FeedbackSigningKeys[" + keys.size() + " key(s), redacted]";
  }
}
