package io.mlplatform.serving.config;

import java.time.Duration;

/**
 * The limit keys of serving.yaml: what one request and the whole process may take.
 *
 * @param maxInstancesPerRequest most instances one predict request may carry
 * @param maxBodyBytes largest request body accepted, in bytes
 * @param requestTimeout longest a predict request may take before it is answered 503
 * @param maxConcurrentRequests API requests handled at once; more get a fast 503
 * @param scoringThreads threads that run models; 0 means one per CPU core
 */
public record LimitsSection(
    int maxInstancesPerRequest,
    long maxBodyBytes,
    Duration requestTimeout,
    int maxConcurrentRequests,
    int scoringThreads) {

  public static final LimitsSection DEFAULTS =
      new LimitsSection(
          1000, // bounds the work of one request; larger batches should be split by the caller
          1_000_000L, // about 1000 instances of ~1 KB each; raise it together with the instance cap
          Duration.ofSeconds(
              10), // a 1000-row batch takes milliseconds; 10 s means something is wrong
          64, // on 2 cores a single-row request takes ~40 us of CPU: 64 in flight is already a
          // queue
          0);

  /** Scoring threads after resolving 0 to the number of cores. */
  public int effectiveScoringThreads() {
    return scoringThreads > 0 ? scoringThreads : Runtime.getRuntime().availableProcessors();
  }
}
