package io.mlplatform.training.monitor;

import java.util.Map;
import java.util.TreeMap;

/**
 * One version's counts as the job collects them from Spark's aggregations: traffic per replica,
 * latency quantiles (p50, p95, p99), and per time bucket the rest. Unused buckets never appear: a
 * version's points are the buckets with records.
 */
final class VersionTally {
  long requests;
  long instances;
  long scored;
  Double[] latency = new Double[3];
  final Map<String, long[]> replicas = new TreeMap<>();
  final TreeMap<Long, PointTally> points = new TreeMap<>();

  void replica(String replica, long requests, long instances, long scored) {
    this.requests += requests;
    this.instances += instances;
    this.scored += scored;
    long[] r = replicas.computeIfAbsent(replica == null ? "(none)" : replica, k -> new long[2]);
    r[0] += requests;
    r[1] += instances;
  }

  PointTally point(long bucket) {
    return points.computeIfAbsent(bucket, b -> new PointTally());
  }

  void bin(long bucket, int column, int bin, long n) {
    point(bucket).bins.computeIfAbsent(column, c -> new TreeMap<>()).merge(bin, n, Long::sum);
  }

  long feedbackCount() {
    return points.values().stream().mapToLong(p -> p.feedback).sum();
  }

  /** Bins of one column over the whole period. */
  Map<Integer, Long> bins(int column) {
    Map<Integer, Long> all = new TreeMap<>();
    for (PointTally p : points.values()) {
      p.bins.getOrDefault(column, Map.of()).forEach((b, n) -> all.merge(b, n, Long::sum));
    }
    return all;
  }
}
