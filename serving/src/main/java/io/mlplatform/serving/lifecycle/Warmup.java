package io.mlplatform.serving.lifecycle;

import io.mlplatform.serving.scoring.ScoringModel;
import java.util.List;

/**
 * Scores rows one at a time before a version takes traffic: the first calls of a new model run
 * interpreted and are many times slower than the compiled path single-row requests then take.
 */
final class Warmup {

  // A model slower than this per row needs no warm-up to be noticed; do not hold its load longer.
  private static final long BUDGET_NANOS = 5_000_000_000L;

  private Warmup() {}

  /** Scores {@code count} single rows, cycling through {@code rows}, within a time budget. */
  static void run(ScoringModel scorer, List<Object[]> rows, int count) {
    if (rows.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + BUDGET_NANOS;
    for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
      scorer.score(List.<Object[]>of(rows.get(i % rows.size())));
    }
  }
}
