package io.mlplatform.serving.monitoring;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.scoring.Score;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The predictions of recent predict requests, for feedback by request id, until ground truth
 * arrives or they expire. A request is known by its model, the calling key's name and its request
 * id: one id used for two models, or by two keys, is two entries, and a key never reaches another
 * key's predictions. Bounded in estimated bytes and in count (give or take the requests in flight)
 * and in time; the oldest go first. Kept in arrival order, so expiry is a walk from the head of a
 * queue, never a scan. Feedback tokens ({@link FeedbackTokens}) need none of this memory. Public
 * only for {@link Applied}, the result of either form of feedback.
 */
public final class FeedbackLedger {

  /**
   * What an entry costs besides its id and predictions, estimated for a 64-bit JVM with compressed
   * pointers: the entry, its key, the two arrays' headers, the map's and the queue's nodes, the id
   * string's header.
   */
  static final int ENTRY_OVERHEAD = 240;

  /** Per instance: its prediction (a double) and its "feedback given" flag (an int). */
  static final int INSTANCE_BYTES = 12;

  record Key(String model, String caller, String requestId) {}

  /**
   * @param at epoch milliseconds of the prediction
   * @param given per instance, 1 once feedback for it was applied
   * @param bytes this entry's estimated size
   */
  record Pending(
      Key key,
      VersionMonitor monitor,
      double[] predictions,
      long at,
      long expiresAt,
      AtomicIntegerArray given,
      int bytes) {}

  /**
   * What a feedback changed, for the response and the prediction log.
   *
   * @param id the scored instance's stable id: a token's id, or {@code requestId#index}
   * @param at when the instance was scored, an ISO instant
   * @param requestId and {@code index}: only on the request-id path
   * @param prediction the class label for classifiers, the value for regression
   * @param label the true label as posted: a class name or a number
   * @param predicted the prediction as the model gave it (a classifier's class index), for the
   *     prediction log (NaN when unknown); not part of the answer
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Applied(
      String model,
      int version,
      String id,
      String at,
      String requestId,
      Integer index,
      Object prediction,
      Object label,
      boolean correct,
      long count,
      String metric,
      double value,
      @JsonIgnore double predicted) {}

  private final Map<Key, Pending> byKey = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Pending> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final ReentrantLock trimming = new ReentrantLock();
  private final int maxRequests;
  private final long maxBytes;
  private final long retentionNanos;
  private final LongSupplier nanos;
  private final LongSupplier millis;

  /**
   * @param nanos a monotonic clock, for expiry
   * @param millis the wall clock, for when a prediction was made
   */
  FeedbackLedger(
      int maxRequests, long maxBytes, Duration retention, LongSupplier nanos, LongSupplier millis) {
    this.maxRequests = maxRequests;
    this.maxBytes = maxBytes;
    this.retentionNanos = retention.toNanos();
    this.nanos = nanos;
    this.millis = millis;
  }

  /** The estimated bytes an entry for this request takes. */
  static int estimate(String requestId, int instances) {
    return ENTRY_OVERHEAD + requestId.length() + INSTANCE_BYTES * instances;
  }

  /**
   * @param caller the calling key's name
   * @param scores null for an invalid instance of a partial request
   */
  void remember(String requestId, String caller, VersionMonitor monitor, List<Score> scores) {
    int cost = estimate(requestId, scores.size());
    if (maxRequests == 0 || cost > maxBytes) {
      return; // off, or a single request larger than the whole ledger: keeping it would empty it
    }
    double[] predictions = new double[scores.size()];
    for (int i = 0; i < predictions.length; i++) {
      // NaN marks an invalid instance of a partial request, which has no prediction to compare.
      predictions[i] = scores.get(i) == null ? Double.NaN : scores.get(i).prediction();
    }
    long now = nanos.getAsLong();
    Pending pending =
        new Pending(
            new Key(monitor.model(), caller, requestId),
            monitor,
            predictions,
            millis.getAsLong(),
            now + retentionNanos,
            new AtomicIntegerArray(predictions.length),
            cost);
    // Counted before it is visible, so a trimmer never subtracts what was not yet added.
    size.incrementAndGet();
    bytes.addAndGet(cost);
    byKey.put(pending.key(), pending);
    order.add(pending);
    trim(now);
  }

  Applied apply(String model, String caller, String requestId, Integer index, JsonNode label) {
    if (requestId == null || requestId.isBlank()) {
      throw new FeedbackException(
          FeedbackException.Reason.INVALID,
          "'token' (the feedbackToken of a prediction) or 'requestId' (the X-Request-Id header of"
              + " the predict response) is required");
    }
    long now = nanos.getAsLong();
    trim(now);
    Pending p = byKey.get(new Key(model, caller, requestId));
    if (p == null || p.expiresAt() - now < 0) {
      // The same answer whether the id exists for another key or not: ids are not disclosed.
      throw new FeedbackException(
          FeedbackException.Reason.UNKNOWN,
          "unknown or expired request id for model '"
              + model
              + "' and key '"
              + caller
              + "': predictions are kept for feedback by request id for "
              + Duration.ofNanos(retentionNanos)
              + " (feedbackRetention), at most "
              + maxRequests
              + " requests (feedbackMaxRequests) and "
              + maxBytes
              + " bytes (feedbackMaxBytes), only for the key that asked for them and only on the"
              + " replica that answered; a prediction's feedbackToken works on any replica");
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
          "'index' " + i + " is out of range: that request scored " + n + " instance(s)");
    }
    VersionMonitor monitor = p.monitor();
    double prediction = p.predictions()[i];
    if (Double.isNaN(prediction)) {
      throw new FeedbackException(
          FeedbackException.Reason.INVALID,
          "instance " + i + " of that request was invalid and has no prediction");
    }
    VersionMonitor.Judged judged = monitor.judge(prediction, label);
    if (!p.given().compareAndSet(i, 0, 1)) {
      throw new FeedbackException(
          FeedbackException.Reason.CONFLICT,
          "feedback for instance " + i + " of that request was already received");
    }
    monitor.feedback(judged.correct(), judged.error());
    return new Applied(
        monitor.model(),
        monitor.version(),
        requestId + "#" + i,
        Instant.ofEpochMilli(p.at()).toString(),
        requestId,
        i,
        monitor.predicted(prediction),
        judged.truth(),
        judged.correct(),
        monitor.feedbackCount(),
        monitor.feedbackMetric(),
        monitor.feedbackValue(),
        prediction);
  }

  int size() {
    return size.get();
  }

  /** The estimated bytes of every entry held, expired ones not yet trimmed included. */
  long bytes() {
    return bytes.get();
  }

  private void trim(long now) {
    // One trimmer at a time, and the others go on: racing trimmers would each search the whole
    // queue for a head another one had just removed (a scan per request once the ledger is full).
    while (trimming.tryLock()) {
      try {
        while (due(order.peek(), now)) {
          Pending head = order.poll(); // the head just read: only the lock holder removes
          size.decrementAndGet();
          bytes.addAndGet(-head.bytes());
          // A caller may reuse its request id: only drop the entry if it is still this one.
          byKey.remove(head.key(), head);
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
    return head != null
        && (size.get() > maxRequests || bytes.get() > maxBytes || head.expiresAt() - now <= 0);
  }
}
