package io.mlplatform.serving.scoring;

/** A bundle that cannot be served; the message says why without exposing local paths. */
public final class ModelLoadException extends RuntimeException {

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
