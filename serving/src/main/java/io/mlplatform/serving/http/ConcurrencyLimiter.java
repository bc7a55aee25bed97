package io.mlplatform.serving.http;

import java.util.concurrent.Semaphore;

/**
 * Bounds the API requests handled at once. Jetty would otherwise queue requests without limit and
 * answer every one slowly; past the limit a request gets an immediate 503 with {@code Retry-After},
 * so a load balancer can retry elsewhere, and health probes (never limited) keep answering.
 */
final class ConcurrencyLimiter {

  private final int max;
  private final Semaphore permits;

  ConcurrencyLimiter(int max) {
    this.max = max;
    this.permits = new Semaphore(max);
  }

  boolean tryAcquire() {
    return permits.tryAcquire();
  }

  void release() {
    permits.release();
  }

  int inFlight() {
    return max - permits.availablePermits();
  }
}
