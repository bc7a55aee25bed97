package io.mlplatform.serving.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The access log's sink: request threads append lines to a buffer in memory, and a background
 * thread writes it out every interval (and at exit), with the buffer swapped for an empty one so
 * that no request thread waits while a write system call runs. scripts/bench-serving's profile
 * showed first the per-line flush of an autoflushing stdout, then request threads blocked for tens
 * of milliseconds behind the flushes of a shared buffered stream. A line reaches the log at most
 * one interval later.
 */
final class BufferedLines implements Consumer<String>, AutoCloseable {

  // Short enough that `tail -f` looks live, long enough to batch thousands of requests per write.
  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);
  // Past this many buffered characters a request thread writes the buffer out itself and so waits
  // for the target, as with a plain stream: memory stays bounded when the target is stuck.
  static final int MAX_BUFFERED_CHARS = 8 * 1024 * 1024;

  private final OutputStream target;
  private final ScheduledExecutorService flusher;
  private final Object appendLock = new Object(); // guards pending
  private final Object writeLock = new Object(); // one writer at a time; guards spare
  private StringBuilder pending = new StringBuilder(64 * 1024);
  private StringBuilder spare = new StringBuilder(64 * 1024);

  BufferedLines(OutputStream target, Duration interval) {
    this.target = target;
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "access-log-flush");
              t.setDaemon(true);
              return t;
            });
    flusher.scheduleWithFixedDelay(
        this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Standard output, flushed at exit too, so the last requests before a shutdown are not lost. */
  static BufferedLines stdout() {
    BufferedLines lines = new BufferedLines(System.out, DEFAULT_INTERVAL);
    Runtime.getRuntime().addShutdownHook(new Thread(lines::flush, "access-log-final-flush"));
    return lines;
  }

  @Override
  public void accept(String line) {
    boolean full;
    // One append under the lock, so lines from concurrent requests never interleave.
    synchronized (appendLock) {
      pending.append(line).append('\n');
      full = pending.length() >= MAX_BUFFERED_CHARS;
    }
    if (full) {
      flush();
    }
  }

  /** Writes out what is buffered now; request threads keep appending meanwhile. */
  void flush() {
    synchronized (writeLock) {
      StringBuilder out;
      synchronized (appendLock) {
        if (pending.length() == 0) {
          return;
        }
        out = pending;
        pending = spare;
      }
      try {
        target.write(out.toString().getBytes(StandardCharsets.UTF_8));
        target.flush();
      } catch (IOException | RuntimeException e) {
        // Logging must never fail a request: lines that cannot be written are lost.
      }
      out.setLength(0);
      spare = out.capacity() > 1024 * 1024 ? new StringBuilder(64 * 1024) : out;
    }
  }

  @Override
  public void close() {
    flusher.shutdown();
    flush();
  }
}
