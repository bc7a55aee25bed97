package io.mlplatform.serving.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Histogram of regression outputs with buckets per model version. A fixed set of buckets cannot fit
 * body masses in grams and prices in millions at once, so each version's buckets are the quantiles
 * of what training predicted on its reference rows: a shift of the served distribution away from
 * training's shows up as counts moving into the outer buckets.
 */
final class PredictionHistograms implements Collector {

  static final String NAME = "mlp_prediction_value";
  // Quantiles of the reference predictions that become bucket bounds.
  private static final double[] QUANTILES = {0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1};
  // Used when a version has no reference rows: powers of ten on both sides of zero.
  private static final double[] GENERIC = {-1e6, -1e4, -1e2, -1, 0, 1, 1e2, 1e4, 1e6};

  /** One version's histogram; bucket counts are per bucket, not cumulative. */
  static final class Series {
    final double[] bounds;
    final LongAdder[] counts;
    final DoubleAdder sum = new DoubleAdder();

    Series(double[] bounds) {
      this.bounds = bounds;
      this.counts = new LongAdder[bounds.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double value) {
      int i = Arrays.binarySearch(bounds, value);
      // A value equal to a bound belongs to that bucket (le); otherwise to the next bound above it.
      counts[i >= 0 ? i : Math.min(-i - 1, counts.length - 1)].increment();
      sum.add(value);
    }
  }

  private record Key(String model, String version) {}

  private final ConcurrentMap<Key, Series> series = new ConcurrentHashMap<>();

  Series register(String model, String version, List<Double> reference) {
    return series.computeIfAbsent(new Key(model, version), k -> new Series(bounds(reference)));
  }

  void remove(String model, String version) {
    series.remove(new Key(model, version));
  }

  static double[] bounds(List<Double> reference) {
    TreeSet<Double> bounds = new TreeSet<>();
    List<Double> finite = reference.stream().filter(Double::isFinite).sorted().toList();
    if (finite.size() < 2) {
      Arrays.stream(GENERIC).forEach(bounds::add);
    } else {
      for (double q : QUANTILES) {
        bounds.add(finite.get((int) Math.round(q * (finite.size() - 1))));
      }
    }
    bounds.add(Double.POSITIVE_INFINITY);
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Override
  public MetricSnapshot collect() {
    HistogramSnapshot.Builder snapshot =
        HistogramSnapshot.builder()
            .name(NAME)
            .help(
                "Regression predictions served, in buckets from the quantiles of training's reference predictions");
    List<Key> keys = new ArrayList<>(series.keySet());
    for (Key key : keys) {
      Series s = series.get(key);
      if (s == null) {
        continue;
      }
      long[] counts = new long[s.counts.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = s.counts[i].sum();
      }
      snapshot.dataPoint(
          HistogramSnapshot.HistogramDataPointSnapshot.builder()
              .classicHistogramBuckets(ClassicHistogramBuckets.of(s.bounds, counts))
              .sum(s.sum.sum())
              .labels(Labels.of("model", key.model(), "version", key.version()))
              .build());
    }
    return snapshot.build();
  }

  @Override
  public String getPrometheusName() {
    return NAME;
  }
}
