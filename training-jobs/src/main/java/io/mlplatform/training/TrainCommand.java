package io.mlplatform.training;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import io.mlplatform.training.pipeline.Estimators;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The job's entry point under spark-submit. Exit codes: 0 published, 1 training failed, 2 bad spec
 * or usage.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = TrainOptions.DESCRIPTION)
public final class TrainCommand implements Callable<Integer> {

  static final int FAILED = 1;
  static final int INVALID = 2;

  // Declared in a Spark-free class: the mlplatform launcher shows and checks the same options.
  @Mixin TrainOptions options;

  public static void main(String[] args) {
    int code = execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the command and returns its exit code, without exiting the JVM. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new TrainCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println(
                  e instanceof SpecException ? e.getMessage() : "training failed: " + describe(e));
          if (exitCode(e) == FAILED && !(e instanceof StoreException)) {
            e.printStackTrace(commandLine.getErr());
          }
          return exitCode(e);
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    // Everything checkable without data fails here, before Spark spends seconds starting.
    List<ModelSpec> loaded = loadAll(options.specs);
    ModelStore modelStore = ModelStore.open(options.store);
    boolean ownSession = SparkSession.getActiveSession().isEmpty();
    SparkSession spark =
        session(loaded.size() == 1 ? loaded.get(0).name() : loaded.size() + "-models");
    int exitCode = 0;
    try {
      for (ModelSpec modelSpec : loaded) {
        try {
          TrainJob.Result result = TrainJob.run(spark, modelSpec, modelStore);
          if (options.timings != null) {
            TimingsFile.append(options.timings, result);
          }
          System.out.println(
              "Published " + result.model() + " v" + result.version() + " to " + result.store());
          System.out.println(
              result.promotion().promoted()
                  ? "Promoted "
                      + result.model()
                      + " v"
                      + result.version()
                      + " to production: "
                      + result.promotion().reason()
                  : "Not promoted; production stays "
                      + (result.promotion().production() == null
                          ? "unset"
                          : "v" + result.promotion().production())
                      + ": "
                      + result.promotion().reason());
        } catch (RuntimeException e) {
          if (loaded.size() == 1) {
            throw e;
          }
          int code = exitCode(e);
          System.err.println(
              e instanceof SpecException
                  ? e.getMessage()
                  : "training " + modelSpec.name() + " failed: " + describe(e));
          exitCode = Math.max(exitCode, code);
        }
      }
      return exitCode;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  private static List<ModelSpec> loadAll(List<Path> files) {
    List<ModelSpec> loaded = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      try {
        loaded.add(SpecLoader.load(file, Estimators.CHECK));
      } catch (SpecException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(
          files.size() == 1 ? files.get(0).toString() : files.size() + " specs",
          problems.size() == 1
              ? List.of(problems.get(0).replaceFirst("^invalid spec [^:]*:\n  - ", ""))
              : problems);
    }
    return loaded;
  }

  private static int exitCode(Exception e) {
    return e instanceof SpecException
            || (e instanceof StoreException s && s.kind() == StoreException.Kind.INVALID)
        ? INVALID
        : FAILED;
  }

  private static SparkSession session(String name) {
    SparkSession.Builder builder = SparkSession.builder().appName("train-" + name);
    // spark-submit sets the master; a plain `java` launch trains on this machine.
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    return builder.getOrCreate();
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return root == e ? message : message + " (cause: " + root + ")";
  }
}
