package io.mlplatform.serving.monitoring;

/** Feedback that cannot be applied; the HTTP layer maps the reason to a status. */
public final class FeedbackException extends RuntimeException {

  /**
   * UNKNOWN: no such request id (never seen, expired or dropped); INVALID: a bad body; CONFLICT:
   * sent twice.
   */
  public enum Reason {
    UNKNOWN,
    INVALID,
    CONFLICT
  }

  private final Reason reason;

  FeedbackException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
