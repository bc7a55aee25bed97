package io.mlplatform.training.monitor;

import io.mlplatform.store.storage.ModelStore;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The monitor command's own options, declared once for the job ({@link MonitorCommand}) and the
 * {@code mlplatform} launcher's help tree. Imports no Spark (the launcher has none).
 */
public final class MonitorOptions {

  public static final String DESCRIPTION =
      "Reads the prediction log of every replica and writes, per version, drift (PSI), live accuracy"
          + " or RMSE, traffic and latency into the store as a report and a JSON summary.";

  /** serving's driftAlertThreshold default: the same reading of PSI on both sides. */
  public static final double DEFAULT_THRESHOLD = 0.2;

  /** serving's driftMinRows default: PSI below it is noise, so it is not reported. */
  public static final int DEFAULT_MIN_ROWS = 500;

  @Parameters(index = "0", paramLabel = "MODEL", description = "e.g. penguins")
  public String model;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Only records from then on: a date (2026-12-01, UTC midnight), an instant"
              + " (2026-12-01T12:00:00Z) or a duration back from now (7d, 12h, 30m). Default: all.")
  public String since;

  @Option(
      names = "--log",
      paramLabel = "URI",
      description =
          "The prediction log's root (serving's predictionLog.uri): a local path or any Hadoop URI;"
              + " files are read from URI/MODEL/date=*/*.jsonl.")
  public String log;

  @Option(
      names = "--store",
      paramLabel = "URI",
      defaultValue = "${env:MLPLATFORM_STORE:-" + ModelStore.DEFAULT_LOCATION + "}",
      description = "model store (default: $MLPLATFORM_STORE, else ${DEFAULT-VALUE})")
  public String store;

  @Option(
      names = "--threshold",
      paramLabel = "PSI",
      defaultValue = "" + DEFAULT_THRESHOLD,
      description =
          "PSI at or above which a column is flagged (default: ${DEFAULT-VALUE}, as serving)")
  public double threshold;

  @Option(
      names = "--min-rows",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_MIN_ROWS,
      description =
          "PSI is reported for a column (over the period or one time bucket) only from N values on"
              + " (default: ${DEFAULT-VALUE}, as serving)")
  public int minRows;

  /** The same options as arguments again, for the job that spark-submit starts. */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>(List.of(model, "--store", store));
    if (log != null) {
      args.addAll(List.of("--log", log));
    }
    if (since != null) {
      args.addAll(List.of("--since", since));
    }
    args.addAll(List.of("--threshold", Double.toString(threshold)));
    args.addAll(List.of("--min-rows", Integer.toString(minRows)));
    return args;
  }
}
