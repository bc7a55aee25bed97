package io.mlplatform.training.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments refused before Spark starts (scoring itself runs in e2e-tests under spark-submit). */
class BatchScoreCommandTest {

  @TempDir Path dir;

  @Test
  void aModelNamedTwiceIsRefusedBeforeAnythingIsWritten() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code =
          BatchScoreCommand.execute(
              "penguins,species-rf,penguins",
              "data/penguins.json",
              dir.resolve("out").toString(),
              "--store",
              dir.resolve("store").toString());
    } finally {
      System.setErr(saved);
    }

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("model 'penguins' is named twice")
        .doesNotContain("species-rf'")
        .doesNotContain("Exception");
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
