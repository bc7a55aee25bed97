package io.mlplatform.retraining;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RetrainCommandTest {

  @TempDir Path dir;

  /**
   * A zero timeout would kill every attempt at once; the schedule file refuses it, so must the
   * flag.
   */
  @Test
  void aZeroTimeoutIsAUsageErrorBeforeAnythingRuns() throws Exception {
    Path spec =
        Files.writeString(
            dir.resolve("s.yaml"),
            "name: m\ndata: {path: d}\n"
                + "target: y\nfeatures: {numeric: [a]}\nmodel: {type: logistic_regression}\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code =
          new CommandLine(new RetrainCommand())
              .execute(
                  spec.toString(),
                  "--store",
                  dir.resolve("store").toString(),
                  "--runs-dir",
                  dir.resolve("runs").toString(),
                  "--timeout",
                  "0");
    } finally {
      System.setErr(before);
    }

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--timeout: must be more than 0");
    assertThat(dir.resolve("runs")).doesNotExist();
  }

  /**
   * On Kubernetes each run's driver is its own pod: its namespace, name and address reach Spark as
   * --spark-conf, in the order given, next to the run's token.
   */
  @Test
  void sparkPropertiesReachTheTrainingCommandInOrder() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("day-1.json"), "{}\n");
    Path spec =
        Files.writeString(
            dir.resolve("s.yaml"),
            "name: m\ndata: {path: "
                + data
                + "}\ntarget: y\nfeatures: {numeric: [a]}\nmodel: {type: logistic_regression}\n");
    Path args = dir.resolve("args");
    Path train =
        Files.writeString(dir.resolve("train"), "#!/bin/sh\necho \"$@\" > " + args + "\nexit 1\n");
    assertThat(train.toFile().setExecutable(true)).isTrue();
    PrintStream before = System.out;
    int code;
    System.setProperty("mlplatform.train-command", train.toString());
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      code =
          new CommandLine(new RetrainCommand())
              .execute(
                  spec.toString(),
                  "--store",
                  dir.resolve("store").toString(),
                  "--runs-dir",
                  dir.resolve("runs").toString(),
                  "--master",
                  "k8s://https://kubernetes.default.svc",
                  "--spark-conf",
                  "spark.kubernetes.namespace=ml",
                  "--spark-conf",
                  "spark.driver.host=10.0.0.5");
    } finally {
      System.clearProperty("mlplatform.train-command");
      System.setOut(before);
    }

    assertThat(code).as("the stand-in training command fails").isEqualTo(1);
    assertThat(Files.readString(args))
        .contains(
            "--master k8s://https://kubernetes.default.svc"
                + " --spark-conf spark.kubernetes.namespace=ml"
                + " --spark-conf spark.driver.host=10.0.0.5 --spark-conf"
                + " spark.mlplatform.retrainRun=retrain-");
  }
}
