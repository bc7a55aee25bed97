package io.mlplatform.serving.http;

import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs models under the request timeout, in one of two ways:
 *
 * <ul>
 *   <li><b>inline</b>, on the request's own thread, for requests of at most {@code inlineMax}
 *       instances: the deadline is checked before each instance and before answering, so a request
 *       past it is answered 503 {@code timeout}, but only once the instance being scored returns (a
 *       JVM thread cannot be stopped mid-computation). A single row scores in microseconds, and the
 *       hand-off to another thread and back cost more than that, most of all in the tail;
 *   <li><b>on a thread of the model's lane</b>, for larger requests: the request is answered at its
 *       deadline even while the model is still computing. The task holds its own lease, so a
 *       version is never released under a model that is still running.
 * </ul>
 *
 * <p>Each model has its own lane: its own threads and a cap on the requests it may have in flight
 * either way (half the API's limit, at least one), so a hung or slow model fills its own lane (and,
 * inline, holds at most that many request threads) and gets fast 503 {@code overloaded} answers,
 * while other models keep their threads and permits.
 */
final class ScoringPool implements AutoCloseable {

  /** Thrown by a task that started after its request's deadline: nobody is waiting for it. */
  private static final class Expired extends RuntimeException {
    Expired() {
      super(null, null, false, false);
    }
  }

  /**
   * A scoring task that notes when it started, to tell a model's own slowness from waiting for it.
   */
  private static final class Task extends FutureTask<List<Score>> {
    volatile long started;

    Task(Callable<List<Score>> work) {
      super(work);
    }

    @Override
    public void run() {
      started = System.nanoTime() | 1; // never 0, which means "not started"
      super.run();
    }
  }

  /** One model's threads and in-flight cap. */
  private static final class Lane {
    final ThreadPoolExecutor executor;
    final Semaphore permits;

    Lane(String model, int threads, int cap) {
      AtomicInteger n = new AtomicInteger();
      this.permits = new Semaphore(cap);
      // Callers hold a permit while they wait, so at most cap tasks are queued or running, plus
      // the tasks whose callers timed out: the queue bounds those too.
      this.executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(cap),
              r -> {
                Thread t = new Thread(r, "scoring-" + model + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      executor.allowCoreThreadTimeOut(true); // an idle model's lane costs no threads
    }
  }

  /** How long closing waits for tasks still running, for all lanes together. */
  static final long DRAIN_MILLIS = 10_000;

  private final int threads;
  private final int perModel;
  private final long timeoutNanos;
  private final int inlineMax;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * @param threads scoring threads per model
   * @param maxConcurrentRequests the API's limit; each model may use half of it (at least one)
   * @param timeoutNanos the request timeout; a timed-out task that ran at least half of it is the
   *     model's fault
   * @param inlineMax requests of at most this many instances are scored on the request thread; 0
   *     sends every request to the model's lane
   */
  ScoringPool(int threads, int maxConcurrentRequests, long timeoutNanos, int inlineMax) {
    this.threads = threads;
    this.perModel = Math.max(1, maxConcurrentRequests / 2);
    this.timeoutNanos = timeoutNanos;
    this.inlineMax = inlineMax;
  }

  /**
   * @param deadlineNanos {@link System#nanoTime} by which the request must be answered
   * @throws ApiException TIMEOUT past the deadline ({@link ApiException#modelAtFault()} when the
   *     model's own scoring took the time), OVERLOADED when the model's lane is full
   */
  List<Score> score(Lease lease, List<Object[]> rows, long deadlineNanos) {
    String name = lease.model().name();
    Lane lane = lanes.get(name);
    if (lane == null) {
      lane = lanes.computeIfAbsent(name, m -> new Lane(m, threads, perModel));
    }
    if (!lane.permits.tryAcquire()) {
      throw overloaded();
    }
    try {
      return rows.size() <= inlineMax
          ? inline(lease, rows, deadlineNanos)
          : run(lane, lease, rows, deadlineNanos);
    } finally {
      lane.permits.release();
    }
  }

  /**
   * Scores on the calling thread, one instance at a time, checking the deadline before each one and
   * before answering. All the time spent here is the model's own: past the deadline it is blamed
   * when its scoring took at least half the timeout, as on a lane.
   */
  private List<Score> inline(Lease lease, List<Object[]> rows, long deadlineNanos) {
    ScoringModel scorer = lease.model().scorer();
    long started = System.nanoTime();
    if (started - deadlineNanos > 0) {
      throw ApiException.timeout(false);
    }
    try {
      if (rows.size() == 1) {
        List<Score> scores = scorer.score(rows);
        requireBefore(deadlineNanos, started);
        return scores;
      }
      List<Score> scores = new ArrayList<>(rows.size());
      for (Object[] row : rows) {
        requireBefore(deadlineNanos, started);
        scores.addAll(scorer.score(List.<Object[]>of(row)));
      }
      requireBefore(deadlineNanos, started);
      return scores;
    } catch (Error e) {
      // As on a lane, where the task's future wraps it: a 500 that counts against the version.
      throw new IllegalStateException("scoring failed", e);
    }
  }

  private void requireBefore(long deadlineNanos, long started) {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw ApiException.timeout(deadlineNanos - started >= timeoutNanos / 2);
    }
  }

  private List<Score> run(Lane lane, Lease lease, List<Object[]> rows, long deadlineNanos) {
    Lease held = lease.share();
    Task task =
        new Task(
            () -> {
              try (held) {
                if (System.nanoTime() - deadlineNanos > 0) {
                  throw new Expired();
                }
                return held.model().scorer().score(rows);
              }
            });
    try {
      lane.executor.execute(task);
    } catch (RejectedExecutionException e) {
      held.close();
      throw overloaded();
    }
    try {
      return task.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      long started = task.started;
      // Blamed only when its own scoring took the time, not the wait for a thread.
      throw ApiException.timeout(started != 0 && deadlineNanos - started >= timeoutNanos / 2);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Expired) {
        throw ApiException.timeout(false);
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("scoring failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorKind.UNAVAILABLE, "the request was interrupted; retry");
    }
  }

  private static ApiException overloaded() {
    return new ApiException(
        ErrorKind.OVERLOADED, "too many requests are being scored by this model; retry shortly");
  }

  @Override
  public void close() {
    lanes.values().forEach(lane -> lane.executor.shutdown());
    long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
    for (Lane lane : lanes.values()) {
      try {
        lane.executor.awaitTermination(
            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
