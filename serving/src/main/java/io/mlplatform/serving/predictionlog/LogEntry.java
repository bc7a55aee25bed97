package io.mlplatform.serving.predictionlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.monitoring.FeedbackLedger;
import java.util.List;

/** What waits in the queue for the writer: the parts of one record, not yet serialised. */
sealed interface LogEntry {

  String model();

  /** Epoch millis of the prediction or the feedback. */
  long atMillis();

  /** What the entry counts against the queue's capacity: its instances, at least one. */
  int weight();

  /**
   * One sampled predict request.
   *
   * @param instances the request's {@code instances} array as received (redacted when written)
   * @param outputs one per instance: the response's prediction object, or null for an invalid one
   */
  record Prediction(
      String model,
      int version,
      String requestId,
      long atMillis,
      long latencyNanos,
      String route,
      JsonNode instances,
      List<Object> outputs)
      implements LogEntry {

    @Override
    public int weight() {
      return Math.max(1, outputs.size());
    }
  }

  /**
   * One accepted feedback.
   *
   * @param id the scored instance's stable id, which readers dedupe feedback by
   * @param predictedAt when the prediction was made (ISO instant), or null when unknown
   * @param prediction the numeric prediction (class index for classifiers), or null when unknown
   * @param label the true label: a class name or a number
   */
  record Feedback(
      String model,
      int version,
      String id,
      long atMillis,
      String predictedAt,
      Double prediction,
      Object label)
      implements LogEntry {

    /**
     * A feedback record from what the ledger accepted: the instance's id (a token's id, or {@code
     * requestId#index}) is what readers dedupe by.
     */
    static Feedback of(FeedbackLedger.Applied applied, Double prediction, long nowMillis) {
      return new Feedback(
          applied.model(),
          applied.version(),
          applied.id(),
          nowMillis,
          applied.at(),
          prediction,
          applied.label());
    }

    @Override
    public int weight() {
      return 1;
    }
  }
}
