package io.mlplatform.serving.http;

import io.mlplatform.serving.model.Lease;
import io.mlplatform.serving.model.Score;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs models on threads of its own so that a request can be answered when its deadline passes,
 * even if the model is still computing (a JVM thread cannot be stopped mid-computation). The task
 * holds its own lease, so a version is never released under a model that is still running.
 */
final class ScoringPool implements AutoCloseable {

  /** Thrown by a task that started after its request's deadline: nobody is waiting for it. */
  private static final class Expired extends RuntimeException {
    Expired() {
      super(null, null, false, false);
    }
  }

  private final ThreadPoolExecutor executor;

  /**
   * @param threads scoring threads
   * @param queue tasks waiting for a thread at most (the concurrency limit already bounds them)
   */
  ScoringPool(int threads, int queue) {
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queue),
        r -> {
          Thread t = new Thread(r, "scoring-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * @param deadlineNanos {@link System#nanoTime} by which the request must be answered
   * @throws ApiException TIMEOUT past the deadline, OVERLOADED when no task can be queued
   */
  List<Score> score(Lease lease, List<Object[]> rows, long deadlineNanos) {
    Lease task = lease.share();
    Future<List<Score>> future;
    try {
      future = executor.submit(() -> {
        try (task) {
          if (System.nanoTime() - deadlineNanos > 0) {
            throw new Expired();
          }
          return task.model().scorer().score(rows);
        }
      });
    } catch (RejectedExecutionException e) {
      task.close();
      throw new ApiException(ErrorKind.OVERLOADED, "too many requests are being scored; retry shortly");
    }
    try {
      return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw timeout();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Expired) {
        throw timeout();
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

  private static ApiException timeout() {
    return new ApiException(ErrorKind.TIMEOUT, "the request did not finish within the request timeout");
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
