package io.mlplatform.training;

import static org.apache.spark.sql.functions.col;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.ModelType;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.promotion.PromotionGate;
import io.mlplatform.store.DataFile;
import io.mlplatform.store.FieldType;
import io.mlplatform.store.InputField;
import io.mlplatform.store.Lineage;
import io.mlplatform.store.Manifest;
import io.mlplatform.store.ModelStore;
import io.mlplatform.store.Outputs;
import io.mlplatform.store.ReferenceRow;
import io.mlplatform.store.SparkModel;
import io.mlplatform.store.Staging;
import io.mlplatform.store.Task;
import io.mlplatform.training.data.DataLoader;
import io.mlplatform.training.data.SchemaCheck;
import io.mlplatform.training.evaluate.Evaluation;
import io.mlplatform.training.export.ExportCheck;
import io.mlplatform.training.export.MleapExporter;
import io.mlplatform.training.export.ReferenceRows;
import io.mlplatform.training.monitoring.ReferenceStatistics;
import io.mlplatform.training.pipeline.Labels;
import io.mlplatform.training.pipeline.MissingValues;
import io.mlplatform.training.pipeline.PipelineFactory;
import io.mlplatform.training.publish.PromotionStep;
import io.mlplatform.training.report.ReportPage;
import io.mlplatform.training.tuning.ModelFitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Trains the pipeline a spec describes, evaluates it on the held-out split, exports it as an MLeap
 * bundle and publishes it as a new version. Nothing reaches the store unless every step succeeded.
 */
public final class TrainJob {

  /**
   * What a successful run published.
   *
   * @param promotion what the promotion gate decided about the new version
   * @param phases wall-clock seconds per phase: load, split, fit, evaluate, export, verify, publish
   */
  public record Result(String model, int version, Map<String, Double> metrics, String store,
      PromotionStep.Outcome promotion, Map<String, Double> phases) {}

  private TrainJob() {}

  public static Result run(SparkSession spark, ModelSpec spec, ModelStore store) {
    Progress progress = new Progress("train " + spec.name(), System.out);
    PhaseTimings phases = new PhaseTimings();
    phases.begin("load");
    progress.step("reading " + spec.data().format().sparkName() + " data from " + DataLoader.resolve(spec.data().path()));
    Dataset<Row> raw = null;
    try {
      List<DataFile> inputs = DataLoader.stamps(spark, spec.data());
      raw = DataLoader.load(spark, spec.data()).cache();
      return train(spark, spec, store, progress, phases, raw, inputs);
    } finally {
      if (raw != null) {
        raw.unpersist();
      }
    }
  }

  private static Result train(SparkSession spark, ModelSpec spec, ModelStore store, Progress progress,
      PhaseTimings phases, Dataset<Row> raw, List<DataFile> inputs) {
    SchemaCheck.check(spec, raw.schema(), spec.name());
    long read = raw.count();
    Dataset<Row> used = DataLoader.filter(raw, spec.data(), spec.name());
    long rows = spec.data().where() == null ? read : used.count();
    progress.step("read " + read + " rows" + (spec.data().where() == null ? "" : ", " + rows + " match data.where"));

    phases.begin("split");
    Dataset<Row> labeled = used.filter(col(spec.target()).isNotNull());
    Labels labels = spec.model().type().isClassifier()
        ? Labels.forClassification(labeled, spec.target())
        : Labels.forRegression(labeled, spec.target());
    Task task = task(spec, labels);
    PromotionGate.Rules promotionRules = PromotionStep.rules(spec, task);
    Dataset<Row>[] split = labels.data()
        .randomSplit(new double[] {1 - spec.split().testFraction(), spec.split().testFraction()}, spec.split().seed());
    Dataset<Row> train = split[0];
    Dataset<Row> test = split[1];
    long trainRows = train.count();
    long testRows = test.count();
    if (trainRows == 0 || testRows == 0) {
      throw new SpecException(spec.name(), List.of("split.testFraction: leaves " + trainRows + " training and "
          + testRows + " test rows of " + rows + "; both need at least one"));
    }
    progress.step("split " + trainRows + " training / " + testRows + " test rows (" + (rows - trainRows - testRows)
        + " without a label dropped); task " + task.name().toLowerCase());

    phases.begin("fit");
    Map<String, Object> fills = MissingValues.learn(train, spec.features());
    progress.step("fitting " + spec.model().type().key());
    ModelFitter.Fitted fitted = ModelFitter.fit(spec, task, labels.classes().size(),
        MissingValues.apply(train, spec.features(), fills), progress::step);
    PipelineModel model = fitted.model();

    phases.begin("evaluate");
    progress.step("evaluating on the held-out split");
    Dataset<Row> scoredTest = model.transform(MissingValues.apply(test, spec.features(), fills));
    Evaluation evaluation = Evaluation.of(task, labels.classes(), scoredTest, model, spec);
    Map<String, Double> metrics = evaluation.metrics();
    progress.step("held-out metrics " + metrics);

    phases.begin("export");
    List<ReferenceRow> reference = ReferenceRows.collect(model, test, spec, fills, spec.referenceRows());
    Manifest manifest = manifest(spark, spec, task, labels.classes(), fills, metrics,
        new Lineage(DataLoader.resolve(spec.data().path()), rows, DataLoader.fingerprint(spark, spec.data()),
            BuildInfo.gitCommit(), store.latestVersion(spec.name()).orElse(null),
            inputs.stream().map(DataFile::path).toList(), inputs))
        .withTraining(fitted.training())
        .withMonitoring(ReferenceStatistics.of(spec, train, scoredTest, labels.classes()));
    progress.step("computed reference distributions of " + manifest.monitoring().features().size()
        + " features and of the predictions for drift monitoring");

    Path workDir = tempDir();
    Staging staging = null;
    int version;
    try {
      Path bundle = workDir.resolve(ModelStore.BUNDLE);
      MleapExporter.export(model, model.transform(MissingValues.apply(train.limit(20), spec.features(), fills)), bundle);
      progress.step("exported MLeap bundle (" + Files.size(bundle) / 1024 + " KiB)");
      phases.begin("verify");
      // Before the store is touched: a bundle that does not reproduce Spark is never published.
      ExportCheck.Outcome checked = ExportCheck.verify(bundle, manifest.inputs(), reference,
          manifest.outputs().predictionColumn(), manifest.outputs().probabilityColumn());
      progress.step("export check: MLeap " + checked.runtime() + " matches Spark on " + checked.rows() + " reference rows, "
          + checked.outputs() + " outputs (largest difference " + checked.maxDifference() + ")");
      phases.begin("publish");
      String report = ReportPage.render(new ReportPage.Content(spec.name(), spec.model().type().key(), task,
          manifest.createdAt(), DataLoader.resolve(spec.data().path()), trainRows, testRows, evaluation,
          fitted.training(), checked));
      progress.step("rendered the evaluation report");
      staging = store.stage(spec.name());
      staging.putFile(ModelStore.BUNDLE, bundle);
      // Spark's own format beside the bundle: Spark-side readers (batch scoring, the promotion gate)
      // load this one, because mleap-spark 0.16 cannot read some of its own bundles back on Spark 3.5.
      model.write().save(staging.location(ModelStore.SPARK_MODEL));
      progress.step("saved the Spark-native model for batch scoring and the promotion gate");
      staging.putJsonLines(ModelStore.REFERENCE_ROWS, reference);
      staging.putJson("metrics.json", metricsReport(evaluation, trainRows, testRows));
      staging.putText("report.html", report);
      version = store.publish(staging, manifest.withSparkModel(new SparkModel(ModelStore.SPARK_MODEL, spark.version())));
      progress.step("published " + spec.name() + " v" + version + " to " + store.uri());
    } catch (IOException e) {
      abort(staging);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      abort(staging);
      throw e;
    } finally {
      deleteQuietly(workDir);
    }
    // After the publish, outside the block above: the version stays published whatever the gate does.
    PromotionStep.Outcome promotion = PromotionStep.run(store, spec, task, promotionRules, version, metrics, test,
        progress::step);
    return new Result(spec.name(), version, metrics, store.uri().toString(), promotion, phases.finish());
  }

  private static Task task(ModelSpec spec, Labels labels) {
    if (!spec.model().type().isClassifier()) {
      return Task.REGRESSION;
    }
    int classes = labels.classes().size();
    if (classes < 2) {
      throw new SpecException(spec.name(), List.of("target: column '" + spec.target() + "' has " + classes
          + " distinct value(s); classification needs at least 2"));
    }
    if (classes > 2 && spec.model().type().binaryOnly()) {
      throw new SpecException(spec.name(), List.of("model.type: " + spec.model().type().key() + " supports two"
          + " classes only; '" + spec.target() + "' has " + classes + " (use random_forest_classifier or"
          + " logistic_regression)"));
    }
    return classes == 2 ? Task.BINARY_CLASSIFICATION : Task.MULTICLASS_CLASSIFICATION;
  }

  private static Manifest manifest(SparkSession spark, ModelSpec spec, Task task, List<String> classes,
      Map<String, Object> fills, Map<String, Double> metrics, Lineage lineage) {
    List<InputField> inputs = new ArrayList<>();
    // The reader, so that serving converts a caller's JSON value the way it did (InputField.source).
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
    Outputs outputs = new Outputs(PipelineFactory.PREDICTION,
        task.isClassification() && classes.size() > 0 && hasProbability(spec.model().type())
            ? PipelineFactory.PROBABILITY : null,
        classes);
    return new Manifest(Manifest.FORMAT_VERSION, spec.name(), 0, Instant.now().toString(), task, inputs, outputs,
        metrics, spec.raw(), spark.version(), BuildInfo.mleapVersion(), lineage);
  }

  private static boolean hasProbability(ModelType type) {
    return type.hasProbability();
  }

  private static Map<String, Object> metricsReport(Evaluation evaluation, long trainRows, long testRows) {
    Map<String, Object> report = new LinkedHashMap<>(evaluation.details());
    report.put("trainRows", trainRows);
    report.put("testRows", testRows);
    return report;
  }

  private static void abort(Staging staging) {
    if (staging != null) {
      staging.abort();
    }
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
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is harmless.
    }
  }
}
