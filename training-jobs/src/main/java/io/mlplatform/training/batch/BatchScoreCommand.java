package io.mlplatform.training.batch;

import io.mlplatform.spec.DataFormat;
import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import io.mlplatform.training.data.DataLoader;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Scores a whole data set with a stored version. Exit codes: 0 written, 1 failed, 2 bad arguments.
 */
@Command(
    name = "batch-score",
    mixinStandardHelpOptions = true,
    description = BatchScoreOptions.DESCRIPTION)
public final class BatchScoreCommand implements Callable<Integer> {

  // Declared in a Spark-free class: the mlplatform launcher shows and checks the same options.
  @Mixin BatchScoreOptions options;

  public static void main(String[] args) {
    int code = execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  public static int execute(String... args) {
    CommandLine cli =
        new CommandLine(new BatchScoreCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          boolean usage =
              e instanceof SpecException
                  || (e instanceof StoreException s && s.kind() != StoreException.Kind.IO);
          commandLine.getErr().println((usage ? "" : "batch scoring failed: ") + e.getMessage());
          return usage ? 2 : 1;
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    ModelStore modelStore = ModelStore.open(options.store);
    String name =
        options.model.contains("@")
            ? options.model.substring(0, options.model.indexOf('@'))
            : options.model;
    int version = version(modelStore, name);
    Manifest manifest = modelStore.manifest(name, version);
    // Checked before Spark starts: a version without a Spark-native model gets one line, not a
    // trace.
    String sparkModel = modelStore.sparkModelUri(manifest);
    SparkSession.Builder builder = SparkSession.builder().appName("batch-score-" + name);
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      DataFormat format =
          options.inputFormat != null ? options.inputFormat : DataFormat.fromPath(options.input);
      Dataset<Row> rows =
          DataLoader.load(spark, new ModelSpec.Data(options.input, format, options.options, null));
      Dataset<Row> scored = BatchScorer.score(rows, manifest, PipelineModel.load(sparkModel));
      scored
          .write()
          .mode(options.overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
          .format(options.outputFormat.name().toLowerCase(Locale.ROOT))
          .save(DataLoader.resolve(options.output));
      System.out.println(
          "Scored " + options.input + " with " + name + " v" + version + " into " + options.output);
      return 0;
    } finally {
      spark.stop();
    }
  }

  /**
   * As the service picks: the version or alias named after '@', else production, else the latest.
   */
  private int version(ModelStore modelStore, String name) {
    if (options.model.contains("@")) {
      return modelStore.resolve(name, options.model.substring(options.model.indexOf('@') + 1));
    }
    return modelStore
        .alias(name, Layout.PRODUCTION)
        .orElseGet(
            () ->
                modelStore
                    .latestVersion(name)
                    .orElseThrow(
                        () ->
                            new StoreException(
                                StoreException.Kind.NOT_FOUND,
                                "model " + name + " has no version in " + modelStore.uri())));
  }
}
