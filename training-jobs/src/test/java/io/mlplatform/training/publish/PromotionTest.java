package io.mlplatform.training.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.HistoryEvent.Action;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.training.SparkTest;
import io.mlplatform.training.TrainJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promotion gate after real training runs on the penguins data: the first version is promoted,
 * a worse one is published but not promoted (production measured on the same held-out rows), an
 * equally good one is promoted, rollback restores the previous production, and a production version
 * that cannot be scored on the new data is never replaced.
 */
class PromotionTest extends SparkTest {

  private static final String MODEL = "penguins";
  @TempDir Path dir;

  /** The shipped spec, conf/models/penguins.yaml, reading {@code data}. */
  private static ModelSpec shipped(Path data, String withoutLine) {
    try {
      String yaml =
          Files.readString(root().resolve("conf/models/penguins.yaml"))
              .replace("data/penguins.json", data.toString());
      return SpecLoader.parse(
          withoutLine == null ? yaml : yaml.replace(withoutLine, ""), "penguins.yaml");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Numeric features only, with the shipped spec's split and gate but a low minimum. */
  private static ModelSpec spec(Path data, List<String> numeric, double min) {
    return SpecLoader.parse(
        """
        name: penguins
        data: {path: "%s", format: json, options: {multiLine: "true"}}
        target: Species
        features: {numeric: [%s], scaling: standard}
        model: {type: logistic_regression, params: {maxIter: 100, regParam: 0.01}}
        split: {testFraction: 0.2, seed: 42}
        promotion: {metric: accuracy, min: %s, maxRegression: 0.005}
        """
            .formatted(data, String.join(", ", numeric), min),
        "penguins-test");
  }

  private static ModelSpec good() {
    return shipped(root().resolve("data/penguins.json"), null);
  }

  /** One weak feature: clearly worse, though above a low minimum, so production decides. */
  private static ModelSpec bodyMassOnly() {
    return spec(root().resolve("data/penguins.json"), List.of("Body Mass (g)"), 0.5);
  }

  /** One store through four runs, because each training run costs seconds. */
  @Test
  void firstIsPromotedWorseIsNotEqualIsRollbackRestoresAndUnscorableProductionStays()
      throws IOException {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());

    TrainJob.Result first = TrainJob.run(spark, good(), store);
    assertThat(first.promotion().promoted()).isTrue();
    assertThat(first.promotion().production()).isNull();
    assertThat(first.promotion().reason())
        .startsWith("accuracy ")
        .endsWith(">= min 0.9; no production version yet");
    assertThat(store.alias(MODEL, Layout.PRODUCTION)).contains(1);

    TrainJob.Result worse = TrainJob.run(spark, bodyMassOnly(), store);
    assertThat(worse.version()).isEqualTo(2);
    assertThat(worse.promotion().promoted()).isFalse();
    assertThat(worse.promotion().production()).isEqualTo(1);
    // v1's bundle, loaded back into Spark and scored on v2's held-out rows (the same rows as v1's
    // own
    // split), reproduces v1's own held-out metrics: the comparison is like for like.
    assertThat(worse.promotion().productionMetrics().get("accuracy"))
        .isCloseTo(first.metrics().get("accuracy"), offset(1e-9));
    assertThat(worse.promotion().productionMetrics().get("log_loss"))
        .isCloseTo(first.metrics().get("log_loss"), offset(1e-9));
    assertThat(worse.metrics().get("accuracy")).isLessThan(first.metrics().get("accuracy") - 0.005);
    assertThat(worse.promotion().reason())
        .contains("worse than production's")
        .endsWith("(allowed: 0.005)");
    assertThat(store.alias(MODEL, Layout.PRODUCTION))
        .as("production after a worse model")
        .contains(1);

    TrainJob.Result same = TrainJob.run(spark, good(), store);
    assertThat(same.promotion().promoted()).isTrue();
    assertThat(same.promotion().reason())
        .contains("equals production's ")
        .endsWith(" on the same held-out rows");
    assertThat(store.alias(MODEL, Layout.PRODUCTION)).contains(3);

    store.rollback(MODEL, Layout.PRODUCTION, "test");
    assertThat(store.alias(MODEL, Layout.PRODUCTION)).as("production after rollback").contains(1);

    // The data lost a column production reads: production cannot be measured, so it stays.
    TrainJob.Result changed = TrainJob.run(spark, withoutBeakDepth(), store);
    assertThat(changed.version()).isEqualTo(4);
    assertThat(changed.promotion().promoted()).isFalse();
    assertThat(changed.promotion().productionMetrics()).isNull();
    assertThat(changed.promotion().reason())
        .isEqualTo(
            "production v1 needs column(s) [Beak Depth (mm)] that this run's data does not have");
    assertThat(store.alias(MODEL, Layout.PRODUCTION)).contains(1);

    assertThat(store.history(MODEL))
        .extracting(HistoryEvent::action, HistoryEvent::from, HistoryEvent::to)
        .containsExactly(
            Tuple.tuple(Action.PUBLISH, null, 1),
            Tuple.tuple(Action.GATE_PASSED, null, 1),
            Tuple.tuple(Action.PROMOTE, null, 1),
            Tuple.tuple(Action.PUBLISH, 1, 2),
            Tuple.tuple(Action.GATE_FAILED, 1, 2),
            Tuple.tuple(Action.PUBLISH, 2, 3),
            Tuple.tuple(Action.GATE_PASSED, 1, 3),
            Tuple.tuple(Action.PROMOTE, 1, 3),
            Tuple.tuple(Action.ROLLBACK, 3, 1),
            Tuple.tuple(Action.PUBLISH, 3, 4),
            Tuple.tuple(Action.GATE_FAILED, 1, 4));
    assertThat(store.history(MODEL).get(4).reason()).isEqualTo(worse.promotion().reason());
  }

  private ModelSpec withoutBeakDepth() throws IOException {
    Path data = dir.resolve("penguins-without-beak-depth.json");
    ObjectMapper json = new ObjectMapper();
    JsonNode rows = json.readTree(root().resolve("data/penguins.json").toFile());
    rows.forEach(row -> ((ObjectNode) row).remove("Beak Depth (mm)"));
    json.writeValue(data.toFile(), rows);
    return shipped(data, "    - Beak Depth (mm)\n");
  }
}
