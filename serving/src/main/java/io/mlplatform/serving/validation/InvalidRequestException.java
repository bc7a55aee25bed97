package io.mlplatform.serving.validation;

import java.util.List;

/** A request that cannot be scored, with every problem found in it. */
public final class InvalidRequestException extends RuntimeException {

  private final List<Violation> violations;

  public InvalidRequestException(String message, List<Violation> violations) {
    super(message);
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
