package io.mlplatform.training.monitor;

import io.mlplatform.store.storage.StoreException;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The monitor job's entry point under spark-submit. Exit codes (docs/cli.md): 0 written, 1 failed
 * (the store or the log's file system), 2 bad arguments or an unknown model, 4 no log files in the
 * period.
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = MonitorOptions.DESCRIPTION)
public final class MonitorCommand implements Callable<Integer> {

  static final int NO_LOG_FILES = 4;

  @Mixin MonitorOptions options;

  public static void main(String[] args) {
    int code = execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new MonitorCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          int code = exitCode(e);
          commandLine.getErr().println((code == 1 ? "monitoring failed: " : "") + e.getMessage());
          if (code == 1 && !(e instanceof StoreException)) {
            e.printStackTrace(commandLine.getErr());
          }
          return code;
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    // Checked before Spark starts: a bad --since costs no Spark start-up.
    MonitorJob.Spec spec = MonitorJob.Spec.of(options, Instant.now());
    boolean ownSession = SparkSession.getActiveSession().isEmpty();
    SparkSession.Builder builder = SparkSession.builder().appName("monitor-" + spec.model());
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      MonitorRun run = MonitorJob.run(spark, spec, Instant.now(), System.out);
      System.out.println(
          "Monitored "
              + run.model()
              + " over "
              + run.predictions()
              + " logged predictions: "
              + run.versions().size()
              + " version(s) reported in "
              + run.store()
              + "/"
              + run.model()
              + "/monitoring (latest.json)");
      return 0;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  static int exitCode(Exception e) {
    if (e instanceof MonitorJob.NoLogFilesException) {
      return NO_LOG_FILES;
    }
    if (e instanceof IllegalArgumentException
        || (e instanceof StoreException s
            && (s.kind() == StoreException.Kind.NOT_FOUND
                || s.kind() == StoreException.Kind.INVALID))) {
      return 2;
    }
    return 1;
  }
}
