package io.mlplatform.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.format.Task;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on the bundled penguins data, in local[2], into a store in a temp directory. */
class TrainJobTest extends SparkTest {

  @TempDir Path dir;

  private ModelSpec penguins() {
    String yaml =
        readSpec().replace("data/penguins.json", root().resolve("data/penguins.json").toString());
    return SpecLoader.parse(yaml, "penguins.yaml");
  }

  private static String readSpec() {
    try {
      return Files.readString(root().resolve("conf/models/penguins.yaml"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void publishesAVersionThatDescribesItself() throws Exception {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());

    TrainJob.Result first = TrainJob.run(spark, penguins(), store);
    TrainJob.Result second = TrainJob.run(spark, penguins(), store);

    assertThat(first.version()).isEqualTo(1);
    assertThat(second.version()).isEqualTo(2);
    assertThat(first.metrics().get("accuracy")).isGreaterThan(0.9);
    assertThat(first.metrics()).containsKeys("accuracy", "f1_weighted");
    assertThat(first.phases().keySet())
        .containsExactly("load", "split", "fit", "evaluate", "export", "verify", "publish");
    assertThat(first.phases().values()).allSatisfy(seconds -> assertThat(seconds).isPositive());
    Path timings = dir.resolve("timings.jsonl");
    TimingsFile.append(timings, first);
    TimingsFile.append(timings, second);
    List<String> lines = Files.readAllLines(timings);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .startsWith("{\"model\":\"penguins\",\"version\":2,\"phases\":{\"load\":")
        .contains("\"publish\":")
        .contains("\"totalSeconds\":");

    Manifest manifest = store.manifest("penguins", 2);
    assertThat(manifest.task()).isEqualTo(Task.MULTICLASS_CLASSIFICATION);
    assertThat(manifest.outputs().labels()).containsExactly("Adelie", "Chinstrap", "Gentoo");
    assertThat(manifest.inputs())
        .extracting(f -> f.name() + ":" + f.type())
        .containsExactly(
            "Beak Length (mm):DOUBLE",
            "Beak Depth (mm):DOUBLE",
            "Flipper Length (mm):DOUBLE",
            "Body Mass (g):DOUBLE",
            "Island:STRING",
            "Sex:STRING");
    assertThat(manifest.inputs()).allSatisfy(f -> assertThat(f.fill()).isNotNull());
    // Serving converts a JSON decimal sent for a string input the way Spark's JSON reader did.
    assertThat(manifest.inputs()).allSatisfy(f -> assertThat(f.source()).isEqualTo("json"));
    assertThat(manifest.inputs().get(0).fill()).isInstanceOf(Double.class);
    assertThat(manifest.sparkVersion()).isEqualTo("3.5.7");
    assertThat(manifest.mleapVersion()).isEqualTo("0.16.0");
    assertThat(manifest.lineage().rows()).isEqualTo(344);
    assertThat(manifest.lineage().fingerprint())
        .startsWith("sha256:")
        // SHA-256 of nothing: what a fingerprint of no files would be.
        .isNotEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(manifest.lineage().parentVersion()).isEqualTo(1);
    // Noted before reading, so the scheduler sees a file appended during training as new data.
    assertThat(manifest.lineage().inputs())
        .singleElement()
        .satisfies(
            file -> {
              assertThat(file.path()).endsWith("data/penguins.json");
              assertThat(file.size())
                  .isEqualTo(java.nio.file.Files.size(root().resolve("data/penguins.json")));
            });
    assertThat(manifest.spec().get("name").asText()).isEqualTo("penguins");

    List<ReferenceRow> rows = store.referenceRows("penguins", 2);
    assertThat(rows).isNotEmpty();
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.input())
                  .containsOnlyKeys(manifest.inputs().stream().map(f -> f.name()).toList());
              assertThat(row.probabilities()).hasSize(3);
              assertThat(row.probabilities().stream().mapToDouble(Double::doubleValue).sum())
                  .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            });
  }

  @Test
  void learnsFillValuesSoRowsWithNullsAreScored() {
    ModelStore store = ModelStore.open(dir.resolve("nulls").toString());
    // A spec with the whole data as test split would be odd; instead check the held-out rows carry
    // nulls through as the caller would send them, and still have predictions.
    String yaml =
        readSpec()
            .replace("data/penguins.json", root().resolve("data/penguins.json").toString())
            .replace("testFraction: 0.2", "testFraction: 0.5")
            .replace("seed: 42", "seed: 3");
    TrainJob.run(spark, SpecLoader.parse(yaml, "nulls"), store);

    List<ReferenceRow> rows = store.referenceRows("penguins", 1);
    assertThat(rows).anySatisfy(row -> assertThat(row.input().get("Sex")).isNull());
    Manifest manifest = store.manifest("penguins", 1);
    assertThat(manifest.inputs().stream().filter(f -> f.type() == FieldType.STRING))
        .allSatisfy(f -> assertThat(f.fill()).isEqualTo("__missing__"));
  }

  @Test
  void unknownColumnFailsBeforeAnythingIsStaged() {
    ModelStore store = ModelStore.open(dir.resolve("bad").toString());
    String yaml =
        readSpec()
            .replace("data/penguins.json", root().resolve("data/penguins.json").toString())
            .replace("- Sex", "- Gender");

    assertThatThrownBy(() -> TrainJob.run(spark, SpecLoader.parse(yaml, "bad"), store))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("features.categorical[1]: column 'Gender' not found");
    assertThat(store.models()).isEmpty();
    assertThat(dir.resolve("bad/penguins")).doesNotExist();
  }
}
