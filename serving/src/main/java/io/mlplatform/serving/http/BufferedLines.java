package io.mlplatform.serving.http;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The access log's sink: lines go to a buffer that a background thread flushes every interval (and
 * at exit), instead of one write system call per request. scripts/bench-serving's profile showed
 * the per-line flush of an autoflushing stdout on the request path; a line now reaches the log at
 * most one interval later.
 */
final class BufferedLines implements Consumer<String>, AutoCloseable {

  // Short enough that `tail -f` looks live, long enough to batch thousands of requests per write.
  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);

  private final PrintStream out;
  private final ScheduledExecutorService flusher;

  BufferedLines(OutputStream target, Duration interval) {
    this.out =
        new PrintStream(new BufferedOutputStream(target, 64 * 1024), false, StandardCharsets.UTF_8);
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "access-log-flush");
              t.setDaemon(true);
              return t;
            });
    flusher.scheduleWithFixedDelay(
        out::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Standard output, flushed at exit too, so the last requests before a shutdown are not lost. */
  static BufferedLines stdout() {
    BufferedLines lines = new BufferedLines(System.out, DEFAULT_INTERVAL);
    Runtime.getRuntime().addShutdownHook(new Thread(lines.out::flush, "access-log-final-flush"));
    return lines;
  }

  @Override
  public void accept(String line) {
    // PrintStream synchronizes each call, so lines from concurrent requests never interleave.
    out.println(line);
  }

  void flush() {
    out.flush();
  }

  @Override
  public void close() {
    flusher.shutdown();
    out.flush();
  }
}
