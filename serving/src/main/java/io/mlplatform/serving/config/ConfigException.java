package io.mlplatform.serving.config;

import java.util.List;

/** A configuration that cannot be used; carries every problem found, not just the first. */
public final class ConfigException extends RuntimeException {

  private final List<String> errors;

  public ConfigException(List<String> errors) {
    super("invalid serving configuration:\n  - " + String.join("\n  - ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
