package io.mlplatform.training.monitor;

import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.MonitoringReference;
import io.mlplatform.store.format.Psi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one version's counts into its summary: PSI, alerts and metrics as the service computes
 * them.
 */
final class Summaries {

  private Summaries() {}

  static MonitorSummary of(
      Manifest manifest,
      VersionTally t,
      String run,
      MonitorSummary.Period period,
      String bucket,
      MonitorJob.Spec spec) {
    boolean classification = manifest.task().isClassification();
    MonitorSummary.Drift drift = drift(manifest, t, spec);
    List<MonitorSummary.Replica> replicas = new ArrayList<>();
    t.replicas.forEach((name, r) -> replicas.add(new MonitorSummary.Replica(name, r[0], r[1])));
    long feedback = 0;
    long duplicates = 0;
    long judged = 0;
    long correct = 0;
    double squaredError = 0;
    List<MonitorSummary.Point> series = new ArrayList<>();
    List<Distribution> columns = columns(manifest.monitoring());
    for (Map.Entry<Long, PointTally> e : t.points.entrySet()) {
      PointTally p = e.getValue();
      feedback += p.feedback;
      duplicates += p.duplicates;
      judged += p.judged;
      correct += p.correct;
      squaredError += p.squaredError;
      Map<String, Double> psi = new LinkedHashMap<>();
      for (int c = 0; c < columns.size(); c++) {
        psi.put(columns.get(c).name(), psi(columns.get(c), p.bins.getOrDefault(c, Map.of()), spec));
      }
      series.add(
          new MonitorSummary.Point(
              Instant.ofEpochMilli(e.getKey()).toString(),
              p.requests,
              p.instances,
              p.latency[0],
              p.latency[1],
              p.latency[2],
              psi,
              p.feedback,
              metric(classification, p.judged, p.correct, p.squaredError)));
    }
    return new MonitorSummary(
        manifest.model(),
        manifest.version(),
        run,
        period,
        bucket,
        new MonitorSummary.Traffic(t.requests, t.instances, t.scored, replicas),
        new MonitorSummary.Latency(t.latency[0], t.latency[1], t.latency[2]),
        drift,
        new MonitorSummary.Feedback(
            feedback,
            duplicates,
            classification ? "accuracy" : "rmse",
            metric(classification, judged, correct, squaredError)),
        series);
  }

  private static MonitorSummary.Drift drift(
      Manifest manifest, VersionTally t, MonitorJob.Spec spec) {
    MonitoringReference ref = manifest.monitoring();
    if (ref == null) {
      return new MonitorSummary.Drift(
          false,
          manifest.model()
              + " v"
              + manifest.version()
              + " has no reference statistics (it was trained before drift monitoring existed)",
          spec.threshold(),
          spec.minRows(),
          List.of(),
          null,
          List.of());
    }
    List<Distribution> columns = columns(ref);
    List<MonitorSummary.Column> features = new ArrayList<>();
    MonitorSummary.Column prediction = null;
    List<String> alerts = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      Distribution d = columns.get(c);
      Map<Integer, Long> counts = t.bins(c);
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      Double psi = psi(d, counts, spec);
      boolean alert = psi != null && psi >= spec.threshold();
      List<String> labels = d.labels();
      List<MonitorSummary.Bin> bins = new ArrayList<>();
      for (int b = 0; b < labels.size(); b++) {
        bins.add(
            new MonitorSummary.Bin(
                labels.get(b),
                d.shares().get(b),
                total == 0 ? 0 : counts.getOrDefault(b, 0L) / (double) total));
      }
      MonitorSummary.Column column =
          new MonitorSummary.Column(
              d.name(), d.kind().name().toLowerCase(Locale.ROOT), total, psi, alert, bins);
      if (c < columns.size() - 1) {
        features.add(column);
      } else {
        prediction = column;
      }
      if (alert) {
        // Worded as the service's alerts, so one search finds both.
        alerts.add(
            d.name()
                + ": PSI "
                + String.format(Locale.ROOT, "%.3f", psi)
                + " >= "
                + spec.threshold());
      }
    }
    return new MonitorSummary.Drift(
        true, null, spec.threshold(), spec.minRows(), features, prediction, alerts);
  }

  /** The features, then the prediction: the order of the bins the log records carry. */
  static List<Distribution> columns(MonitoringReference ref) {
    if (ref == null) {
      return List.of();
    }
    List<Distribution> columns = new ArrayList<>(ref.features());
    columns.add(ref.prediction());
    return columns;
  }

  /** PSI as the service computes it ({@link Psi}), or null below minRows values. */
  static Double psi(Distribution d, Map<Integer, Long> counts, MonitorJob.Spec spec) {
    long[] live = new long[d.bins()];
    long total = 0;
    for (Map.Entry<Integer, Long> e : counts.entrySet()) {
      live[e.getKey()] += e.getValue();
      total += e.getValue();
    }
    if (total < spec.minRows() || total == 0) {
      return null;
    }
    double[] reference = d.shares().stream().mapToDouble(Double::doubleValue).toArray();
    return Psi.of(reference, live, total);
  }

  private static Double metric(
      boolean classification, long judged, long correct, double squaredError) {
    if (judged == 0) {
      return null;
    }
    return classification ? correct / (double) judged : Math.sqrt(squaredError / judged);
  }
}
