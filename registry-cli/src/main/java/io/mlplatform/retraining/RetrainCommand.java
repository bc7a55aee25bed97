package io.mlplatform.retraining;

import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * mlplatform retrain: one retraining run, for users who schedule with their own cron or
 * orchestrator.
 */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    description =
        "Retrains one model now: lock, check for new data, train (retries, timeout), gate, record.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:a new version was published and promoted to production",
      "1:every attempt failed or timed out; production unchanged",
      "2:bad usage, spec or store",
      "3:a new version was published but the promotion gate kept production",
      "4:skipped: no new data since the latest version",
      "5:skipped: a run of this model is still going"
    })
public final class RetrainCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SPEC", description = "The model's training spec (YAML).")
  Path spec;

  @Option(
      names = "--store",
      paramLabel = "URI",
      defaultValue = "${env:MLPLATFORM_STORE:-" + ModelStore.DEFAULT_LOCATION + "}",
      description = "Model store (default: $MLPLATFORM_STORE, else ${DEFAULT-VALUE}).")
  String store;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master for training (default: local[*]).")
  String master;

  // Properties that differ per run, such as a Kubernetes driver pod's own address, cannot live in
  // spark-defaults.conf; train takes them the same way.
  @Option(
      names = "--spark-conf",
      paramLabel = "KEY=VALUE",
      description =
          "A Spark property for training, repeatable, passed on to train:"
              + " spark.kubernetes.namespace=ml, spark.driver.host=10.0.0.5 ...")
  Map<String, String> sparkConf = new LinkedHashMap<>();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2h",
      description =
          "Kill an attempt still running after this long, e.g. 30m (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--attempts",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Tries before giving up; a bad spec is not retried (default: ${DEFAULT-VALUE}).")
  int attempts;

  @Option(
      names = "--retry-delay",
      paramLabel = "DURATION",
      defaultValue = "1m",
      description = "Pause between attempts (default: ${DEFAULT-VALUE}).")
  String retryDelay;

  @Option(
      names = "--always",
      description = "Train even when the data has not changed since the latest version.")
  boolean always;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      defaultValue = "retrain-runs",
      description = "Where run logs and lock files go (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RetrainCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try {
      if (attempts < 1 || attempts > 10) {
        throw new RetrainException("--attempts must be from 1 to 10, got " + attempts);
      }
      Duration attemptTimeout = option("--timeout", timeout, ScheduleConfig::attemptTimeout);
      Duration delay = option("--retry-delay", retryDelay, ScheduleConfig::parseDuration);
      List<String> properties =
          sparkConf.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
      RunPolicy policy =
          new RunPolicy(
              trainCommand(),
              master,
              attemptTimeout,
              attempts,
              delay,
              !always,
              runsDir,
              properties);
      return new RetrainRun(ModelStore.open(store), store, policy, System.out).run(spec).exitCode;
    } catch (RetrainException | IllegalArgumentException e) {
      System.err.println("retrain: " + e.getMessage());
      return 2;
    } catch (StoreException e) {
      System.err.println("retrain: " + e.getMessage());
      return e.kind() == StoreException.Kind.IO ? 1 : 2;
    }
  }

  /**
   * A duration option read with the schedule file's rule; a bad one is refused naming the option.
   */
  private static Duration option(String name, String text, Function<String, Duration> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new RetrainException(name + ": " + e.getMessage());
    }
  }

  /** bin/mlplatform train of this installation; tests may name another command. */
  static List<String> trainCommand() {
    String custom = System.getProperty("mlplatform.train-command");
    if (custom != null && !custom.isBlank()) {
      return List.of(custom.trim().split("\\s+"));
    }
    String root = System.getProperty("mlplatform.root", ".");
    return List.of(Path.of(root, "bin", "mlplatform").toString(), "train");
  }
}
