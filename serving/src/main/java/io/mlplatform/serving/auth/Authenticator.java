package io.mlplatform.serving.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured keys in constant time.
 *
 * <p>Every key is compared, whichever matches, and the comparison is of SHA-256 digests with {@link
 * MessageDigest#isEqual}: the time taken says nothing about how much of a guess was right, nor
 * about the length of any key.
 */
public final class Authenticator {

  private static final String BEARER = "bearer ";

  private record Entry(Principal principal, byte[] digest) {}

  private final boolean enabled;
  private final List<Entry> entries;

  public Authenticator(boolean enabled, List<ApiKey> keys) {
    this.enabled = enabled;
    this.entries =
        keys.stream()
            .map(k -> new Entry(new Principal(k.name(), k.scopes()), sha256(k.secret())))
            .toList();
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * @param authorization the request's {@code Authorization} header, or null
   * @return who the caller is; empty when auth is on and the header names no configured key
   */
  public Optional<Principal> authenticate(String authorization) {
    if (!enabled) {
      return Optional.of(Principal.ANONYMOUS_ADMIN);
    }
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
    Principal found = null;
    for (Entry entry : entries) {
      // No early exit: the loop's duration must not depend on which key matched.
      if (MessageDigest.isEqual(entry.digest(), presented)) {
        found = entry.principal();
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
