package io.mlplatform.training.batch;

import io.mlplatform.spec.DataFormat;
import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import io.mlplatform.training.data.DataLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Scores a whole data set with a stored version, or with several in one Spark application (the
 * input read once). Exit codes: 0 written, 1 failed, 2 bad arguments.
 */
@Command(
    name = "batch-score",
    mixinStandardHelpOptions = true,
    description = BatchScoreOptions.DESCRIPTION)
public final class BatchScoreCommand implements Callable<Integer> {

  // Declared in a Spark-free class: the mlplatform launcher shows and checks the same options.
  @Mixin BatchScoreOptions options;

  @Spec CommandSpec command;

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

  /** A version to score, with its Spark-native model and where its rows go. */
  private record Target(Manifest manifest, String sparkModel, String output) {}

  @Override
  public Integer call() {
    for (String model : options.models) {
      if (Collections.frequency(options.models, model) > 1) {
        throw new CommandLine.ParameterException(
            command.commandLine(),
            "model '" + model + "' is named twice (each model writes OUTPUT/" + model + ")");
      }
    }
    ModelStore modelStore = ModelStore.open(options.store);
    // Every model is resolved, and checked for a Spark-native model, before Spark starts: one
    // that cannot be scored gets one line, not a trace, and nothing is written.
    List<Target> targets = new ArrayList<>();
    for (String argument : options.models) {
      String name =
          argument.contains("@") ? argument.substring(0, argument.indexOf('@')) : argument;
      Manifest manifest = modelStore.manifest(name, version(modelStore, argument, name));
      String output =
          options.models.size() == 1
              ? options.output
              : options.output.replaceAll("/+$", "") + "/" + argument;
      targets.add(new Target(manifest, modelStore.sparkModelUri(manifest), output));
    }
    SparkSession.Builder builder =
        SparkSession.builder().appName("batch-score-" + String.join(",", options.models));
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      DataFormat format =
          options.inputFormat != null ? options.inputFormat : DataFormat.fromPath(options.input);
      Dataset<Row> rows =
          DataLoader.load(spark, new ModelSpec.Data(options.input, format, options.options, null));
      if (targets.size() > 1) {
        // Read once for all of them.
        rows = rows.cache();
      }
      for (Target target : targets) {
        Dataset<Row> scored =
            BatchScorer.score(rows, target.manifest(), PipelineModel.load(target.sparkModel()));
        scored
            .write()
            .mode(options.overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
            .format(options.outputFormat.name().toLowerCase(Locale.ROOT))
            .save(DataLoader.resolve(target.output()));
        System.out.println(
            "Scored "
                + options.input
                + " with "
                + target.manifest().model()
                + " v"
                + target.manifest().version()
                + " into "
                + target.output());
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  /**
   * As the service picks: the version or alias named after '@', else production, else the latest.
   */
  private static int version(ModelStore modelStore, String argument, String name) {
    if (argument.contains("@")) {
      return modelStore.resolve(name, argument.substring(argument.indexOf('@') + 1));
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
