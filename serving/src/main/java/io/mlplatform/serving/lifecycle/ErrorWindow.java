package io.mlplatform.serving.lifecycle;

import java.time.Duration;

/**
 * Request outcomes of one version over a sliding time window, kept in ten buckets so that old
 * outcomes fall out a tenth of the window at a time. Callers pass the time ({@link
 * System#nanoTime}), so tests need no sleeping.
 */
public final class ErrorWindow {

  /** Totals over the window. */
  public record Rate(long requests, long failures) {
    public double failureRate() {
      return requests == 0 ? 0 : (double) failures / requests;
    }
  }

  private static final int BUCKETS = 10;

  private final long bucketNanos;
  private final long[] bucketStart = new long[BUCKETS];
  private final long[] requests = new long[BUCKETS];
  private final long[] failures = new long[BUCKETS];

  public ErrorWindow(Duration window) {
    this.bucketNanos = Math.max(1, window.toNanos() / BUCKETS);
    java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
  }

  /** Records one request and returns the window's totals including it. */
  public synchronized Rate record(boolean failed, long nowNanos) {
    long slot = Math.floorDiv(nowNanos, bucketNanos);
    int i = (int) Math.floorMod(slot, (long) BUCKETS);
    if (bucketStart[i] != slot) {
      bucketStart[i] = slot;
      requests[i] = 0;
      failures[i] = 0;
    }
    requests[i]++;
    if (failed) {
      failures[i]++;
    }
    return sum(slot);
  }

  public synchronized Rate rate(long nowNanos) {
    return sum(Math.floorDiv(nowNanos, bucketNanos));
  }

  private Rate sum(long currentSlot) {
    long total = 0;
    long failed = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (bucketStart[i] != Long.MIN_VALUE && currentSlot - bucketStart[i] < BUCKETS) {
        total += requests[i];
        failed += failures[i];
      }
    }
    return new Rate(total, failed);
  }
}
