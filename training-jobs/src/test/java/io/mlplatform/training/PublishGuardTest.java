package io.mlplatform.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.spec.TextFeatures;
import io.mlplatform.spec.TextVectorizer;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.training.export.ExportMismatchException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle that does not reproduce Spark never reaches the store. Spark 3's HashingTF and MLeap's
 * hash terms differently, which is why the spec check refuses {@code textVectorizer: hashing};
 * built past that check, the job itself must still refuse to publish.
 */
class PublishGuardTest extends SparkTest {

  @TempDir Path dir;

  @Test
  void aBundleThatDoesNotReproduceSparkIsNotPublished() throws Exception {
    ModelSpec counted =
        SpecLoader.parse(
            """
        name: hashed
        data: {path: %s, options: {multiLine: "true"}}
        target: Origin
        features: {text: [Name], textFeatures: 64}
        model: {type: logistic_regression, params: {maxIter: 30}}
        """
                .formatted(root().resolve("data/cars.json")),
            "hashed");
    ModelSpec.Features features = counted.features();
    ModelSpec hashed =
        new ModelSpec(
            counted.name(),
            counted.data(),
            counted.target(),
            new ModelSpec.Features(
                features.numeric(),
                features.categorical(),
                features.scaling(),
                new TextFeatures(features.text().columns(), TextVectorizer.HASHING, 64),
                features.bucketize()),
            counted.model(),
            counted.split(),
            counted.referenceRows(),
            counted.raw(),
            null);
    Path root = dir.resolve("store");
    ModelStore store = ModelStore.open(root.toString());

    assertThatThrownBy(() -> TrainJob.run(spark, hashed, store))
        .isInstanceOf(ExportMismatchException.class)
        .hasMessageStartingWith("export check failed, nothing was published")
        .hasMessageContaining("does not reproduce Spark");
    assertThat(store.models()).isEmpty();
    assertThat(!Files.exists(root) || Files.list(root).findAny().isEmpty())
        .as("store left untouched")
        .isTrue();
  }
}
