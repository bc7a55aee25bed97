package io.mlplatform.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of the job's command line, for problems found before Spark starts. */
class TrainCommandTest {

  @TempDir Path dir;

  @Test
  void badSpecExitsWithTwoAndNamesTheKey() throws Exception {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(
        spec, "name: x\ndata: {path: d.csv}\nfeatures: {numeric: [a]}\nmodel: {type: nope}\n");

    Run run = run(spec.toString(), "--store", dir.resolve("store").toString());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("target: missing (required)")
        .contains("model.type: unknown model type 'nope'");
    assertThat(dir.resolve("store")).doesNotExist();
  }

  @Test
  void missingSpecFileExitsWithTwo() {
    Run run = run(dir.resolve("absent.yaml").toString());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("cannot read the file");
  }

  @Test
  void helpDescribesTheJob() {
    Run run = run("--help");

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("SPEC").contains("--store");
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = TrainCommand.execute(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }
}
