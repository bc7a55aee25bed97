package io.mlplatform.serving.lifecycle;

import java.time.Duration;

/** What the registry reports as models come and go; metrics listen, tests may too. */
public interface ModelEvents {

  ModelEvents NONE = new ModelEvents() {};

  /** A version passed every check and is ready to serve. */
  default void loaded(LoadedModel model, Duration took) {}

  /** A version will not be served, ever: its bundle or its reference rows are wrong. */
  default void refused(String model, int version, Refusal refusal) {}

  /**
   * A version could not be read this time (the store failed); it is tried again at the next poll.
   */
  default void loadFailed(String model, int version, String reason) {}

  /** The default route of {@code model} now serves {@code version}. */
  default void activated(String model, int version, Integer previous) {}

  /** The default route left {@code from} for {@code to} because {@code from} failed too often. */
  default void fallback(String model, int from, int to, String reason) {}

  /** A version is gone: no snapshot and no request holds it any more. */
  default void released(LoadedModel model) {}

  /** One read of the store finished, successfully or not. */
  default void storeRead(boolean ok) {}
}
