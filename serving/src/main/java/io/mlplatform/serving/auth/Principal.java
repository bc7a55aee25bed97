package io.mlplatform.serving.auth;

import java.util.Set;

/**
 * Who sent a request.
 *
 * @param name the key's name, or {@code anonymous} when auth is off
 * @param scopes what the caller may do
 */
public record Principal(String name, Set<Scope> scopes) {

  public static final Principal ANONYMOUS_ADMIN = new Principal("anonymous", Set.of(Scope.ADMIN));

  public Principal {
    scopes = Set.copyOf(scopes);
  }

  public boolean may(Scope required) {
    return scopes.stream().anyMatch(s -> s.covers(required));
  }
}
