package io.mlplatform.training.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.training.SparkTest;
import io.mlplatform.training.data.LoadPhase;
import io.mlplatform.training.data.SplitPhase;
import io.mlplatform.training.evaluate.EvaluatePhase;
import io.mlplatform.training.tuning.FitPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phases before publish on a tiny data set: a bundle the MLeap runtime reproduces, a manifest
 * that describes it, a store still untouched, and no temporary files left once closed.
 */
class ExportPhaseTest extends SparkTest {

  @TempDir Path dir;

  /** Forty rows: the class follows x, with a categorical column and a few nulls to fill. */
  private Path tinyData() throws Exception {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      String x = i % 13 == 5 ? "null" : Integer.toString(i);
      String c = i % 11 == 3 ? "null" : "\"" + (i % 3 == 0 ? "p" : "q") + "\"";
      rows.append("{\"x\": ")
          .append(x)
          .append(", \"c\": ")
          .append(c)
          .append(", \"y\": \"")
          .append(i < 20 ? "low" : "high")
          .append("\"}\n");
    }
    Path file = dir.resolve("tiny.json");
    Files.writeString(file, rows);
    return file;
  }

  @Test
  void exportsAVerifiedBundleWithoutTouchingTheStore() throws Exception {
    ModelSpec spec =
        SpecLoader.parse(
            """
        name: tiny
        data: {path: %s}
        target: y
        features: {numeric: [x], categorical: [c]}
        model: {type: logistic_regression, params: {maxIter: 10}}
        export: {referenceRows: 5}
        """
                .formatted(tinyData()),
            "tiny");
    Path storeDir = dir.resolve("store");
    ModelStore store = ModelStore.open(storeDir.toString());
    List<String> progress = new ArrayList<>();

    Path bundle;
    try (LoadPhase.Loaded data = new LoadPhase(spark, spec, progress::add).run()) {
      SplitPhase splitter = new SplitPhase(spec, progress::add);
      SplitPhase.Split split = splitter.split(splitter.label(data));
      FitPhase.Trained trained = new FitPhase(spec, progress::add).run(split);
      EvaluatePhase.Evaluated evaluated =
          new EvaluatePhase(spec, progress::add).run(split, trained);
      try (ExportPhase.Exported exported =
          new ExportPhase(spark, spec, store, progress::add).run(data, split, trained, evaluated)) {
        bundle = exported.bundle();
        assertThat(bundle).isRegularFile();
        assertThat(exported.manifest().metrics()).isEqualTo(evaluated.metrics());
        assertThat(exported.manifest().outputs().labels()).containsExactly("high", "low");
        assertThat(exported.manifest().lineage().rows()).isEqualTo(40);
        assertThat(exported.manifest().lineage().parentVersion()).isNull();
        assertThat(exported.reference()).isNotEmpty();

        ExportCheck.Outcome checked = new VerifyPhase(progress::add).run(exported);

        assertThat(checked.rows()).isEqualTo(exported.reference().size());
        assertThat(checked.maxDifference()).isLessThanOrEqualTo(ExportCheck.TOLERANCE);
      }
    }

    assertThat(bundle.getParent()).doesNotExist();
    assertThat(store.models()).isEmpty();
    assertThat(!Files.exists(storeDir) || Files.list(storeDir).findAny().isEmpty())
        .as("store untouched")
        .isTrue();
    assertThat(progress).last().asString().startsWith("export check: MLeap ");
  }
}
