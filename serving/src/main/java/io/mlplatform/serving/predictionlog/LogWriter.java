package io.mlplatform.serving.predictionlog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the writer thread does with each entry: serialise it, append it to its model's file, and
 * keep track of the sink. A failure drops the record (counted), abandons the open files, logs the
 * outage once and waits before the next attempt (1 s, doubling up to a minute); meanwhile records
 * are dropped without touching the sink. The first success afterwards logs the recovery once.
 * Single-threaded; the thread loop is {@link PredictionLog}'s.
 */
final class LogWriter {

  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
  static final long FIRST_RETRY_MILLIS = 1_000;
  static final long MAX_RETRY_MILLIS = 60_000;

  private final Callable<FileSystem> opener;
  private final String location;
  private final Path root;
  private final String replica;
  private final long rollBytes;
  private final long rollMillis;
  private final RecordFormat format;
  private final LogMetrics metrics;
  private final LongSupplier clock;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);

  private FileSystem fs;
  private LogFiles files;
  private volatile boolean down;
  private long retryAt;
  private long backoff = FIRST_RETRY_MILLIS;
  private long downSince;
  private long droppedWhileDown;

  /**
   * @param opener opens the sink's file system (called again after a failure to open it)
   * @param location the configured URI, for log messages
   */
  LogWriter(
      Callable<FileSystem> opener,
      String location,
      Path root,
      String replica,
      long rollBytes,
      long rollMillis,
      RecordFormat format,
      LogMetrics metrics,
      LongSupplier clock) {
    this.opener = opener;
    this.location = location;
    this.root = root;
    this.replica = replica;
    this.rollBytes = rollBytes;
    this.rollMillis = rollMillis;
    this.format = format;
    this.metrics = metrics;
    this.clock = clock;
  }

  boolean down() {
    return down;
  }

  void write(LogEntry entry) {
    long now = clock.getAsLong();
    buffer.reset();
    try {
      format.write(entry, buffer);
    } catch (IOException | RuntimeException e) {
      // Not the sink's fault: one record that cannot be serialised must not stop the others.
      LOG.warn(
          "prediction log: a {} record of {} could not be serialised",
          kind(entry),
          entry.model(),
          e);
      metrics.dropped(LogMetrics.Drop.SINK_ERROR);
      return;
    }
    if (!ready(now)) {
      drop();
      return;
    }
    try {
      files.write(entry.model(), entry.atMillis(), now, buffer);
      metrics.written(entry, buffer.size());
      up();
    } catch (IOException | RuntimeException e) {
      drop();
      failed(e, now);
    }
  }

  /** Rolls the files that are old enough; called between entries and when idle. */
  void tick() {
    long now = clock.getAsLong();
    if (files == null || down) {
      return;
    }
    try {
      files.rollDue(now);
    } catch (IOException | RuntimeException e) {
      failed(e, now);
    }
  }

  /** Publishes every open file and closes the file system: at shutdown. */
  void finish() {
    if (files != null && !down) {
      try {
        files.rollAll();
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "prediction log: the last files could not be published to {}: {}",
            location,
            e.toString());
        files.abandonAll();
      }
    }
    if (fs != null) {
      try {
        fs.close();
      } catch (IOException | RuntimeException e) {
        // nothing left to lose
      }
    }
  }

  /** Whether to try the sink for this record: it is up, or down and due for another attempt. */
  private boolean ready(long now) {
    if (down && now - retryAt < 0) {
      return false;
    }
    if (files == null) {
      try {
        fs = opener.call();
        files =
            new LogFiles(fs, root, replica, rollBytes, rollMillis, bytes -> metrics.published());
      } catch (Exception e) {
        failed(e, now);
        return false;
      }
    }
    return true;
  }

  private void drop() {
    metrics.dropped(LogMetrics.Drop.SINK_ERROR);
    if (down) {
      droppedWhileDown++;
    }
  }

  private void failed(Exception e, long now) {
    if (files != null) {
      files.abandonAll();
    }
    if (!down) {
      down = true;
      downSince = now;
      droppedWhileDown = 1;
      LOG.warn(
          "prediction log: cannot write to {} ({}); dropping records"
              + " (mlp_prediction_log_dropped_total) until it recovers, retrying from {} ms on",
          location,
          e.toString(),
          backoff);
    } else {
      backoff = Math.min(MAX_RETRY_MILLIS, backoff * 2);
      LOG.debug("prediction log: {} still fails: {}", location, e.toString());
    }
    retryAt = now + backoff;
  }

  private void up() {
    if (down) {
      down = false;
      backoff = FIRST_RETRY_MILLIS;
      LOG.info(
          "prediction log: writing to {} again after {} s down; {} records were dropped meanwhile",
          location,
          (clock.getAsLong() - downSince) / 1000,
          droppedWhileDown);
    }
  }

  private static String kind(LogEntry entry) {
    return entry instanceof LogEntry.Feedback ? "feedback" : "prediction";
  }
}
