package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** bin/mlplatform as a user runs it: a process, against the jars this build packaged. */
class LauncherTest {

  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  static Result run(Path dir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(TrainingProcess.projectRoot().toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    // The build already packaged everything; the launcher must not start another Maven build.
    builder.environment().put("MLPLATFORM_NO_BUILD", "1");
    builder.environment().remove("MODEL_STORE");
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 2 min");
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  static Path launcher() {
    return TrainingProcess.projectRoot().resolve("bin/mlplatform");
  }

  @Test
  void helpListsTheWholeCommandTree() throws Exception {
    Result help = run(dir, Map.of(), "--help");

    assertThat(help.exitCode()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: mlplatform ");
    for (String line :
        List.of(
            "  train ",
            "  serve ",
            "  batch-score ",
            "  registry ",
            "    list ",
            "    show ",
            "    promote ",
            "    rollback ",
            "    delete ",
            "    history ",
            "  retrain ",
            "  scheduler ",
            "  cluster ",
            "    start ",
            "    stop ",
            "    status ",
            "  bench ",
            "    serving ",
            "    training ",
            "  quickstart ",
            "  completion ")) {
      assertThat(help.out()).as(line).containsPattern("(?m)^" + line);
    }
    assertThat(help.out()).contains("Exit codes:");
  }

  @Test
  void registryListRunsInTheLaunchersJvm() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));

    Result list = run(dir, Map.of(), "registry", "list", "--store", store.toString());

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).isEqualTo("no models in file:" + store + "\n");
  }

  @Test
  void theStoreComesFromMlplatformStoreAndTheOldVariableIsRefused() throws Exception {
    Path store = Files.createDirectories(dir.resolve("env-store"));

    Result list = run(dir, Map.of("MLPLATFORM_STORE", store.toString()), "registry", "list");
    Result refused = run(dir, Map.of("MODEL_STORE", store.toString()), "registry", "list");

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("no models in").contains(store.getFileName().toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("MODEL_STORE was renamed to MLPLATFORM_STORE");
  }

  @Test
  void sparkCommandsAreCheckedBeforeSparkSubmitStarts() throws Exception {
    Result help = run(dir, Map.of(), "train", "--help");
    Result renamed =
        run(
            dir,
            Map.of(),
            "train",
            "conf/models/penguins.yaml",
            "--conf",
            "spark.ui.enabled=false");
    Result missing = run(dir, Map.of(), "batch-score", "penguins");

    assertThat(help.exitCode()).as(help.err()).isZero();
    assertThat(help.out())
        .startsWith("Usage: mlplatform train ")
        .contains("--spark-conf=KEY=VALUE", "--master=URL");
    assertThat(renamed.exitCode()).isEqualTo(2);
    assertThat(renamed.err()).contains("option '--conf' was renamed to '--spark-conf'");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required parameters: 'INPUT', 'OUTPUT'");
  }

  @Test
  void shellCommandsRunWithTheOptionsTheJvmChecked() throws Exception {
    Result status =
        run(dir, Map.of(), "cluster", "status", "--dir", dir.resolve("cluster").toString());
    Result bad = run(dir, Map.of(), "cluster", "start", "--workers", "100");

    assertThat(status.exitCode()).as(status.err()).isEqualTo(3);
    assertThat(status.out()).contains("not started (no PID files in");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--workers must be 1-99, got 100");
  }

  @Test
  void completionLoadsIntoBash() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                "-c",
                "source <(\"$0\" completion) && complete -p mlplatform",
                launcher().toString())
            .redirectErrorStream(true);
    builder.environment().put("MLPLATFORM_NO_BUILD", "1");
    Process bash = builder.start();
    bash.getOutputStream().close();
    assertThat(bash.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String output = new String(bash.getInputStream().readAllBytes());

    assertThat(bash.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("complete .*-F _complete_mlplatform mlplatform");
  }

  /**
   * The launchers build with `mvn package` only: an `install` would put this checkout's jars into
   * the user's Maven repository, where other builds (and this project's own classpath files) pick
   * them up instead of the sources they were built from.
   */
  @Test
  void launchersNeverInstallIntoTheUsersMavenRepository() throws IOException {
    Path root = TrainingProcess.projectRoot();
    List<Path> files = new ArrayList<>(List.of(root.resolve("bin/mlplatform")));
    try (Stream<Path> all = Files.walk(root.resolve("scripts"))) {
      all.filter(Files::isRegularFile).forEach(files::add);
    }
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        assertThat(line)
            .as(root.relativize(file) + ": " + line)
            .doesNotContainPattern("\\bmvn\\s[^\"|;:]*\\binstall\\b");
      }
    }
  }

  /**
   * scripts/X: a one-line wrapper of bin/mlplatform (nothing of its own), whose help is the
   * command's.
   */
  @TestFactory
  Stream<DynamicTest> everyOldScriptIsAOneLineWrapper() throws IOException {
    Path scripts = TrainingProcess.projectRoot().resolve("scripts");
    List<Path> files;
    try (Stream<Path> list = Files.list(scripts)) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    return files.stream()
        .map(
            script ->
                DynamicTest.dynamicTest(
                    "scripts/" + script.getFileName(),
                    () -> {
                      List<String> lines = Files.readAllLines(script);
                      assertThat(lines).hasSize(2);
                      assertThat(lines.get(0)).isEqualTo("#!/usr/bin/env bash");
                      assertThat(lines.get(1))
                          .matches(
                              "exec \"\\$\\(dirname \"\\$0\"\\)/\\.\\./bin/mlplatform\" [a-z -]+ \"\\$@\"");
                      assertThat(Files.isExecutable(script)).isTrue();
                      String command =
                          lines.get(1).replaceAll(".*/bin/mlplatform\" ([a-z -]+) \"\\$@\"", "$1");

                      ProcessBuilder builder =
                          new ProcessBuilder(script.toString(), "--help").redirectErrorStream(true);
                      builder.environment().put("MLPLATFORM_NO_BUILD", "1");
                      Process process = builder.start();
                      assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
                      String help = new String(process.getInputStream().readAllBytes());
                      assertThat(process.exitValue()).as(help).isZero();
                      assertThat(help).startsWith("Usage: mlplatform " + command + " ");
                    }));
  }
}
