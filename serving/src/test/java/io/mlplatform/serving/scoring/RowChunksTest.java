package io.mlplatform.serving.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RowChunksTest {

  private static final ExecutorService HELPERS = Executors.newFixedThreadPool(3);

  @AfterAll
  static void stop() {
    HELPERS.shutdownNow();
  }

  private static List<Object[]> rows(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new Object[] {(double) i});
    }
    return rows;
  }

  @Test
  void aLargeRequestIsScoredOnSeveralThreadsAndComesBackInOrder() {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    // Each thread's first row waits until a second thread has started one: deterministic on a
    // busy machine, where helpers may get a core only after the caller could have done it all.
    CountDownLatch twoThreads = new CountDownLatch(2);
    Score[] scores =
        RowChunks.score(
            rows(5_000),
            row -> {
              if (threads.add(Thread.currentThread())) {
                twoThreads.countDown();
                await(twoThreads);
              }
              return new Score((Double) row[0], null);
            },
            HELPERS,
            3);
    assertThat(scores).hasSize(5_000);
    for (int i = 0; i < scores.length; i++) {
      assertThat(scores[i].prediction()).isEqualTo(i);
    }
    assertThat(threads).hasSizeGreaterThan(1);
  }

  @Test
  void aSmallRequestStaysOnTheCallingThread() {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    RowChunks.score(
        rows(RowChunks.MIN_ROWS - 1),
        row -> {
          threads.add(Thread.currentThread());
          return new Score(0, null);
        },
        HELPERS,
        3);
    assertThat(threads).containsExactly(Thread.currentThread());
  }

  @Test
  void aFailingRowFailsTheRequestWhicheverThreadScoredIt() {
    assertThatThrownBy(
            () ->
                RowChunks.score(
                    rows(1_000),
                    row -> {
                      if ((Double) row[0] == 777) {
                        throw new IllegalStateException("row 777 broke");
                      }
                      return new Score(0, null);
                    },
                    HELPERS,
                    3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("row 777 broke");
  }

  @Test
  void withoutHelpersTheCallerScoresEverything() {
    Score[] scores = RowChunks.score(rows(1_000), row -> new Score((Double) row[0], null), null, 0);
    assertThat(scores[999].prediction()).isEqualTo(999);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
