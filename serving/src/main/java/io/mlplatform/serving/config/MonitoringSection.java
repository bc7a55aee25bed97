package io.mlplatform.serving.config;

import java.time.Duration;

/**
 * The monitoring keys of serving.yaml: drift statistics and feedback.
 *
 * @param window live rows per model version the drift statistics cover (the last N scored rows)
 * @param alertThreshold PSI at or above which a feature or the predictions are flagged and logged
 * @param minRows live rows the window must hold before PSI is reported (fewer give noise)
 * @param feedbackRetention how long a request's predictions wait for ground truth
 * @param feedbackMaxRequests most requests whose predictions are kept for feedback by request id,
 *     per process
 * @param feedbackWindow the recent feedback metric covers a version's last N feedbacks
 * @param feedbackMaxBytes most bytes (estimated) of predictions kept for feedback by request id,
 *     per process
 * @param feedbackSigningKeys signs and verifies feedback tokens; {@link FeedbackSigningKeys#NONE}
 *     makes each process use a random key of its own
 */
public record MonitoringSection(
    int window,
    double alertThreshold,
    int minRows,
    Duration feedbackRetention,
    int feedbackMaxRequests,
    int feedbackWindow,
    long feedbackMaxBytes,
    FeedbackSigningKeys feedbackSigningKeys) {
  public static final MonitoringSection DEFAULTS =
      new MonitoringSection(
          10_000, // ~10 rows per bin even for a 1 % bin; 4 bytes per feature per row
          0.2, // the usual "significant shift" line; 0.1-0.2 is "watch"
          500, // PSI of two samples of the same distribution stays below ~0.05 from about 500 rows
          Duration.ofHours(1),
          100_000, // the byte bound below is the one that matters; this one caps tiny requests
          1_000, // a drop of a few points of accuracy stands out from the noise of 1,000 labels
          10_000_000, // ~40,000 one-row requests or ~800 of 1,000 rows; feedback tokens need none
          FeedbackSigningKeys.NONE);

  /** A copy with other feedback bounds (tests). */
  public MonitoringSection withFeedbackLimits(int maxRequests, long maxBytes) {
    return new MonitoringSection(
        window,
        alertThreshold,
        minRows,
        feedbackRetention,
        maxRequests,
        feedbackWindow,
        maxBytes,
        feedbackSigningKeys);
  }

  /** A copy with other signing keys. */
  public MonitoringSection withFeedbackSigningKeys(FeedbackSigningKeys keys) {
    return new MonitoringSection(
        window,
        alertThreshold,
        minRows,
        feedbackRetention,
        feedbackMaxRequests,
        feedbackWindow,
        feedbackMaxBytes,
        keys);
  }
}
