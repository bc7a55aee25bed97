package io.mlplatform.serving.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.SelectionException;
import io.mlplatform.serving.metrics.RoutingMetrics;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.validation.RequestValidator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores copies of requests on candidate versions, on threads and a queue of its own, after the
 * primary has answered. A full queue drops the copy (counted) instead of waiting: the caller's
 * response never waits for, and never sees, anything that happens here.
 */
final class ShadowScorer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowScorer.class);
  // A queued copy keeps its parsed body alive: bound the rows waiting, not only the copies, so that
  // a queue of large batches cannot hold hundreds of megabytes (~1-2 KB per parsed row).
  static final int MAX_QUEUED_ROWS = 10_000;

  /** One copy to score; also what the rejection handler counts when the queue is full. */
  private record Task(
      ShadowScorer owner,
      Router.Installed installed,
      String model,
      LoadedModel primary,
      List<Score> primaryScores,
      JsonNode body)
      implements Runnable {
    @Override
    public void run() {
      try {
        owner.score(this);
      } finally {
        owner.queuedRows.addAndGet(-primaryScores.size());
      }
    }
  }

  private final ModelRegistry registry;
  private final RequestValidator validator;
  private final RoutingMetrics metrics;
  private final ThreadPoolExecutor executor;
  private final AtomicInteger queuedRows = new AtomicInteger();

  ShadowScorer(
      ModelRegistry registry,
      RequestValidator validator,
      RoutingMetrics metrics,
      int threads,
      int queue) {
    this.registry = registry;
    this.validator = validator;
    this.metrics = metrics;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "shadow-" + n.incrementAndGet());
              t.setDaemon(true);
              // Below request threads: on a busy machine the copies are what should wait.
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            },
            (r, pool) -> rejected((Task) r));
  }

  /** Queues a copy; returns at once whether or not there was room. */
  void submit(
      Router.Installed installed,
      String model,
      LoadedModel primary,
      List<Score> primaryScores,
      JsonNode body) {
    installed.stats().shadowSubmitted.increment();
    Task task = new Task(this, installed, model, primary, primaryScores, body);
    if (queuedRows.addAndGet(primaryScores.size()) > MAX_QUEUED_ROWS) {
      queuedRows.addAndGet(-primaryScores.size());
      dropped(task);
      return;
    }
    executor.execute(task);
  }

  private void rejected(Task task) {
    queuedRows.addAndGet(-task.primaryScores().size());
    dropped(task);
  }

  private void dropped(Task task) {
    task.installed().stats().shadowDropped.increment();
    metrics.skipped(task.model(), "shadow_dropped");
  }

  private void score(Task task) {
    RoutingStats stats = task.installed().stats();
    try (Lease lease = registry.lease(task.model(), Candidate.selector(task.installed().rule()))) {
      LoadedModel candidate = lease.model();
      long start = System.nanoTime();
      // The candidate may have other inputs than the primary: the copy is checked against its own.
      List<Object[]> rows = validator.validate(task.body(), candidate.inputs());
      List<Score> scores = candidate.scorer().score(rows);
      long took = System.nanoTime() - start;
      stats.candidate.record(candidate.version(), took);
      metrics.scored(task.model(), candidate.version(), "candidate", took);
      int agreed =
          Agreement.agreeing(
              task.primary(),
              task.primaryScores(),
              candidate,
              scores,
              task.installed().rule().tolerance());
      int compared = Math.min(scores.size(), task.primaryScores().size());
      stats.rows.add(compared);
      stats.agreedRows.add(agreed);
      metrics.compared(
          task.model(), task.primary().version(), candidate.version(), agreed, compared - agreed);
    } catch (SelectionException e) {
      stats.candidateUnavailable.increment();
      metrics.skipped(task.model(), "candidate_unavailable");
    } catch (RuntimeException e) {
      stats.shadowFailed.increment();
      metrics.skipped(task.model(), "shadow_failed");
      if (stats.shadowFailed.sum() == 1) {
        LOG.warn(
            "{}: shadow candidate {} failed (later failures are only counted): {}",
            task.model(),
            task.installed().rule().candidate(),
            e.toString());
      }
    }
  }

  /** How long closing waits for a copy being scored. */
  public static final long DRAIN_MILLIS = 5_000;

  /** Copies still queued are dropped: they concern responses that were sent long ago. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
