package io.mlplatform.training.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.Staging;
import io.mlplatform.training.SparkTest;
import io.mlplatform.training.TrainJob;
import io.mlplatform.training.batch.BatchScoreCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The way back into Spark, for the families whose MLeap bundle Spark 3.5 cannot read back (random
 * forest: ImpurityCalculator; text: IDFModel): each version carries its Spark-native model, and the
 * promotion gate of a second run scores production with it.
 */
class SparkSideReloadTest extends SparkTest {

  @TempDir Path dir;

  private static ModelSpec fixture(String file) throws IOException {
    String yaml =
        Files.readString(root().resolve("e2e-tests/src/test/resources/families/" + file))
            .replace("path: data/", "path: " + root().resolve("data") + "/");
    return SpecLoader.parse(yaml, file);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"species-rf.yaml", "origin-nb.yaml"})
  void aSecondRunsGateScoresProductionWithItsSparkNativeModel(String file) throws IOException {
    ModelSpec spec = fixture(file);
    ModelStore store = ModelStore.open(dir.resolve("store").toString());

    TrainJob.Result first = TrainJob.run(spark, spec, store);
    TrainJob.Result second = TrainJob.run(spark, spec, store);

    Manifest manifest = store.manifest(spec.name(), 1);
    assertThat(manifest.sparkModel()).isNotNull();
    assertThat(manifest.sparkModel().sparkVersion()).isEqualTo(spark.version());
    assertThat(
            dir.resolve("store/" + spec.name() + "/versions/1/" + Layout.SPARK_MODEL + "/stages"))
        .isDirectory();
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.promotion().production()).isEqualTo(1);
    assertThat(second.promotion().productionMetrics()).as(second.promotion().reason()).isNotNull();
    // Same data, same seed: production measured on the second run's held-out rows is the first run.
    first
        .metrics()
        .forEach(
            (metric, value) ->
                assertThat(second.promotion().productionMetrics().get(metric))
                    .as(metric)
                    .isCloseTo(value, offset(1e-9)));
    assertThat(second.promotion().reason()).contains("production's");
  }

  @Test
  void aVersionWithoutSparkNativeModelIsExplainedInOneLine() throws IOException {
    ModelSpec spec = fixture("species-rf.yaml");
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    TrainJob.run(spark, spec, store);
    // What an older store holds: a version published before versions carried a Spark-native model.
    Manifest old = store.manifest(spec.name(), 1).withSparkModel(null);
    Path bundle = dir.resolve("bundle.zip");
    store.copyBundleTo(spec.name(), 1, bundle);
    Staging staging = store.stage(spec.name());
    staging.putFile(Layout.BUNDLE, bundle);
    int older = store.publish(staging, old);
    store.setAlias(spec.name(), Layout.PRODUCTION, older, "test: an older version in production");

    TrainJob.Result next = TrainJob.run(spark, spec, store);

    assertThat(next.promotion().promoted()).isFalse();
    assertThat(next.promotion().reason())
        .isEqualTo(
            "production species-rf v2 has no Spark-native model (it was"
                + " published before versions carried one, next to the MLeap bundle that only serving reads); train a new"
                + " version to batch score it or to compare against it");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code =
          BatchScoreCommand.execute(
              spec.name() + "@" + older,
              root().resolve("data/penguins.json").toString(),
              dir.resolve("out").toString(),
              "--store",
              dir.resolve("store").toString());
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .startsWith("species-rf v2 has no Spark-native model")
        .doesNotContain("\n")
        .doesNotContain("Exception");
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
