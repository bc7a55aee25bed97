package io.mlplatform.serving.http;

/** Every kind of error the API answers with; the {@code error} field of an error body. */
public enum ErrorKind {
  INVALID_REQUEST(400, "invalid_request"),
  /** Feedback with something that is not a feedback token. */
  MALFORMED_TOKEN(400, "malformed_token"),
  /** Feedback with a token no signing key of the service signed: forged or altered. */
  INVALID_TOKEN_SIGNATURE(400, "invalid_token_signature"),
  /** Feedback with a genuine token older than feedbackRetention. */
  TOKEN_EXPIRED(400, "token_expired"),
  /** Feedback with a genuine token of another model's prediction. */
  TOKEN_MODEL_MISMATCH(400, "token_model_mismatch"),
  UNAUTHORIZED(401, "unauthorized"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "not_found"),
  MODEL_NOT_FOUND(404, "model_not_found"),
  VERSION_NOT_FOUND(404, "version_not_found"),
  ALIAS_NOT_FOUND(404, "alias_not_found"),
  /** Feedback for a predict request whose predictions are no longer (or were never) kept. */
  REQUEST_ID_NOT_FOUND(404, "request_id_not_found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  VERSION_REFUSED(409, "version_refused"),
  CONFLICT(409, "conflict"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  INTERNAL(500, "internal_error"),
  MODEL_UNAVAILABLE(503, "model_unavailable"),
  OVERLOADED(503, "overloaded"),
  TIMEOUT(503, "timeout"),
  STORE_UNAVAILABLE(503, "store_unavailable"),
  /** A 503 raised by Jetty itself: while shutting down it refuses new requests. */
  UNAVAILABLE(503, "unavailable");

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

  /** True for kinds a client should retry after a pause ({@code Retry-After} is sent). */
  boolean retryable() {
    return status == 503;
  }

  /** The kind for a status raised by Javalin or Jetty rather than by this code. */
  static ErrorKind forStatus(int status) {
    return switch (status) {
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 503 -> UNAVAILABLE;
      default -> status >= 400 && status < 500 ? INVALID_REQUEST : INTERNAL;
    };
  }
}
