package io.mlplatform.retraining;

import com.cronutils.model.time.ExecutionTime;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Fires each model's cron schedule and starts a {@link RetrainRun} on its own thread. A trigger that
 * finds the model's previous run still going is skipped and says so (the run lock also stops a run
 * that another process started).
 */
final class RetrainScheduler implements AutoCloseable {

  private final ScheduleConfig config;
  private final Function<ScheduleConfig.Entry, RetrainRun> runs;
  private final PrintStream log;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(named("retrain-clock"));
  private final ExecutorService workers = Executors.newCachedThreadPool(named("retrain-run"));
  private final Map<java.nio.file.Path, Future<?>> running = new ConcurrentHashMap<>();

  RetrainScheduler(ScheduleConfig config, Function<ScheduleConfig.Entry, RetrainRun> runs, PrintStream log) {
    this.config = config;
    this.runs = runs;
    this.log = log;
  }

  void start() {
    for (ScheduleConfig.Entry entry : config.models()) {
      scheduleNext(entry, true);
    }
  }

  /** @param announce log the next time (not after every skipped trigger of a fast schedule) */
  private void scheduleNext(ScheduleConfig.Entry entry, boolean announce) {
    ZonedDateTime now = ZonedDateTime.now(entry.timeZone());
    ExecutionTime times = ExecutionTime.forCron(entry.cron());
    times.nextExecution(now).ifPresentOrElse(next -> {
      long delay = Math.max(0, Duration.between(now, next).toMillis());
      if (announce) {
        say(entry.spec() + ": next run at " + next + " (" + entry.cronText() + ", " + entry.timeZone() + ")");
      }
      clock.schedule(() -> fire(entry), delay, TimeUnit.MILLISECONDS);
    }, () -> say(entry.spec() + ": the cron expression '" + entry.cronText() + "' never fires again"));
  }

  private void fire(ScheduleConfig.Entry entry) {
    boolean started = false;
    try {
      Future<?> previous = running.get(entry.spec());
      if (previous != null && !previous.isDone()) {
        say(entry.spec() + ": trigger skipped, the previous run is still going");
      } else {
        started = true;
        running.put(entry.spec(), workers.submit(() -> {
          try {
            runs.apply(entry).run(entry.spec());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            say(entry.spec() + ": run failed: " + e.getMessage());
          }
        }));
      }
    } finally {
      if (!clock.isShutdown()) {
        // Never fire twice for one instant: look for the next time strictly after this one.
        boolean announce = started;
        clock.schedule(() -> scheduleNext(entry, announce), 1, TimeUnit.SECONDS);
      }
    }
  }

  /** Stops triggering and interrupts runs in progress; their training processes are killed. */
  @Override
  public void close() {
    clock.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void say(String message) {
    log.println(Instant.now() + " scheduler: " + message);
    log.flush();
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(false);
      return t;
    };
  }
}
