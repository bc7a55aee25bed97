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
 * @param inlineScoringMaxInstances requests of at most this many instances are scored on the
 *     request's own thread (answered past their timeout only once the model returns); larger ones
 *     on the model's scoring threads (answered at the timeout); 0 sends all to the scoring threads
 */
public record LimitsSection(
    int maxInstancesPerRequest,
    long maxBodyBytes,
    Duration requestTimeout,
    int maxConcurrentRequests,
    int scoringThreads,
    int inlineScoringMaxInstances) {

  /**
   * The default of {@code inlineScoringMaxInstances}: a handful of rows scores in tens of
   * microseconds, less than the hand-off to a scoring thread and back (docs/serving.md).
   */
  public static final int DEFAULT_INLINE_SCORING_MAX_INSTANCES = 16;

  public static final LimitsSection DEFAULTS =
      new LimitsSection(
          1000, // bounds the work of one request; larger batches should be split by the caller
          1_000_000L, // about 1000 instances of ~1 KB each; raise it together with the instance cap
          Duration.ofSeconds(
              10), // a 1000-row batch takes milliseconds; 10 s means something is wrong
          64, // on 2 cores a single-row request takes ~40 us of CPU: 64 in flight is already a
          // queue
          0,
          DEFAULT_INLINE_SCORING_MAX_INSTANCES);

  /** Limits with the default inline threshold. */
  public LimitsSection(
      int maxInstancesPerRequest,
      long maxBodyBytes,
      Duration requestTimeout,
      int maxConcurrentRequests,
      int scoringThreads) {
    this(
        maxInstancesPerRequest,
        maxBodyBytes,
        requestTimeout,
        maxConcurrentRequests,
        scoringThreads,
        DEFAULT_INLINE_SCORING_MAX_INSTANCES);
  }

  /** The same limits with another inline threshold. */
  public LimitsSection withInlineScoringMaxInstances(int max) {
    return new LimitsSection(
        maxInstancesPerRequest,
        maxBodyBytes,
        requestTimeout,
        maxConcurrentRequests,
        scoringThreads,
        max);
  }

  /** Scoring threads after resolving 0 to the number of cores. */
  public int effectiveScoringThreads() {
    return scoringThreads > 0 ? scoringThreads : Runtime.getRuntime().availableProcessors();
  }
}
