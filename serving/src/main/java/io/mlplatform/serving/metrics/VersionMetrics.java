package io.mlplatform.serving.metrics;

import io.mlplatform.serving.scoring.Score;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.List;

/**
 * The metric series of one model version, looked up once when the version is first used so that a
 * request only increments counters.
 */
public final class VersionMetrics {

  private final ServingMetrics owner;
  private final String model;
  private final String version;
  private final CounterDataPoint requests;
  private final CounterDataPoint rows;
  private final DistributionDataPoint latency;
  private final CounterDataPoint[] classes;
  private final PredictionHistograms.Series values;

  VersionMetrics(
      ServingMetrics owner,
      String model,
      String version,
      CounterDataPoint requests,
      CounterDataPoint rows,
      DistributionDataPoint latency,
      CounterDataPoint[] classes,
      PredictionHistograms.Series values) {
    this.owner = owner;
    this.model = model;
    this.version = version;
    this.requests = requests;
    this.rows = rows;
    this.latency = latency;
    this.classes = classes;
    this.values = values;
  }

  /** One predict request reached this version, whatever its outcome. */
  public void request(double seconds) {
    requests.inc();
    latency.observe(seconds);
  }

  /** A request on this version failed; {@code kind} is the error body's {@code error} field. */
  public void error(String kind) {
    owner.error(model, version, kind);
  }

  /** Rows scored and what was predicted for them. */
  public void scored(List<Score> scores) {
    rows.inc(scores.size());
    for (Score score : scores) {
      if (classes != null) {
        int index = (int) score.prediction();
        if (index >= 0 && index < classes.length && index == score.prediction()) {
          classes[index].inc();
        }
      } else if (values != null) {
        values.observe(score.prediction());
      }
    }
  }
}
