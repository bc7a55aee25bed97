package io.mlplatform.serving.routing;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one rule since it was installed, for the routing view. Adders only: requests on
 * different threads never contend on one lock.
 */
final class RoutingStats {

  /**
   * Requests one role answered (canary) or scored (shadow), and how long validation plus scoring
   * took.
   */
  static final class Role {
    final LongAdder requests = new LongAdder();
    final LongAdder nanos = new LongAdder();
    final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
    volatile int version;

    void record(int servedVersion, long took) {
      version = servedVersion;
      requests.increment();
      nanos.add(took);
      maxNanos.accumulate(took);
    }
  }

  final Role primary = new Role();
  final Role candidate = new Role();
  final LongAdder candidateUnavailable = new LongAdder();
  final LongAdder suspended = new LongAdder();
  final LongAdder shadowSubmitted = new LongAdder();
  final LongAdder shadowDropped = new LongAdder();
  final LongAdder shadowFailed = new LongAdder();
  final LongAdder rows = new LongAdder();
  final LongAdder agreedRows = new LongAdder();
}
