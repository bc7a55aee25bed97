package io.mlplatform.serving.monitoring;

/** Feedback that cannot be applied; the HTTP layer maps the reason to a status and error code. */
public final class FeedbackException extends RuntimeException {

  public enum Reason {
    /** No such request id for this model and key (never seen, expired or dropped). */
    UNKNOWN,
    /** A bad body: a missing field, an index out of range, a label the task cannot take. */
    INVALID,
    /** Feedback for the same instance twice. */
    CONFLICT,
    /** Not a feedback token at all: cut short, not base64url, an unknown format. */
    MALFORMED_TOKEN,
    /** Well formed, but no signing key of this service signed it: forged or altered. */
    BAD_SIGNATURE,
    /** Genuine, but older than feedbackRetention. */
    EXPIRED,
    /** Genuine, but issued for a prediction of another model. */
    OTHER_MODEL
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
