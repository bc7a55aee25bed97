package io.mlplatform.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a Spark job is submitted: the spark-submit settings train, batch-score and bench training
 * share.
 */
final class SparkOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--master",
      paramLabel = "URL",
      defaultValue = "local[*]",
      description =
          "Spark master: local[N], spark://HOST:PORT, yarn, k8s://... (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(
      names = "--driver-memory",
      paramLabel = "SIZE",
      description = "Memory of the Spark driver, e.g. 4g.")
  String driverMemory;

  @Option(
      names = "--executor-memory",
      paramLabel = "SIZE",
      description = "Memory of each Spark executor, e.g. 2g.")
  String executorMemory;

  @Option(
      names = "--spark-conf",
      paramLabel = "KEY=VALUE",
      description =
          "A Spark property, repeatable: spark.executor.instances=4, spark.submit.deployMode=client ...")
  Map<String, String> conf = new LinkedHashMap<>();

  /**
   * spark-submit's own spelling; here --config always names a file, so Spark properties got a name
   * of their own.
   */
  @Option(names = "--conf", paramLabel = "KEY=VALUE", hidden = true)
  void renamedConf(String ignored) {
    throw new ParameterException(
        spec.commandLine(),
        "option '--conf' was renamed to '--spark-conf' (a Spark property, KEY=VALUE)");
  }

  /** The master, then the other spark-submit options, as a plan carries them. */
  List<String> plan() {
    List<String> words = new ArrayList<>(List.of(master));
    if (driverMemory != null) {
      words.addAll(List.of("--driver-memory", driverMemory));
    }
    if (executorMemory != null) {
      words.addAll(List.of("--executor-memory", executorMemory));
    }
    conf.forEach((key, value) -> words.addAll(List.of("--conf", key + "=" + value)));
    return words;
  }

  /**
   * The same options in this CLI's own spelling, for a shell program that runs mlplatform train
   * itself.
   */
  List<String> args() {
    List<String> words = new ArrayList<>(List.of("--master", master));
    if (driverMemory != null) {
      words.addAll(List.of("--driver-memory", driverMemory));
    }
    if (executorMemory != null) {
      words.addAll(List.of("--executor-memory", executorMemory));
    }
    conf.forEach((key, value) -> words.addAll(List.of("--spark-conf", key + "=" + value)));
    return words;
  }
}
