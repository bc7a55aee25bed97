package io.mlplatform.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock seconds of each phase of one training run, in the order they ran, for {@code --timings
 * FILE} and scripts/bench-training. A phase ends where the next one begins.
 */
public final class PhaseTimings {

  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private String current;
  private long since;

  /** Ends the running phase, if any, and starts {@code phase}. */
  public void begin(String phase) {
    long now = System.nanoTime();
    end(now);
    current = phase;
    since = now;
  }

  /** Ends the running phase; the timings are then complete. */
  public Map<String, Double> finish() {
    end(System.nanoTime());
    current = null;
    return Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
  }

  private void end(long now) {
    if (current != null) {
      seconds.merge(current, (now - since) / 1e9, Double::sum);
    }
  }
}
