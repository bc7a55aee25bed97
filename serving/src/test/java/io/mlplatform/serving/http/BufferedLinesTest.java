package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BufferedLinesTest {

  @Test
  void linesReachTheTargetWithinTheIntervalInOrder() throws Exception {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    try (BufferedLines lines = new BufferedLines(target, Duration.ofMillis(20))) {
      lines.accept("{\"n\":1}");
      lines.accept("{\"n\":2}");
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (target.size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}" + System.lineSeparator()
          + "{\"n\":2}" + System.lineSeparator());
    }
  }

  @Test
  void closeFlushesWhatIsLeft() {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    BufferedLines lines = new BufferedLines(target, Duration.ofHours(1));
    lines.accept("last");
    assertThat(target.size()).isZero();

    lines.close();

    assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo("last" + System.lineSeparator());
  }
}
