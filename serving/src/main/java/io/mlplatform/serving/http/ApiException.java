package io.mlplatform.serving.http;

import io.mlplatform.serving.validation.Violation;
import java.util.List;

/**
 * An error answered to the caller as it is; {@link ErrorResponder} turns it into the error body.
 */
public final class ApiException extends RuntimeException {

  private final ErrorKind kind;
  private final List<Violation> details;
  private final boolean modelAtFault;

  public ApiException(ErrorKind kind, String message, List<Violation> details) {
    this(kind, message, details, false);
  }

  private ApiException(
      ErrorKind kind, String message, List<Violation> details, boolean modelAtFault) {
    super(message);
    this.kind = kind;
    this.details = List.copyOf(details);
    this.modelAtFault = modelAtFault;
  }

  /**
   * A timeout; {@code modelAtFault} when the model's own scoring took the time (not waiting for
   * it).
   */
  static ApiException timeout(boolean modelAtFault) {
    return new ApiException(
        ErrorKind.TIMEOUT,
        "the request did not finish within the request timeout",
        List.of(),
        modelAtFault);
  }

  /** True when the version is to blame (counts towards its fallback). */
  public boolean modelAtFault() {
    return modelAtFault;
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
