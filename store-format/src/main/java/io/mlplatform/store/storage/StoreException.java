package io.mlplatform.store.storage;

/** A model store problem, with a message a user can act on. */
public final class StoreException extends RuntimeException {

  public enum Kind {
    /** The model, version or file does not exist. */
    NOT_FOUND,
    /** Something in the store cannot be read as the format says. */
    CORRUPT,
    /** The request itself is invalid (a bad model name, for example). */
    INVALID,
    /** The file system failed. */
    IO
  }

  private final Kind kind;

  public StoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
