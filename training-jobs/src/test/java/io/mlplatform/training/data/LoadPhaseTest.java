package io.mlplatform.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.training.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load phase on a five-row file: counts, progress lines, and the cached copy it must release.
 */
class LoadPhaseTest extends SparkTest {

  @TempDir Path dir;

  private ModelSpec spec(String where, String feature) throws Exception {
    Path file = dir.resolve("tiny.json");
    Files.writeString(
        file,
        """
        {"x": 1.0, "y": "a"}
        {"x": 2.0, "y": "b"}
        {"x": 3.0, "y": "a"}
        {"x": 4.0, "y": "b"}
        {"x": -1.0, "y": "a"}
        """);
    return SpecLoader.parse(
        """
        name: tiny
        data: {path: %s, where: "%s"}
        target: y
        features: {numeric: [%s]}
        model: {type: logistic_regression}
        """
            .formatted(file, where, feature),
        "tiny");
  }

  private static boolean cached(Dataset<Row> data) {
    return spark.sharedState().cacheManager().lookupCachedData(data).isDefined();
  }

  @Test
  void readsTheFilesOnceAndReleasesThemOnClose() throws Exception {
    List<String> progress = new ArrayList<>();
    LoadPhase.Loaded data = new LoadPhase(spark, spec("x > 0", "x"), progress::add).run();

    assertThat(data.read()).isEqualTo(5);
    assertThat(data.count()).isEqualTo(4);
    assertThat(data.rows().count()).isEqualTo(4);
    assertThat(data.files())
        .singleElement()
        .satisfies(f -> assertThat(f.path()).endsWith("tiny.json"));
    assertThat(progress)
        .containsExactly(
            "reading json data from " + dir.resolve("tiny.json").toUri(),
            "read 5 rows, 4 match data.where");
    assertThat(cached(data.cached())).isTrue();

    data.close();

    assertThat(cached(data.cached())).isFalse();
  }

  @Test
  void aSpecErrorLeavesNothingCached() throws Exception {
    ModelSpec spec = spec("x > 0", "z");

    assertThatThrownBy(() -> new LoadPhase(spark, spec, line -> {}).run())
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("column 'z' not found");
    assertThat(spark.sharedState().cacheManager().isEmpty()).isTrue();
  }
}
