package io.mlplatform.training.export;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.store.format.DataFile;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Lineage;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.training.data.DataLoader;
import io.mlplatform.training.data.LoadPhase;
import io.mlplatform.training.data.SplitPhase;
import io.mlplatform.training.evaluate.EvaluatePhase;
import io.mlplatform.training.monitoring.ReferenceStatistics;
import io.mlplatform.training.pipeline.PipelineFactory;
import io.mlplatform.training.tuning.FitPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * Describes the fitted pipeline (manifest, lineage, reference rows, drift statistics) and writes it
 * as an MLeap bundle into a temporary directory. Nothing here touches the store but to read the
 * latest version, the new one's parent.
 */
public final class ExportPhase {

  /**
   * What a publish needs beside the fitted model; closing it deletes the bundle's temporary
   * directory.
   *
   * @param reference held-out rows with Spark's outputs, which the bundle must reproduce
   */
  public record Exported(Path bundle, Manifest manifest, List<ReferenceRow> reference)
      implements AutoCloseable {

    @Override
    public void close() {
      deleteQuietly(bundle.getParent());
    }
  }

  /** Rows MLeap reads column metadata (vector sizes, categories) from. */
  private static final int METADATA_ROWS = 20;

  private final SparkSession spark;
  private final ModelSpec spec;
  private final ModelStore store;
  private final Consumer<String> progress;

  public ExportPhase(
      SparkSession spark, ModelSpec spec, ModelStore store, Consumer<String> progress) {
    this.spark = spark;
    this.spec = spec;
    this.store = store;
    this.progress = progress;
  }

  public Exported run(
      LoadPhase.Loaded data,
      SplitPhase.Split split,
      FitPhase.Trained trained,
      EvaluatePhase.Evaluated evaluated) {
    List<ReferenceRow> reference =
        ReferenceRows.collect(
            trained.model(), split.test(), spec, trained.fills(), spec.referenceRows());
    Manifest manifest =
        manifest(split, trained.fills(), evaluated.metrics(), lineage(data))
            .withTraining(trained.training())
            .withMonitoring(
                ReferenceStatistics.of(
                    spec, split.train(), evaluated.scoredTest(), split.classes()));
    progress.accept(
        "computed reference distributions of "
            + manifest.monitoring().features().size()
            + " features and of the predictions for drift monitoring");

    Path dir = tempDir();
    try {
      Path bundle = dir.resolve(Layout.BUNDLE);
      MleapExporter.export(
          trained.model(), trained.score(split.train().limit(METADATA_ROWS)), bundle);
      progress.accept("exported MLeap bundle (" + Files.size(bundle) / 1024 + " KiB)");
      return new Exported(bundle, manifest, reference);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new UncheckedIOException(e);
    } catch (Throwable e) {
      deleteQuietly(dir);
      throw e;
    }
  }

  private Lineage lineage(LoadPhase.Loaded data) {
    return new Lineage(
        DataLoader.resolve(spec.data().path()),
        data.count(),
        DataLoader.fingerprint(spark, spec.data()),
        BuildInfo.gitCommit(),
        store.latestVersion(spec.name()).orElse(null),
        data.files().stream().map(DataFile::path).toList(),
        data.files());
  }

  private Manifest manifest(
      SplitPhase.Split split,
      Map<String, Object> fills,
      Map<String, Double> metrics,
      Lineage lineage) {
    List<InputField> inputs = new ArrayList<>();
    // The reader, so that serving converts a caller's JSON value the way it did
    // (InputField.source).
    String source = spec.data().format().sparkName();
    for (String column : spec.features().numeric()) {
      inputs.add(new InputField(column, FieldType.DOUBLE, true, fills.get(column), source));
    }
    for (String column : spec.features().categorical()) {
      inputs.add(new InputField(column, FieldType.STRING, true, fills.get(column), source));
    }
    for (String column : spec.features().text().columns()) {
      inputs.add(new InputField(column, FieldType.STRING, true, fills.get(column), source));
    }
    List<String> classes = split.classes();
    Outputs outputs =
        new Outputs(
            PipelineFactory.PREDICTION,
            split.task().isClassification()
                    && classes.size() > 0
                    && spec.model().type().hasProbability()
                ? PipelineFactory.PROBABILITY
                : null,
            classes);
    return new Manifest(
        Manifest.FORMAT_VERSION,
        spec.name(),
        0,
        Instant.now().toString(),
        split.task(),
        inputs,
        outputs,
        metrics,
        spec.raw(),
        spark.version(),
        BuildInfo.mleapVersion(),
        lineage);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("mlplatform-train-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is harmless.
    }
  }
}
