package io.mlplatform.training.monitor;

import java.util.LinkedHashMap;
import java.util.Map;

/** One time bucket of a version: traffic, latency, bin counts per column, feedback. */
final class PointTally {
  long requests;
  long instances;
  Double[] latency = new Double[3];
  final Map<Integer, Map<Integer, Long>> bins = new LinkedHashMap<>();
  long feedback;
  long duplicates;
  long judged;
  long correct;
  double squaredError;

  PointTally traffic(long requests, long instances, Double[] latency) {
    this.requests = requests;
    this.instances = instances;
    this.latency = latency;
    return this;
  }

  void feedback(long count, long duplicates, long judged, long correct, double squaredError) {
    this.feedback = count;
    this.duplicates = duplicates;
    this.judged = judged;
    this.correct = correct;
    this.squaredError = squaredError;
  }
}
