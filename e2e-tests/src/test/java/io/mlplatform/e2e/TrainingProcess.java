package io.mlplatform.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the training job the way users do: the packaged job jar through Spark's own SparkSubmit, in
 * a JVM of its own with the training module's classpath. This module never has Spark itself.
 */
final class TrainingProcess {

  /** Exit code and everything the job printed. */
  record Outcome(int exitCode, String output) {}

  // One spark-submit trains penguins and ~15 family fixtures (about 3 min on 2 busy cores).
  private static final long TIMEOUT_MINUTES = 10;

  private TrainingProcess() {}

  static Path projectRoot() {
    String root = System.getProperty("project.root");
    Path path = root == null ? Path.of("..") : Path.of(root);
    return path.toAbsolutePath().normalize();
  }

  static Outcome run(Path spec, Path store, Path log) {
    return run(List.of(spec), store, log);
  }

  /** Trains every spec in one Spark application. */
  static Outcome run(List<Path> specs, Path store, Path log) {
    Path target = projectRoot().resolve("training-jobs/target");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(jvmFlags(target).split("\\s+")));
    command.add("-Dlog4j2.configurationFile=" + projectRoot().resolve("conf/log4j2.properties"));
    command.addAll(
        List.of(
            "-cp",
            read(target.resolve("classpath.txt")).trim(),
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.sql.shuffle.partitions=4",
            "--class",
            "io.mlplatform.training.TrainCommand",
            jobJar(target).toString()));
    specs.forEach(spec -> command.add(spec.toString()));
    command.addAll(List.of("--store", store.toString()));
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(projectRoot().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "training did not finish in " + TIMEOUT_MINUTES + " min; see " + log);
      }
      return new Outcome(process.exitValue(), read(log));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the training job: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path jobJar(Path target) {
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches("training-jobs-.*-app\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no job jar in " + target + ": run `mvn verify` from the root"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot list " + target + ": run `mvn verify` from the project root", e);
    }
  }

  private static String jvmFlags(Path target) {
    Properties properties = new Properties();
    try (InputStream in =
        Files.newInputStream(target.resolve("classes/mlplatform-training.properties"))) {
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("training-jobs is not built: " + e.getMessage(), e);
    }
    return properties.getProperty("java17.opens");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
