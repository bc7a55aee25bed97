package io.mlplatform.serving.http;

/** Every kind of error the API answers with; the {@code error} field of an error body. */
public enum ErrorKind {
  INVALID_REQUEST(400, "invalid_request"),
  NOT_FOUND(404, "not_found"),
  MODEL_NOT_FOUND(404, "model_not_found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  INTERNAL(500, "internal_error"),
  MODEL_UNAVAILABLE(503, "model_unavailable");

  private final int status;
  private final String code;

  ErrorKind(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The kind for a status raised by Javalin or Jetty rather than by this code. */
  static ErrorKind forStatus(int status) {
    return switch (status) {
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      default -> status >= 400 && status < 500 ? INVALID_REQUEST : INTERNAL;
    };
  }
}
