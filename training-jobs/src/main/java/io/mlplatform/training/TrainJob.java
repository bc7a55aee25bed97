package io.mlplatform.training;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.promotion.PromotionGate;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.training.data.LoadPhase;
import io.mlplatform.training.data.SplitPhase;
import io.mlplatform.training.evaluate.EvaluatePhase;
import io.mlplatform.training.export.ExportCheck;
import io.mlplatform.training.export.ExportPhase;
import io.mlplatform.training.export.VerifyPhase;
import io.mlplatform.training.publish.PromotionStep;
import io.mlplatform.training.publish.PublishPhase;
import io.mlplatform.training.tuning.FitPhase;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * Trains the pipeline a spec describes, evaluates it on the held-out split, exports it as an MLeap
 * bundle and publishes it as a new version. Nothing reaches the store unless every step succeeded.
 * Each phase is a class of its own; this one only runs them in order and times them.
 */
public final class TrainJob {

  /**
   * What a successful run published.
   *
   * @param promotion what the promotion gate decided about the new version
   * @param phases wall-clock seconds per phase: load, split, fit, evaluate, export, verify, publish
   */
  public record Result(
      String model,
      int version,
      Map<String, Double> metrics,
      String store,
      PromotionStep.Outcome promotion,
      Map<String, Double> phases) {}

  private TrainJob() {}

  public static Result run(SparkSession spark, ModelSpec spec, ModelStore store) {
    Consumer<String> progress = new Progress("train " + spec.name(), System.out)::step;
    PhaseTimings timings = new PhaseTimings();
    timings.begin("load");
    try (LoadPhase.Loaded data = new LoadPhase(spark, spec, progress).run()) {
      timings.begin("split");
      SplitPhase splitter = new SplitPhase(spec, progress);
      SplitPhase.Labeled labeled = splitter.label(data);
      // A rule the task cannot meet is a spec error, reported before the split costs a Spark job.
      PromotionGate.Rules promotionRules = PromotionStep.rules(spec, labeled.task());
      try (SplitPhase.Split split = splitter.split(labeled)) {
        timings.begin("fit");
        FitPhase.Trained trained = new FitPhase(spec, progress).run(split);
        timings.begin("evaluate");
        int version;
        Map<String, Double> metrics;
        try (EvaluatePhase.Evaluated evaluated =
            new EvaluatePhase(spec, progress).run(split, trained)) {
          metrics = evaluated.metrics();
          timings.begin("export");
          try (ExportPhase.Exported exported =
              new ExportPhase(spark, spec, store, progress).run(data, split, trained, evaluated)) {
            timings.begin("verify");
            ExportCheck.Outcome checked = new VerifyPhase(progress).run(exported);
            timings.begin("publish");
            version =
                new PublishPhase(spark, spec, store, progress)
                    .run(split, trained, evaluated, exported, checked);
          }
        }
        // After the publish: the version stays published whatever the gate does. The gate scores
        // production on the held-out rows still cached from the split.
        PromotionStep.Outcome promotion =
            new PromotionStep(store, spec, progress)
                .run(
                    promotionRules,
                    new PromotionStep.Candidate(version, split.task(), metrics, split.test()));
        return new Result(
            spec.name(), version, metrics, store.uri().toString(), promotion, timings.finish());
      }
    }
  }
}
