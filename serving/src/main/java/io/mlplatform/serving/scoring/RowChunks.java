package io.mlplatform.serving.scoring;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scores a large request on every core: the rows are cut into chunks, the calling thread and helper
 * threads claim chunks one at a time until none is left, each row is scored exactly as it would be
 * alone, and the scores are put back in request order. The caller never waits for a chunk nobody
 * has started (it claims what is left itself), so a busy helper costs parallelism, never time, and
 * no request can wait on another's work.
 *
 * <p>The helpers, one fewer than the cores, are shared by every model of the process and exist only
 * while used. A 1,000-row request of a 7-stage GBT pipeline spent about 70 % of its time in MLeap's
 * row transform (BatchBreakdown in serving's tests), which one thread cannot shorten.
 */
final class RowChunks {

  /** Scores one row; must be safe to call from several threads at once. */
  interface RowScorer {
    Score score(Object[] row);
  }

  /** Below this, splitting costs more than it saves (a row takes microseconds). */
  static final int MIN_ROWS = 128;

  /** Rows per chunk: small enough to share the tail of the work evenly. */
  static final int CHUNK = 32;

  private static final int HELPERS = Runtime.getRuntime().availableProcessors() - 1;
  private static final ExecutorService POOL = HELPERS < 1 ? null : helpers(HELPERS);

  private RowChunks() {}

  /**
   * @return one score per row, in order
   */
  static Score[] score(List<Object[]> rows, RowScorer scorer) {
    return score(rows, scorer, POOL, HELPERS);
  }

  static Score[] score(
      List<Object[]> rows, RowScorer scorer, ExecutorService helpers, int helperCount) {
    Score[] scores = new Score[rows.size()];
    if (helpers == null || rows.size() < MIN_ROWS) {
      for (int i = 0; i < scores.length; i++) {
        scores[i] = scorer.score(rows.get(i));
      }
      return scores;
    }
    Work work = new Work(rows, scorer, scores);
    int asked = Math.min(helperCount, work.chunks - 1);
    for (int h = 0; h < asked; h++) {
      try {
        helpers.execute(work::run);
      } catch (RejectedExecutionException e) {
        break; // the caller does it alone
      }
    }
    work.run();
    work.await();
    return scores;
  }

  /** One request's chunks, claimed by whoever asks next. */
  private static final class Work {
    final List<Object[]> rows;
    final RowScorer scorer;
    final Score[] scores;
    final int chunks;
    final AtomicInteger next = new AtomicInteger();
    final CountDownLatch done;
    final AtomicReference<RuntimeException> failed = new AtomicReference<>();

    Work(List<Object[]> rows, RowScorer scorer, Score[] scores) {
      this.rows = rows;
      this.scorer = scorer;
      this.scores = scores;
      this.chunks = (rows.size() + CHUNK - 1) / CHUNK;
      this.done = new CountDownLatch(chunks);
    }

    void run() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          if (failed.get() == null) {
            int end = Math.min(rows.size(), (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
              scores[i] = scorer.score(rows.get(i));
            }
          }
        } catch (RuntimeException e) {
          failed.compareAndSet(null, e);
        } catch (Error e) {
          failed.compareAndSet(null, new IllegalStateException("scoring failed", e));
        } finally {
          done.countDown();
        }
      }
    }

    /** Waits for the chunks helpers claimed; the latch also publishes their scores. */
    void await() {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          // Helpers finish their chunk in microseconds; the answer needs every one of them.
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      RuntimeException e = failed.get();
      if (e != null) {
        throw e;
      }
      if (Arrays.stream(scores).anyMatch(s -> s == null)) {
        throw new IllegalStateException("a chunk of rows was not scored");
      }
    }
  }

  private static ExecutorService helpers(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "scoring-helper-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true); // no threads while no large request comes
    return pool;
  }
}
