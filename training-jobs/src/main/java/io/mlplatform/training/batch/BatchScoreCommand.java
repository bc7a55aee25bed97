package io.mlplatform.training.batch;

import io.mlplatform.spec.DataFormat;
import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.store.Manifest;
import io.mlplatform.store.ModelStore;
import io.mlplatform.store.StoreException;
import io.mlplatform.training.data.DataLoader;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Scores a whole data set with a stored version. Exit codes: 0 written, 1 failed, 2 bad arguments. */
@Command(
    name = "batch-score",
    mixinStandardHelpOptions = true,
    description = "Scores INPUT with a model version from the store and writes the rows with their predictions.")
public final class BatchScoreCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL[@VERSION|@ALIAS]",
      description = "e.g. penguins, penguins@3, penguins@staging (default: production, else the latest)")
  String model;

  @Parameters(index = "1", paramLabel = "INPUT", description = "CSV, JSON or Parquet; a local path or any Hadoop URI")
  String input;

  @Parameters(index = "2", paramLabel = "OUTPUT", description = "where to write; must not exist unless --overwrite")
  String output;

  @Option(names = "--store", paramLabel = "URI", defaultValue = "${env:MODEL_STORE:-" + ModelStore.DEFAULT_LOCATION + "}",
      description = "model store (default: $MODEL_STORE or ${DEFAULT-VALUE})")
  String store;

  @Option(names = "--input-format", description = "csv, json or parquet (default: from INPUT's extension)")
  DataFormat inputFormat;

  @Option(names = "--option", paramLabel = "KEY=VALUE", description = "reader option, e.g. header=true, multiLine=true")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--output-format", defaultValue = "parquet", description = "parquet (default), json or csv")
  DataFormat outputFormat;

  @Option(names = "--overwrite", description = "replace OUTPUT if it exists")
  boolean overwrite;

  public static void main(String[] args) {
    int code = execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new BatchScoreCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean usage = e instanceof SpecException
          || (e instanceof StoreException s && s.kind() != StoreException.Kind.IO);
      commandLine.getErr().println((usage ? "" : "batch scoring failed: ") + e.getMessage());
      return usage ? 2 : 1;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    ModelStore modelStore = ModelStore.open(store);
    String name = model.contains("@") ? model.substring(0, model.indexOf('@')) : model;
    int version = version(modelStore, name);
    Manifest manifest = modelStore.manifest(name, version);
    // Checked before Spark starts: a version without a Spark-native model gets one line, not a trace.
    String sparkModel = modelStore.sparkModelUri(manifest);
    SparkSession.Builder builder = SparkSession.builder().appName("batch-score-" + name);
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      DataFormat format = inputFormat != null ? inputFormat : DataFormat.fromPath(input);
      Dataset<Row> rows = DataLoader.load(spark, new ModelSpec.Data(input, format, options, null));
      Dataset<Row> scored = BatchScorer.score(rows, manifest, PipelineModel.load(sparkModel));
      scored.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
          .format(outputFormat.name().toLowerCase(Locale.ROOT)).save(DataLoader.resolve(output));
      System.out.println("Scored " + input + " with " + name + " v" + version + " into " + output);
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** As the service picks: the version or alias named after '@', else production, else the latest. */
  private int version(ModelStore modelStore, String name) {
    if (model.contains("@")) {
      return modelStore.resolve(name, model.substring(model.indexOf('@') + 1));
    }
    return modelStore.alias(name, ModelStore.PRODUCTION).orElseGet(() -> modelStore.latestVersion(name).orElseThrow(() ->
        new StoreException(StoreException.Kind.NOT_FOUND, "model " + name + " has no version in " + modelStore.uri())));
  }

}
