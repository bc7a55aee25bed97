package io.mlplatform.training.publish;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.SparkModel;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.Staging;
import io.mlplatform.training.data.DataLoader;
import io.mlplatform.training.data.SplitPhase;
import io.mlplatform.training.evaluate.EvaluatePhase;
import io.mlplatform.training.evaluate.Evaluation;
import io.mlplatform.training.export.ExportCheck;
import io.mlplatform.training.export.ExportPhase;
import io.mlplatform.training.report.ReportPage;
import io.mlplatform.training.tuning.FitPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * Stages the bundle, the Spark-native model, the reference rows, the metrics and the report, and
 * publishes them as the next version in one step. A failure aborts the staging, so the store never
 * holds part of a version.
 */
public final class PublishPhase {

  private final SparkSession spark;
  private final ModelSpec spec;
  private final ModelStore store;
  private final Consumer<String> progress;

  public PublishPhase(
      SparkSession spark, ModelSpec spec, ModelStore store, Consumer<String> progress) {
    this.spark = spark;
    this.spec = spec;
    this.store = store;
    this.progress = progress;
  }

  /**
   * @return the published version
   */
  public int run(
      SplitPhase.Split split,
      FitPhase.Trained trained,
      EvaluatePhase.Evaluated evaluated,
      ExportPhase.Exported exported,
      ExportCheck.Outcome checked) {
    String report =
        ReportPage.render(
            new ReportPage.Content(
                spec.name(),
                spec.model().type().key(),
                split.task(),
                exported.manifest().createdAt(),
                DataLoader.resolve(spec.data().path()),
                split.trainRows(),
                split.testRows(),
                evaluated.evaluation(),
                trained.training(),
                checked));
    progress.accept("rendered the evaluation report");
    Staging staging = null;
    try {
      staging = store.stage(spec.name());
      staging.putFile(Layout.BUNDLE, exported.bundle());
      // Spark's own format beside the bundle: Spark-side readers (batch scoring, the promotion
      // gate)
      // load this one, because mleap-spark 0.16 cannot read some of its own bundles back on Spark
      // 3.5.
      trained.model().write().save(staging.location(Layout.SPARK_MODEL));
      progress.accept("saved the Spark-native model for batch scoring and the promotion gate");
      staging.putJsonLines(Layout.REFERENCE_ROWS, exported.reference());
      staging.putJson(
          "metrics.json",
          metricsReport(evaluated.evaluation(), split.trainRows(), split.testRows()));
      staging.putText("report.html", report);
      int version =
          store.publish(
              staging,
              exported
                  .manifest()
                  .withSparkModel(new SparkModel(Layout.SPARK_MODEL, spark.version())));
      progress.accept("published " + spec.name() + " v" + version + " to " + store.uri());
      return version;
    } catch (IOException e) {
      abort(staging);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      abort(staging);
      throw e;
    }
  }

  private static Map<String, Object> metricsReport(
      Evaluation evaluation, long trainRows, long testRows) {
    Map<String, Object> report = new LinkedHashMap<>(evaluation.details());
    report.put("trainRows", trainRows);
    report.put("testRows", testRows);
    return report;
  }

  private static void abort(Staging staging) {
    if (staging != null) {
      staging.abort();
    }
  }
}
