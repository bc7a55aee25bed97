package io.mlplatform.serving.http;

/** Set when shutdown begins: readiness answers 503 from then on, before anything else stops. */
public final class Drain {

  private volatile boolean draining;

  public void begin() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }
}
