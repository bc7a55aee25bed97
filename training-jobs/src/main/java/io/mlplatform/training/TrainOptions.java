package io.mlplatform.training;

import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The train command's own options, declared once: the job under spark-submit ({@link TrainCommand})
 * and the {@code mlplatform} launcher's help tree both mix them in. Imports no Spark, so the
 * launcher can load it without Spark on its classpath.
 */
public final class TrainOptions {

  public static final String DESCRIPTION =
      "Trains the model each spec describes, evaluates it and publishes it as a"
          + " new version. Several specs share one Spark session; a failed one does not stop the others.";

  @Parameters(
      arity = "1..*",
      paramLabel = "SPEC",
      description = "Spec files, e.g. conf/models/penguins.yaml.")
  public List<Path> specs;

  @Option(
      names = "--store",
      paramLabel = "URI",
      defaultValue = "${env:MLPLATFORM_STORE:-" + ModelStore.DEFAULT_LOCATION + "}",
      description =
          "Model store: a local path or any Hadoop FileSystem URI (default: $MLPLATFORM_STORE, else"
              + " ${DEFAULT-VALUE}).")
  public String store;

  @Option(
      names = "--timings",
      paramLabel = "FILE",
      description =
          "Also write each published model's phase timings (seconds) to FILE as JSON lines.")
  public Path timings;

  /** The same options as arguments again, for the job that spark-submit starts. */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>();
    specs.forEach(spec -> args.add(spec.toString()));
    args.add("--store");
    args.add(store);
    if (timings != null) {
      args.add("--timings");
      args.add(timings.toString());
    }
    return args;
  }
}
