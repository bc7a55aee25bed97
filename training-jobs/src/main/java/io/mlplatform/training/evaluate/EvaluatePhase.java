package io.mlplatform.training.evaluate;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.training.data.SplitPhase;
import io.mlplatform.training.tuning.FitPhase;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Scores the held-out rows with the fitted pipeline and computes the metrics, tables and curves.
 */
public final class EvaluatePhase {

  /**
   * @param scoredTest the held-out rows as the fitted pipeline scored them
   */
  public record Evaluated(Dataset<Row> scoredTest, Evaluation evaluation) {

    public Map<String, Double> metrics() {
      return evaluation.metrics();
    }
  }

  private final ModelSpec spec;
  private final Consumer<String> progress;

  public EvaluatePhase(ModelSpec spec, Consumer<String> progress) {
    this.spec = spec;
    this.progress = progress;
  }

  public Evaluated run(SplitPhase.Split split, FitPhase.Trained trained) {
    progress.accept("evaluating on the held-out split");
    Dataset<Row> scoredTest = trained.score(split.test());
    Evaluation evaluation =
        Evaluation.of(split.task(), split.classes(), scoredTest, trained.model(), spec);
    progress.accept("held-out metrics " + evaluation.metrics());
    return new Evaluated(scoredTest, evaluation);
  }
}
