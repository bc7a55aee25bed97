package io.mlplatform.training.data;

import static org.apache.spark.sql.functions.col;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.store.format.Task;
import io.mlplatform.training.pipeline.Labels;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Indexes the target, decides the task and splits the rows that have a target value into training
 * and held-out sets. Two steps, so a caller can check what depends on the task (the promotion
 * rules) before the split is counted.
 */
public final class SplitPhase {

  /**
   * The rows with a target value, indexed, and the task they make.
   *
   * @param rows the rows loaded, with or without a target value (the split reports how many it
   *     dropped)
   */
  public record Labeled(Labels labels, Task task, long rows) {}

  /**
   * Both sides are kept in Spark's cache, filled by the counts of the split: fitting, evaluation,
   * reference rows, reference statistics and the promotion gate all read them again, and without
   * the cache each of those passes would redo the label indexing and the split's sort. Closing
   * releases them.
   *
   * @param train the training rows, raw features and indexed label (missing values not filled yet)
   * @param test the held-out rows, in the same shape
   * @param classes class names by index; empty for regression
   */
  public record Split(
      Dataset<Row> train,
      Dataset<Row> test,
      long trainRows,
      long testRows,
      Task task,
      List<String> classes)
      implements AutoCloseable {

    @Override
    public void close() {
      train.unpersist();
      test.unpersist();
    }
  }

  private final ModelSpec spec;
  private final Consumer<String> progress;

  public SplitPhase(ModelSpec spec, Consumer<String> progress) {
    this.spec = spec;
    this.progress = progress;
  }

  /**
   * @throws SpecException when the label's classes do not suit the model type
   */
  public Labeled label(LoadPhase.Loaded data) {
    Dataset<Row> labeled = data.rows().filter(col(spec.target()).isNotNull());
    Labels labels =
        spec.model().type().isClassifier()
            ? Labels.forClassification(labeled, spec.target())
            : Labels.forRegression(labeled, spec.target());
    return new Labeled(labels, task(labels), data.count());
  }

  /**
   * @throws SpecException when either side of the split is empty
   */
  public Split split(Labeled labeled) {
    double testFraction = spec.split().testFraction();
    Dataset<Row>[] sides =
        labeled
            .labels()
            .data()
            .randomSplit(new double[] {1 - testFraction, testFraction}, spec.split().seed());
    Split split =
        new Split(
            sides[0].cache(),
            sides[1].cache(),
            sides[0].count(),
            sides[1].count(),
            labeled.task(),
            labeled.labels().classes());
    try {
      return checked(split, labeled.rows());
    } catch (Throwable e) {
      split.close();
      throw e;
    }
  }

  private Split checked(Split split, long rows) {
    long trainRows = split.trainRows();
    long testRows = split.testRows();
    if (trainRows == 0 || testRows == 0) {
      throw new SpecException(
          spec.name(),
          List.of(
              "split.testFraction: leaves "
                  + trainRows
                  + " training and "
                  + testRows
                  + " test rows of "
                  + rows
                  + "; both need at least one"));
    }
    progress.accept(
        "split "
            + trainRows
            + " training / "
            + testRows
            + " test rows ("
            + (rows - trainRows - testRows)
            + " without a target value dropped); task "
            + split.task().name().toLowerCase());
    return split;
  }

  private Task task(Labels labels) {
    if (!spec.model().type().isClassifier()) {
      return Task.REGRESSION;
    }
    int classes = labels.classes().size();
    if (classes < 2) {
      throw new SpecException(
          spec.name(),
          List.of(
              "target: column '"
                  + spec.target()
                  + "' has "
                  + classes
                  + " distinct value(s); classification needs at least 2"));
    }
    if (classes > 2 && spec.model().type().binaryOnly()) {
      throw new SpecException(
          spec.name(),
          List.of(
              "model.type: "
                  + spec.model().type().key()
                  + " supports two"
                  + " classes only; '"
                  + spec.target()
                  + "' has "
                  + classes
                  + " (use random_forest_classifier or"
                  + " logistic_regression)"));
    }
    return classes == 2 ? Task.BINARY_CLASSIFICATION : Task.MULTICLASS_CLASSIFICATION;
  }
}
