package io.mlplatform.serving.lifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the store in the background at a fixed delay, so new versions and alias changes are picked
 * up.
 */
public final class StorePoller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StorePoller.class);

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "store-poller");
            thread.setDaemon(true); // never keeps the process alive on its own
            return thread;
          });

  /** Starts polling; an interval of zero polls never. */
  public StorePoller(ModelRegistry registry, Duration interval) {
    if (!interval.isZero()) {
      long millis = interval.toMillis();
      scheduler.scheduleWithFixedDelay(
          () -> {
            try {
              registry.refresh();
            } catch (RuntimeException | Error e) {
              // A failed poll must not end polling: the executor would silently drop the schedule.
              LOG.error("polling the model store failed", e);
            }
          },
          millis,
          millis,
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the store poller did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
