package io.mlplatform.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet is a first-class source: the penguins spec trains the same way from a Parquet copy. */
class ParquetSourceTest extends SparkTest {

  @TempDir Path dir;

  @Test
  void trainsFromParquet() throws IOException {
    Path parquet = dir.resolve("penguins.parquet");
    spark
        .read()
        .option("multiLine", "true")
        .json(root().resolve("data/penguins.json").toString())
        .write()
        .parquet(parquet.toString());
    String yaml =
        Files.readString(root().resolve("conf/models/penguins.yaml"))
            .replace("path: data/penguins.json", "path: " + parquet)
            .replace("format: json", "format: parquet");
    ModelStore store = ModelStore.open(dir.resolve("store").toString());

    TrainJob.Result result = TrainJob.run(spark, SpecLoader.parse(yaml, "parquet"), store);

    Manifest manifest = store.manifest("penguins", result.version());
    assertThat(manifest.lineage().dataUri()).startsWith("file:").contains("penguins.parquet");
    assertThat(manifest.lineage().rows()).isEqualTo(344);
    assertThat(manifest.spec().at("/data/format").asText()).isEqualTo("parquet");
    assertThat(result.metrics().get("accuracy")).isGreaterThan(0.9);
    assertThat(store.referenceRows("penguins", result.version())).isNotEmpty();
  }
}
