package io.mlplatform.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.Task;
import io.mlplatform.training.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The split phase on a few rows: the task it decides, the rows it drops, the splits it refuses. */
class SplitPhaseTest extends SparkTest {

  @TempDir Path dir;

  private final List<String> progress = new ArrayList<>();

  private ModelSpec spec(String labels, String modelType, double testFraction) throws Exception {
    Path file = dir.resolve("rows.json");
    StringBuilder rows = new StringBuilder();
    String[] values = labels.split(",");
    for (int i = 0; i < values.length; i++) {
      String label = values[i].equals("null") ? "null" : "\"" + values[i] + "\"";
      rows.append("{\"x\": ").append(i).append(", \"y\": ").append(label).append("}\n");
    }
    Files.writeString(file, rows);
    return SpecLoader.parse(
        """
        name: rows
        data: {path: %s}
        target: y
        features: {numeric: [x]}
        model: {type: %s}
        split: {testFraction: %s, seed: 7}
        """
            .formatted(file, modelType, testFraction),
        "rows");
  }

  private SplitPhase.Split split(ModelSpec spec) {
    try (LoadPhase.Loaded data = new LoadPhase(spark, spec, line -> {}).run()) {
      SplitPhase phase = new SplitPhase(spec, progress::add);
      return phase.split(phase.label(data));
    }
  }

  @Test
  void dropsRowsWithoutALabelAndDecidesTheTask() throws Exception {
    SplitPhase.Split split =
        split(spec("a,b,a,b,null,a,b,a,b,null,a,b", "logistic_regression", 0.3));

    assertThat(split.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
    assertThat(split.classes()).containsExactly("a", "b");
    assertThat(split.trainRows() + split.testRows()).isEqualTo(10);
    assertThat(split.trainRows()).isPositive();
    assertThat(split.testRows()).isPositive();
    assertThat(progress)
        .containsExactly(
            "split "
                + split.trainRows()
                + " training / "
                + split.testRows()
                + " test rows (2 without a target value dropped); task binary_classification");
  }

  @Test
  void threeClassesAreMulticlass() throws Exception {
    assertThat(split(spec("a,b,c,a,b,c,a,b,c", "logistic_regression", 0.3)).task())
        .isEqualTo(Task.MULTICLASS_CLASSIFICATION);
  }

  @Test
  void oneClassIsASpecError() throws Exception {
    ModelSpec spec = spec("a,a,a,a,null", "logistic_regression", 0.3);

    assertThatThrownBy(() -> split(spec))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(
            "target: column 'y' has 1 distinct value(s); classification needs at least 2");
  }

  @Test
  void aSplitWithAnEmptySideIsASpecError() throws Exception {
    ModelSpec spec = spec("a,b,a", "logistic_regression", 0.01);

    assertThatThrownBy(() -> split(spec))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(
            "split.testFraction: leaves 3 training and 0 test rows of 3; both need at least one");
    assertThat(progress).isEmpty();
  }
}
