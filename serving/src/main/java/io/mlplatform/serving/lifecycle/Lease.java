package io.mlplatform.serving.lifecycle;

/**
 * A request's hold on one loaded version: the version cannot be released while a lease is open.
 * Close it exactly once.
 */
public final class Lease implements AutoCloseable {

  private final LoadedModel model;

  Lease(LoadedModel model) {
    this.model = model;
  }

  public LoadedModel model() {
    return model;
  }

  /**
   * Another lease on the same version, for work that may outlive this one (a timed-out scoring
   * task).
   */
  public Lease share() {
    if (!model.tryAcquire()) {
      throw new IllegalStateException("a lease on " + model + " was used after it was closed");
    }
    return new Lease(model);
  }

  @Override
  public void close() {
    model.release();
  }
}
