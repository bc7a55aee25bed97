package io.mlplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.spec.DataFormat;
import io.mlplatform.training.TrainOptions;
import io.mlplatform.training.batch.BatchScoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What bin/mlplatform is told to run for the commands this JVM only checks. The job's arguments in
 * a plan are parsed again by the job's own option class, so they must come back as the same values.
 */
class LaunchPlanTest {

  @TempDir Path dir;

  private Path planFile;

  @BeforeEach
  void planInto() {
    planFile = dir.resolve("plan");
    System.setProperty(Launched.PLAN_PROPERTY, planFile.toString());
  }

  @AfterEach
  void noPlan() {
    System.clearProperty(Launched.PLAN_PROPERTY);
  }

  private List<String> plan(String... args) throws IOException {
    Run run = Run.of(args);
    assertThat(run.code()).as(run.err()).isZero();
    String words = Files.readString(planFile);
    assertThat(words).endsWith("\0");
    return List.of(words.substring(0, words.length() - 1).split("\0", -1));
  }

  @Command(name = "job")
  static final class TrainJob {
    @Mixin TrainOptions options;
  }

  @Command(name = "job")
  static final class BatchJob {
    @Mixin BatchScoreOptions options;
  }

  @Command(name = "job")
  static final class MonitorJob {
    @Mixin io.mlplatform.training.monitor.MonitorOptions options;
  }

  @Test
  void monitorTakesTheLogFromTheServicesConfigUnlessGivenAndPassesEveryOption() throws IOException {
    Path config = dir.resolve("serving.yaml");
    Files.writeString(config, "port: 8080\npredictionLog:\n  uri: hdfs://nn:8020/log\n");

    List<String> fromConfig =
        plan(
            "monitor", "penguins", "--config", config.toString(), "--since", "7d", "--store", "/s");
    List<String> explicit =
        plan("monitor", "penguins", "--log", "/tmp/log", "--master", "yarn", "--min-rows", "100");

    assertThat(fromConfig.subList(0, 4))
        .containsExactly("spark", MonitorCli.MAIN_CLASS, "local[*]", "--");
    MonitorJob job = new MonitorJob();
    new CommandLine(job).parseArgs(fromConfig.subList(4, fromConfig.size()).toArray(String[]::new));
    assertThat(job.options.model).isEqualTo("penguins");
    assertThat(job.options.log).isEqualTo("hdfs://nn:8020/log");
    assertThat(job.options.since).isEqualTo("7d");
    assertThat(job.options.store).isEqualTo("/s");
    assertThat(job.options.threshold).isEqualTo(0.2);
    assertThat(explicit.subList(0, 3)).containsExactly("spark", MonitorCli.MAIN_CLASS, "yarn");
    MonitorJob other = new MonitorJob();
    new CommandLine(other).parseArgs(explicit.subList(4, explicit.size()).toArray(String[]::new));
    assertThat(other.options.log).isEqualTo("/tmp/log");
    assertThat(other.options.minRows).isEqualTo(100);
  }

  @Test
  void monitorWithoutALogAnywhereIsAUsageErrorNamingTheKey() throws IOException {
    Path config = dir.resolve("serving.yaml");
    Files.writeString(config, "port: 8080\n");

    Run run = Run.of("monitor", "penguins", "--config", config.toString());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--log is required", "predictionLog.uri");
  }

  @Test
  void trainRunsTheJobUnderSparkSubmitWithTheSameOptions() throws IOException {
    List<String> plan =
        plan(
            "train",
            "conf/models/penguins.yaml",
            "a b.yaml",
            "--store",
            "hdfs://nn:8020/models",
            "--master",
            "spark://127.0.0.1:7077",
            "--driver-memory",
            "2g",
            "--spark-conf",
            "spark.executor.memory=512m",
            "--timings",
            "t.jsonl");

    assertThat(plan.subList(0, 9))
        .containsExactly(
            "spark",
            TrainCli.MAIN_CLASS,
            "spark://127.0.0.1:7077",
            "--driver-memory",
            "2g",
            "--conf",
            "spark.executor.memory=512m",
            "--",
            "conf/models/penguins.yaml");
    TrainJob job = new TrainJob();
    new CommandLine(job).parseArgs(plan.subList(8, plan.size()).toArray(String[]::new));
    assertThat(job.options.specs)
        .containsExactly(Path.of("conf/models/penguins.yaml"), Path.of("a b.yaml"));
    assertThat(job.options.store).isEqualTo("hdfs://nn:8020/models");
    assertThat(job.options.timings).isEqualTo(Path.of("t.jsonl"));
  }

  @Test
  void trainDefaultsToLocalModeAndAlwaysNamesTheStore() throws IOException {
    List<String> plan = plan("train", "conf/models/penguins.yaml");

    assertThat(plan.get(2)).isEqualTo("local[*]");
    assertThat(plan.subList(3, plan.size()))
        .startsWith("--", "conf/models/penguins.yaml", "--store");
  }

  @Test
  void batchScoreRunsTheJobWithTheSameOptions() throws IOException {
    List<String> plan =
        plan(
            "batch-score",
            "penguins@staging,species-rf",
            "data/penguins.json",
            "/tmp/out",
            "--option",
            "multiLine=true",
            "--option",
            "mode=PERMISSIVE",
            "--input-format",
            "JSON",
            "--output-format",
            "csv",
            "--overwrite",
            "--store",
            "/tmp/store");

    assertThat(plan.subList(0, 4))
        .containsExactly("spark", BatchScoreCli.MAIN_CLASS, "local[*]", "--");
    BatchJob job = new BatchJob();
    new CommandLine(job)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(plan.subList(4, plan.size()).toArray(String[]::new));
    assertThat(job.options.models).containsExactly("penguins@staging", "species-rf");
    assertThat(job.options.input).isEqualTo("data/penguins.json");
    assertThat(job.options.output).isEqualTo("/tmp/out");
    assertThat(job.options.options)
        .containsExactly(Map.entry("multiLine", "true"), Map.entry("mode", "PERMISSIVE"));
    assertThat(job.options.inputFormat).isEqualTo(DataFormat.JSON);
    assertThat(job.options.outputFormat).isEqualTo(DataFormat.CSV);
    assertThat(job.options.overwrite).isTrue();
    assertThat(job.options.store).isEqualTo("/tmp/store");
  }

  @Test
  void badJobArgumentsAreRefusedBeforeSparkStarts() {
    Run missing = Run.of("batch-score", "penguins", "in.json");
    Run format = Run.of("batch-score", "penguins", "in.json", "out", "--output-format", "xml");

    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required parameter: 'OUTPUT'");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("--output-format").contains("xml");
    assertThat(planFile).doesNotExist();
  }

  @Test
  void shellCommandsGetTheirOptionsCheckedAndDefaulted() throws IOException {
    assertThat(plan("cluster", "start"))
        .containsExactly("shell", "cluster", "start", "--workers", "2", "--port", "7077");
    assertThat(plan("cluster", "status", "--dir", "/tmp/c"))
        .containsExactly("shell", "cluster", "status", "--dir", "/tmp/c");
    assertThat(plan("bench", "training", "--rows", "20000", "--spark-conf", "a=b"))
        .containsExactly(
            "shell",
            "bench-training",
            "--rows",
            "20000",
            "--master",
            "local[*]",
            "--spark-conf",
            "a=b");
    assertThat(plan("bench", "serving", "--duration", "5", "--profile"))
        .containsExactly(
            "shell",
            "bench-serving",
            "--duration",
            "5",
            "--warmup",
            "3",
            "--rows",
            "20000",
            "--log-rounds",
            "3",
            "--profile");
    assertThat(plan("bench", "serving", "--log-rounds", "0")).contains("--log-rounds", "0");
    assertThat(plan("bench", "capacity", "--versions", "10", "--out", "/tmp/c"))
        .containsExactly(
            "shell",
            "bench-capacity",
            "--versions",
            "10",
            "--starts",
            "5",
            "--rounds",
            "3",
            "--duration",
            "10",
            "--rows",
            "20000",
            "--out",
            "/tmp/c");
    assertThat(plan("quickstart", "--port", "9090", "--store", "/tmp/s"))
        .containsExactly("shell", "quickstart", "--port", "9090", "--store", "/tmp/s");
  }

  @Test
  void quickstartTakesItsPortFromTheEnvironmentMlplatformPortFirst() throws IOException {
    Run run = Run.with(Map.of("MLPLATFORM_PORT", "9191", "PORT", "9292"), "quickstart");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Files.readString(planFile)).contains("--port\0009191\0");

    Run port = Run.with(Map.of("PORT", "9292"), "quickstart");
    assertThat(port.code()).isZero();
    assertThat(Files.readString(planFile)).contains("--port\0009292\0");
  }

  @Test
  void outOfRangeValuesAreUsageErrors() {
    assertThat(Run.of("cluster", "start", "--workers", "0").err())
        .contains("--workers must be 1-99, got 0");
    assertThat(Run.of("cluster", "start", "--port", "70000").code()).isEqualTo(2);
    assertThat(Run.of("bench", "training", "--rows", "20k").err())
        .contains("--rows takes sizes like");
    assertThat(Run.with(Map.of("MLPLATFORM_PORT", "http"), "quickstart").err())
        .contains("MLPLATFORM_PORT must be a port number, got 'http'");
  }

  @Test
  void withoutTheLauncherTheyExplainWhereTheyRun() {
    System.clearProperty(Launched.PLAN_PROPERTY);

    Run run = Run.of("train", "conf/models/penguins.yaml");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("mlplatform train: runs through bin/mlplatform, which starts spark-submit");
  }
}
