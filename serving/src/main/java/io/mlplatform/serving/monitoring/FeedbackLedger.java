package io.mlplatform.serving.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.scoring.Score;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The predictions of recent predict requests, by request id, until ground truth arrives or they
 * expire. Bounded in count (give or take the requests in flight) and in time; the oldest go first.
 * Kept in arrival order, so expiry is a walk from the head of a queue, never a scan.
 */
public final class FeedbackLedger {

  /**
   * @param given per instance, 1 once feedback for it was applied
   */
  record Pending(
      String id,
      VersionMonitor monitor,
      double[] predictions,
      long expiresAt,
      AtomicIntegerArray given) {}

  /** What a feedback changed, for the response. */
  public record Applied(
      String model,
      int version,
      String requestId,
      int index,
      Object prediction,
      Object label,
      boolean correct,
      long count,
      String metric,
      double value) {}

  private final Map<String, Pending> byId = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Pending> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final ReentrantLock trimming = new ReentrantLock();
  private final int maxRequests;
  private final long retentionNanos;
  private final LongSupplier clock;

  FeedbackLedger(int maxRequests, Duration retention, LongSupplier clock) {
    this.maxRequests = maxRequests;
    this.retentionNanos = retention.toNanos();
    this.clock = clock;
  }

  void remember(String requestId, VersionMonitor monitor, List<Score> scores) {
    if (maxRequests == 0) {
      return;
    }
    double[] predictions = new double[scores.size()];
    for (int i = 0; i < predictions.length; i++) {
      // NaN marks an invalid instance of a partial request, which has no prediction to compare.
      predictions[i] = scores.get(i) == null ? Double.NaN : scores.get(i).prediction();
    }
    long now = clock.getAsLong();
    Pending pending =
        new Pending(
            requestId,
            monitor,
            predictions,
            now + retentionNanos,
            new AtomicIntegerArray(predictions.length));
    byId.put(requestId, pending);
    order.add(pending);
    size.incrementAndGet();
    trim(now);
  }

  Applied apply(String model, String requestId, Integer index, JsonNode label) {
    if (requestId == null || requestId.isBlank()) {
      throw new FeedbackException(
          FeedbackException.Reason.INVALID,
          "'requestId' is required: the X-Request-Id" + " header of the predict response");
    }
    trim(clock.getAsLong());
    Pending p = byId.get(requestId);
    if (p == null || !p.monitor().model().equals(model) || p.expiresAt() - clock.getAsLong() < 0) {
      throw new FeedbackException(
          FeedbackException.Reason.UNKNOWN,
          "unknown or expired request id for model '"
              + model
              + "': predictions are kept for feedback for "
              + Duration.ofNanos(retentionNanos)
              + " (feedbackRetention), at most "
              + maxRequests
              + " requests (feedbackMaxRequests)");
    }
    int n = p.predictions().length;
    if (index == null && n > 1) {
      throw new FeedbackException(
          FeedbackException.Reason.INVALID,
          "'index' is required: that request scored " + n + " instances (0 to " + (n - 1) + ")");
    }
    int i = index == null ? 0 : index;
    if (i < 0 || i >= n) {
      throw new FeedbackException(
          FeedbackException.Reason.INVALID,
          "'index' " + i + " is out of range: that" + " request scored " + n + " instance(s)");
    }
    VersionMonitor monitor = p.monitor();
    double prediction = p.predictions()[i];
    if (Double.isNaN(prediction)) {
      throw new FeedbackException(
          FeedbackException.Reason.INVALID,
          "instance " + i + " of that request was" + " invalid and has no prediction");
    }
    boolean correct;
    double error;
    Object truth;
    if (monitor.classification()) {
      if (label == null || !label.isTextual() || !monitor.labels().contains(label.textValue())) {
        throw new FeedbackException(
            FeedbackException.Reason.INVALID,
            "'label' must be one of the classes "
                + monitor.labels()
                + " as a string, got "
                + describe(label));
      }
      truth = label.textValue();
      correct = monitor.labels().indexOf(label.textValue()) == (int) prediction;
      error = correct ? 0 : 1;
    } else {
      if (label == null || !label.isNumber() || !Double.isFinite(label.doubleValue())) {
        throw new FeedbackException(
            FeedbackException.Reason.INVALID,
            "'label' must be a number (the true value)," + " got " + describe(label));
      }
      truth = label.doubleValue();
      error = prediction - label.doubleValue();
      correct = error == 0;
    }
    if (!p.given().compareAndSet(i, 0, 1)) {
      throw new FeedbackException(
          FeedbackException.Reason.CONFLICT,
          "feedback for instance " + i + " of that request was already received");
    }
    monitor.feedback(correct, error);
    return new Applied(
        monitor.model(),
        monitor.version(),
        requestId,
        i,
        monitor.predicted(prediction),
        truth,
        correct,
        monitor.feedbackCount(),
        monitor.feedbackMetric(),
        monitor.feedbackValue());
  }

  int size() {
    return size.get();
  }

  private void trim(long now) {
    // One trimmer at a time, and the others go on: racing trimmers would each search the whole
    // queue
    // for a head another one had just removed (a scan per request once the ledger is full).
    while (trimming.tryLock()) {
      try {
        while (due(order.peek(), now)) {
          Pending head = order.poll(); // the head just read: only the lock holder removes
          size.decrementAndGet();
          // A caller may reuse its request id: only drop the entry if it is still this one.
          byId.remove(head.id(), head);
        }
      } finally {
        trimming.unlock();
      }
      // A request that found the lock taken left its trimming to the holder: look again once free.
      if (!due(order.peek(), now)) {
        return;
      }
    }
  }

  private boolean due(Pending head, long now) {
    return head != null && (size.get() > maxRequests || head.expiresAt() - now <= 0);
  }

  private static String describe(JsonNode label) {
    if (label == null || label.isNull()) {
      return "nothing";
    }
    String text = label.toString();
    return label.getNodeType().name().toLowerCase()
        + " "
        + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }
}
