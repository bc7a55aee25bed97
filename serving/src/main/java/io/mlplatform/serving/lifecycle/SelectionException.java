package io.mlplatform.serving.lifecycle;

/** A request names a model, version or alias that cannot serve it; the message says what exists. */
public final class SelectionException extends RuntimeException {

  public enum Reason {
    MODEL_NOT_FOUND,
    VERSION_NOT_FOUND,
    ALIAS_NOT_FOUND,
    /** It exists but nothing loaded can answer (refused, failed or not loaded). */
    UNAVAILABLE,
    /** An admin asked for a version that was refused. */
    REFUSED
  }

  private final Reason reason;

  public SelectionException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
