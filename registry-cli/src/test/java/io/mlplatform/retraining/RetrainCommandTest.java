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
}
