package io.mlplatform.training.batch;

import io.mlplatform.spec.DataFormat;
import io.mlplatform.store.storage.ModelStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The batch-score command's own options, declared once for the job ({@link BatchScoreCommand}) and
 * the {@code mlplatform} launcher's help tree. Imports no Spark (the launcher has none).
 */
public final class BatchScoreOptions {

  public static final String DESCRIPTION =
      "Scores INPUT with a model version from the store and writes the rows with their predictions.";

  @Parameters(
      index = "0",
      split = ",",
      paramLabel = "MODEL[@VERSION|@ALIAS]",
      description = {
        "e.g. penguins, penguins@3, penguins@staging (default: production, else the latest);",
        "several, comma-separated (penguins@1,penguins@2), score INPUT in one Spark application,",
        "each into OUTPUT/<as written here>"
      })
  public List<String> models;

  @Parameters(
      index = "1",
      paramLabel = "INPUT",
      description = "CSV, JSON or Parquet; a local path or any Hadoop URI")
  public String input;

  @Parameters(
      index = "2",
      paramLabel = "OUTPUT",
      description = "where to write; must not exist unless --overwrite")
  public String output;

  @Option(
      names = "--store",
      paramLabel = "URI",
      defaultValue = "${env:MLPLATFORM_STORE:-" + ModelStore.DEFAULT_LOCATION + "}",
      description = "model store (default: $MLPLATFORM_STORE, else ${DEFAULT-VALUE})")
  public String store;

  @Option(
      names = "--input-format",
      paramLabel = "FORMAT",
      description = "csv, json or parquet (default: from INPUT's extension)")
  public DataFormat inputFormat;

  @Option(
      names = "--option",
      paramLabel = "KEY=VALUE",
      description = "reader option, repeatable, e.g. header=true, multiLine=true")
  public Map<String, String> options = new LinkedHashMap<>();

  @Option(
      names = "--output-format",
      paramLabel = "FORMAT",
      defaultValue = "parquet",
      description = "parquet (default), json or csv")
  public DataFormat outputFormat;

  @Option(names = "--overwrite", description = "replace OUTPUT if it exists")
  public boolean overwrite;

  /** The same options as arguments again, for the job that spark-submit starts. */
  public List<String> toArgs() {
    List<String> args =
        new ArrayList<>(List.of(String.join(",", models), input, output, "--store", store));
    if (inputFormat != null) {
      args.add("--input-format");
      args.add(inputFormat.sparkName());
    }
    options.forEach(
        (key, value) -> {
          args.add("--option");
          args.add(key + "=" + value);
        });
    args.add("--output-format");
    args.add(outputFormat.sparkName());
    if (overwrite) {
      args.add("--overwrite");
    }
    return args;
  }
}
