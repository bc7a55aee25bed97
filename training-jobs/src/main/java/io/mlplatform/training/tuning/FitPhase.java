package io.mlplatform.training.tuning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.spec.ModelSpec;
import io.mlplatform.training.data.SplitPhase;
import io.mlplatform.training.pipeline.MissingValues;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Learns the fill values of missing inputs on the training rows, then fits (or tunes) the pipeline
 * on them.
 */
public final class FitPhase {

  /**
   * The fitted pipeline and what it needs to score raw rows.
   *
   * @param training what goes into the manifest's {@code training}: method, candidates, chosen
   *     params
   * @param fills the value each feature's missing entries become, learned on the training rows
   */
  public record Trained(
      PipelineModel model,
      ObjectNode training,
      ModelSpec.Features features,
      Map<String, Object> fills) {

    /** Fills the missing values of raw rows and scores them, as serving will. */
    public Dataset<Row> score(Dataset<Row> raw) {
      return model.transform(MissingValues.apply(raw, features, fills));
    }
  }

  private final ModelSpec spec;
  private final Consumer<String> progress;

  public FitPhase(ModelSpec spec, Consumer<String> progress) {
    this.spec = spec;
    this.progress = progress;
  }

  public Trained run(SplitPhase.Split split) {
    Map<String, Object> fills = MissingValues.learn(split.train(), spec.features());
    progress.accept("fitting " + spec.model().type().key());
    ModelFitter.Fitted fitted =
        ModelFitter.fit(
            spec,
            split.task(),
            split.classes().size(),
            MissingValues.apply(split.train(), spec.features(), fills),
            progress);
    return new Trained(fitted.model(), fitted.training(), spec.features(), fills);
  }
}
