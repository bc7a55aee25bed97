package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The access log's buffer can be written out on demand: the shutdown watchdog does so before it
 * halts.
 */
class BufferedLinesTest {

  @Test
  void flushWritesBufferedLinesAtOnce() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BufferedLines lines = new BufferedLines(out, Duration.ofHours(1));
    AccessLog log = new AccessLog(1, lines);
    lines.accept("{\"requestId\":\"last\"}");
    assertThat(out.size()).isZero();

    log.flush();

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"last\"");
    lines.close();
  }
}
