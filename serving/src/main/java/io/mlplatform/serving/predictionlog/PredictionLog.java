package io.mlplatform.serving.predictionlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.config.PredictionLogSection;
import io.mlplatform.serving.monitoring.FeedbackLedger;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampled records of what this process served, written as JSON lines under a Hadoop URI by one
 * background thread (docs/prediction-log.md). The request path only draws the sample and offers the
 * parts of a record to a queue bounded by instances: it never blocks, never touches the file
 * system, and a full queue drops the record and counts it. Serialising, redaction and every write
 * happen on the writer thread.
 */
public final class PredictionLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PredictionLog.class);

  /** Most time closing waits for the queue to be written and the files published. */
  public static final long DRAIN_MILLIS = 5_000;

  // What closing leaves an interrupted writer to stop.
  private static final long INTERRUPTED_MILLIS = 500;

  // How often an idle writer wakes to roll files that are old enough.
  private static final long TICK_MILLIS = 200;

  private final boolean enabled;
  private final double sampleRate;
  private final long capacity;
  private final LinkedBlockingQueue<LogEntry> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final LogMetrics metrics;
  private final LogWriter writer;
  private final LongSupplier clock;
  private final Thread thread;
  private volatile boolean closing;

  private PredictionLog() {
    this.enabled = false;
    this.sampleRate = 0;
    this.capacity = 0;
    this.metrics = null;
    this.writer = null;
    this.clock = System::currentTimeMillis;
    this.thread = null;
  }

  PredictionLog(
      PredictionLogSection config,
      String replica,
      Callable<FileSystem> opener,
      Path root,
      PrometheusRegistry registry,
      LongSupplier clock,
      boolean startThread) {
    this.enabled = true;
    this.sampleRate = config.sampleRate();
    this.capacity = config.queueInstances();
    this.clock = clock;
    LogWriter[] self = new LogWriter[1];
    this.metrics =
        new LogMetrics(registry, queued::get, () -> self[0] != null && self[0].down() ? 0 : 1);
    this.writer =
        new LogWriter(
            opener,
            config.uri(),
            root,
            replica,
            config.rollBytes(),
            config.rollInterval().toMillis(),
            new RecordFormat(replica, config::redacted),
            metrics,
            clock);
    self[0] = writer;
    if (startThread) {
      thread = new Thread(this::run, "prediction-log");
      thread.setDaemon(true); // closing drains it; a hung sink must not keep the JVM alive
      thread.setPriority(Thread.NORM_PRIORITY - 1);
      thread.start();
    } else {
      thread = null;
    }
  }

  /** A log that writes nothing and costs one branch per request. */
  public static PredictionLog off() {
    return new PredictionLog();
  }

  /**
   * The log the configuration asks for, its writer started; off when not enabled.
   *
   * @param hadoop the Hadoop settings the sink's file system is opened with
   * @param registry where its metrics go (scraped with the service's own)
   */
  public static PredictionLog start(
      PredictionLogSection config, Configuration hadoop, PrometheusRegistry registry) {
    if (!config.enabled()) {
      return off();
    }
    URI uri = location(config.uri());
    Configuration conf = new Configuration(hadoop);
    // Hadoop's own shutdown hook would close the file system while the drain still renames files.
    conf.setBoolean("fs.automatic.close", false);
    String replica = Replica.name(config.replica(), System.getenv());
    LOG.info(
        "prediction log: {} of predict requests and every feedback to {} as replica {}",
        config.sampleRate(),
        uri,
        replica);
    return new PredictionLog(
        config,
        replica,
        () -> open(uri, conf),
        new Path(uri),
        registry,
        System::currentTimeMillis,
        true);
  }

  private static FileSystem open(URI uri, Configuration conf) throws IOException {
    // A file system of its own: the store's cached one is never closed or reconfigured by the log.
    FileSystem fs = FileSystem.newInstance(uri, conf);
    // The local file system's .crc files would double the file count for nothing a reader checks.
    fs.setWriteChecksum(false);
    return fs;
  }

  /** A URI as given, or a local path made absolute. */
  static URI location(String uri) {
    URI parsed = URI.create(uri);
    return parsed.getScheme() != null ? parsed : Paths.get(uri).toAbsolutePath().toUri();
  }

  public boolean enabled() {
    return enabled;
  }

  /** Draws whether this predict request is written: true for {@code sampleRate} of them. */
  public boolean sampled() {
    return enabled
        && (sampleRate >= 1
            || sampleRate > 0 && ThreadLocalRandom.current().nextDouble() < sampleRate);
  }

  /**
   * Offers one sampled predict request's record; returns at once.
   *
   * @param route how the answering version was chosen: default, canary, version or alias
   * @param instances the request's {@code instances} as received
   * @param outputs one per instance, null for an invalid one
   * @param latencyNanos arrival to response
   */
  public void predicted(
      String model,
      int version,
      String requestId,
      String route,
      JsonNode instances,
      List<Object> outputs,
      long latencyNanos) {
    if (enabled) {
      offer(
          new LogEntry.Prediction(
              model,
              version,
              requestId,
              clock.getAsLong(),
              latencyNanos,
              route,
              instances,
              outputs));
    }
  }

  /**
   * Offers the record of an accepted feedback (never sampled), with the raw prediction the ledger
   * accepted ({@link FeedbackLedger.Applied#predicted()}; NaN when unknown).
   */
  public void feedback(FeedbackLedger.Applied applied) {
    if (enabled) {
      double predicted = applied.predicted();
      offer(
          LogEntry.Feedback.of(
              applied, Double.isNaN(predicted) ? null : predicted, clock.getAsLong()));
    }
  }

  private void offer(LogEntry entry) {
    if (closing) {
      metrics.dropped(LogMetrics.Drop.SHUTDOWN);
      return;
    }
    int weight = entry.weight();
    if (queued.addAndGet(weight) > capacity) {
      queued.addAndGet(-weight);
      metrics.dropped(LogMetrics.Drop.QUEUE_FULL);
      return;
    }
    queue.add(entry);
  }

  private void run() {
    try {
      while (!closing || !queue.isEmpty()) {
        LogEntry entry = queue.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
        if (entry != null) {
          queued.addAndGet(-entry.weight());
          writer.write(entry);
        }
        writer.tick();
      }
      writer.finish();
    } catch (InterruptedException e) {
      // closing gave up waiting: what is still queued is counted there
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("prediction log: the writer stopped; records are dropped from now on", e);
    }
  }

  /** For tests without the thread: writes what is queued, then rolls due files. */
  void drainNow() {
    for (LogEntry entry; (entry = queue.poll()) != null; ) {
      queued.addAndGet(-entry.weight());
      writer.write(entry);
    }
    writer.tick();
  }

  /** For tests without the thread: publishes every file. */
  void finishNow() {
    writer.finish();
  }

  /**
   * Stops taking records, writes what is queued and publishes every file, waiting at most {@link
   * #DRAIN_MILLIS}; what is left after that is dropped and counted. Safe to call more than once.
   */
  @Override
  public void close() {
    if (!enabled || closing) {
      return;
    }
    closing = true;
    if (thread != null) {
      try {
        thread.join(DRAIN_MILLIS - INTERRUPTED_MILLIS);
        if (thread.isAlive()) {
          thread.interrupt(); // a sink that hangs may or may not give up on an interrupt
          thread.join(INTERRUPTED_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int left = 0;
    for (LogEntry entry; (entry = queue.poll()) != null; ) {
      left++;
    }
    if (left > 0) {
      metrics.dropped(LogMetrics.Drop.SHUTDOWN, left);
    }
    LOG.info(
        "prediction log closed: {} records written, {} dropped in all{}",
        metrics.writtenCount(),
        metrics.droppedCount(),
        left > 0 ? " (" + left + " still queued when the drain time ran out)" : "");
  }
}
