package io.mlplatform.serving.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.LiveValues;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.MonitoringReference;
import io.mlplatform.store.format.Psi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drift and feedback of one loaded version: its reference distributions, the live window of the
 * same bins, alert states and feedback counts. Column {@code i < features} is feature i; the last
 * column is the prediction.
 */
public final class VersionMonitor {

  private final String model;
  private final int version;
  private final boolean classification;
  private final List<String> labels;
  private final List<Distribution> columns;
  private final double[][] reference;
  private final LiveWindow window;
  private final AtomicBoolean[] alerting;
  private final LongAdder feedback = new LongAdder();
  private final LongAdder correct = new LongAdder();
  private final DoubleAdder squaredError = new DoubleAdder();
  // The last feedbacks, for the recent metric: 1 or 0 (correct or not) for classifiers, the squared
  // error for regression. Feedback is rare next to predictions, so a lock is cheap enough.
  private final double[] recent;
  private long recentSeen;

  /**
   * @param manifest must carry a monitoring reference
   * @param capacity rows of the drift window
   * @param feedbackWindow feedbacks the recent metric covers
   */
  VersionMonitor(Manifest manifest, int capacity, int feedbackWindow) {
    MonitoringReference ref = manifest.monitoring();
    model = manifest.model();
    version = manifest.version();
    classification = manifest.task().isClassification();
    labels = manifest.outputs().labels();
    columns = new ArrayList<>(ref.features());
    columns.add(ref.prediction());
    reference = new double[columns.size()][];
    alerting = new AtomicBoolean[columns.size()];
    int[] bins = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      reference[c] = columns.get(c).shares().stream().mapToDouble(Double::doubleValue).toArray();
      bins[c] = columns.get(c).bins();
      alerting[c] = new AtomicBoolean();
    }
    window = new LiveWindow(capacity, bins);
    recent = new double[feedbackWindow];
  }

  public String model() {
    return model;
  }

  public int version() {
    return version;
  }

  public boolean classification() {
    return classification;
  }

  /**
   * Counts each instance as sent (before nulls are filled, so nulls land in the null bin) and its
   * prediction.
   */
  void record(JsonNode instances, List<Score> scores) {
    int features = columns.size() - 1;
    for (int i = 0; i < scores.size(); i++) {
      if (scores.get(i) == null) {
        continue; // an invalid instance of a partial request: it was not scored
      }
      JsonNode instance = instances.get(i);
      int slot = window.nextSlot();
      for (int c = 0; c < features; c++) {
        Distribution d = columns.get(c);
        window.put(slot, c, d.binOf(value(instance.get(d.name()))));
      }
      window.put(
          slot, features, columns.get(features).binOf(predicted(scores.get(i).prediction())));
    }
  }

  /**
   * What a prediction is compared by: the class label for classifiers, the value for regression.
   */
  Object predicted(double prediction) {
    return LiveValues.prediction(prediction, classification, labels);
  }

  List<String> labels() {
    return labels;
  }

  int columns() {
    return columns.size();
  }

  Distribution column(int c) {
    return columns.get(c);
  }

  double[] reference(int c) {
    return reference[c];
  }

  long[] live(int c) {
    return window.counts(c);
  }

  /** PSI of one column, or null while the window holds fewer than {@code minRows}. */
  Double psi(int c, int minRows) {
    long[] counts = window.counts(c);
    long total = counts[counts.length - 1];
    return total < minRows || total == 0 ? null : Psi.of(reference[c], counts, total);
  }

  /** Sets a column's alert state; true when it changed. */
  boolean alert(int c, boolean on) {
    return alerting[c].compareAndSet(!on, on);
  }

  boolean alerting(int c) {
    return alerting[c].get();
  }

  LiveWindow window() {
    return window;
  }

  /** A true label checked against a prediction: what the feedback response and metrics show. */
  record Judged(Object truth, boolean correct, double error) {}

  /**
   * Compares a posted label with a prediction of this version.
   *
   * @throws FeedbackException INVALID when the label does not fit the task
   */
  Judged judge(double prediction, JsonNode label) {
    if (classification) {
      if (label == null || !label.isTextual() || !labels.contains(label.textValue())) {
        throw new FeedbackException(
            FeedbackException.Reason.INVALID,
            "'label' must be one of the classes "
                + labels
                + " as a string, got "
                + describe(label));
      }
      boolean correct = labels.indexOf(label.textValue()) == (int) prediction;
      return new Judged(label.textValue(), correct, correct ? 0 : 1);
    }
    if (label == null || !label.isNumber() || !Double.isFinite(label.doubleValue())) {
      throw new FeedbackException(
          FeedbackException.Reason.INVALID,
          "'label' must be a number (the true value), got " + describe(label));
    }
    double error = prediction - label.doubleValue();
    return new Judged(label.doubleValue(), error == 0, error);
  }

  private static String describe(JsonNode label) {
    if (label == null || label.isNull()) {
      return "nothing";
    }
    String text = label.toString();
    return label.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }

  void feedback(boolean wasCorrect, double error) {
    feedback.increment();
    if (wasCorrect) {
      correct.increment();
    }
    squaredError.add(error * error);
    synchronized (recent) {
      recent[(int) (recentSeen++ % recent.length)] =
          classification ? (wasCorrect ? 1 : 0) : error * error;
    }
  }

  /** Feedbacks the recent metric covers: the last {@code feedbackWindow}, fewer at first. */
  long recentCount() {
    synchronized (recent) {
      return Math.min(recentSeen, recent.length);
    }
  }

  /** Accuracy or RMSE of the last {@code feedbackWindow} feedbacks; NaN without any. */
  double recentValue() {
    double sum = 0;
    long n;
    synchronized (recent) {
      n = Math.min(recentSeen, recent.length);
      for (int i = 0; i < n; i++) {
        sum += recent[i];
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    return classification ? sum / n : Math.sqrt(sum / n);
  }

  long feedbackCount() {
    return feedback.sum();
  }

  /** Accuracy (classification) or RMSE (regression) of the feedback so far; NaN without any. */
  double feedbackValue() {
    long n = feedback.sum();
    if (n == 0) {
      return Double.NaN;
    }
    return classification ? correct.sum() / (double) n : Math.sqrt(squaredError.sum() / n);
  }

  String feedbackMetric() {
    return classification ? "accuracy" : "rmse";
  }

  private static Object value(JsonNode node) {
    return LiveValues.input(node);
  }
}
