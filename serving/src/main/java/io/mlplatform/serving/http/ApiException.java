package io.mlplatform.serving.http;

import io.mlplatform.serving.validation.Violation;
import java.util.List;

/** An error answered to the caller as it is; {@link ErrorResponder} turns it into the error body. */
public final class ApiException extends RuntimeException {

  private final ErrorKind kind;
  private final List<Violation> details;

  public ApiException(ErrorKind kind, String message, List<Violation> details) {
    super(message);
    this.kind = kind;
    this.details = List.copyOf(details);
  }

  public ApiException(ErrorKind kind, String message) {
    this(kind, message, List.of());
  }

  public ErrorKind kind() {
    return kind;
  }

  public List<Violation> details() {
    return details;
  }
}
