package io.mlplatform.training.export;

/** The bundle just written does not reproduce Spark; the version must not be published. */
public final class ExportMismatchException extends RuntimeException {

  public ExportMismatchException(String message) {
    super("export check failed, nothing was published: " + message);
  }

  public ExportMismatchException(String message, Throwable cause) {
    super("export check failed, nothing was published: " + message, cause);
  }
}
