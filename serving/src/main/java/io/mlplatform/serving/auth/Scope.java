package io.mlplatform.serving.auth;

import java.util.Locale;

/** What an API key may do. Each endpoint requires one scope; {@link #ADMIN} covers all of them. */
public enum Scope {
  /** Predict routes and the read-only model views. */
  PREDICT,
  /**
   * {@code GET /metrics}: a separate scope so that a scraper's key cannot score or change anything.
   */
  METRICS,
  /** Admin routes (reload, pin a version), plus everything the other scopes allow. */
  ADMIN;

  public boolean covers(Scope required) {
    return this == ADMIN || this == required;
  }

  /**
   * The name used in configuration and error messages: {@code predict}, {@code metrics}, {@code
   * admin}.
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope named {@code id}, case-insensitive, or null when there is none. */
  public static Scope parse(String id) {
    for (Scope scope : values()) {
      if (scope.id().equalsIgnoreCase(id.trim())) {
        return scope;
      }
    }
    return null;
  }
}
