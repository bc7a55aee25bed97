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
   * The evaluation, and the scored held-out rows kept in Spark's cache for the reference statistics
   * of the export; closing releases them.
   *
   * @param scoredTest the held-out rows as the fitted pipeline scored them (cached)
   */
  public record Evaluated(Dataset<Row> scoredTest, Evaluation evaluation) implements AutoCloseable {

    public Map<String, Double> metrics() {
      return evaluation.metrics();
    }

    @Override
    public void close() {
      scoredTest.unpersist();
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
    // Scored once: the metrics, the tables and the export's prediction distribution all read it.
    Dataset<Row> scoredTest = trained.score(split.test()).cache();
    try {
      Evaluation evaluation =
          Evaluation.of(split.task(), split.classes(), scoredTest, trained.model(), spec);
      progress.accept("held-out metrics " + evaluation.metrics());
      return new Evaluated(scoredTest, evaluation);
    } catch (Throwable e) {
      scoredTest.unpersist();
      throw e;
    }
  }
}
