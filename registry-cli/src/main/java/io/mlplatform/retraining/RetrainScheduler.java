package io.mlplatform.retraining;

import com.cronutils.model.time.ExecutionTime;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Fires each model's cron schedule and starts a {@link RetrainRun} on its own thread. A trigger
 * that finds the model's previous run still going is skipped and says so (the run lock also stops a
 * run that another process started).
 */
final class RetrainScheduler implements AutoCloseable {

  private final ScheduleConfig config;
  private final Function<ScheduleConfig.Entry, RetrainRun> runs;
  private final PrintStream log;
  private final ScheduledExecutorService clock =
      Executors.newSingleThreadScheduledExecutor(named("retrain-clock"));
  private final ExecutorService workers = Executors.newCachedThreadPool(named("retrain-run"));
  private final Map<java.nio.file.Path, Future<?>> running = new ConcurrentHashMap<>();

  private final Clock now;

  RetrainScheduler(
      ScheduleConfig config, Function<ScheduleConfig.Entry, RetrainRun> runs, PrintStream log) {
    this(config, runs, log, Clock.systemUTC());
  }

  /**
   * @param now where "now" comes from; tests pass a fixed or stepped clock
   */
  RetrainScheduler(
      ScheduleConfig config,
      Function<ScheduleConfig.Entry, RetrainRun> runs,
      PrintStream log,
      Clock now) {
    this.config = config;
    this.runs = runs;
    this.log = log;
    this.now = now;
  }

  /** When the entry fires next, strictly after the clock's present instant. */
  Optional<ZonedDateTime> nextRun(ScheduleConfig.Entry entry) {
    return next(ExecutionTime.forCron(entry.cron()), entry.timeZone(), now.instant());
  }

  /**
   * The cron expression is matched against wall-clock times, then the time found is placed in the
   * zone. cron-utils 9.2.1 evaluated in a zone with daylight saving skips a time that falls in the
   * spring-forward gap (a daily 02:30 in Europe/Berlin never runs that day) and matches a time in
   * the fall-back overlap twice (it runs twice). Here a wall time in the gap runs when the clock
   * has moved past it (02:30 becomes 03:30), and one in the overlap runs at its first occurrence
   * only: each wall time runs at most once, every day that has it.
   */
  static Optional<ZonedDateTime> next(ExecutionTime times, ZoneId zone, Instant after) {
    LocalDateTime wall = LocalDateTime.ofInstant(after, zone);
    for (int i = 0; i < 1000; i++) {
      Optional<ZonedDateTime> match = times.nextExecution(wall.atZone(ZoneOffset.UTC));
      if (match.isEmpty()) {
        return Optional.empty();
      }
      wall = match.get().toLocalDateTime();
      // ofLocal: in a gap, later by the gap's length; in an overlap, the earlier offset.
      ZonedDateTime at = ZonedDateTime.ofLocal(wall, zone, null);
      if (at.toInstant().isAfter(after)) {
        return Optional.of(at);
      }
      // This wall time came first before `after` (the clock went back over it): it has had its run.
    }
    return Optional.empty();
  }

  void start() {
    for (ScheduleConfig.Entry entry : config.models()) {
      scheduleNext(entry, true);
    }
  }

  /**
   * @param announce log the next time (not after every skipped trigger of a fast schedule)
   */
  private void scheduleNext(ScheduleConfig.Entry entry, boolean announce) {
    Instant from = now.instant();
    nextRun(entry)
        .ifPresentOrElse(
            next -> {
              long delay = Math.max(0, Duration.between(from, next.toInstant()).toMillis());
              if (announce) {
                say(
                    entry.spec()
                        + ": next run at "
                        + next
                        + " ("
                        + entry.cronText()
                        + ", "
                        + entry.timeZone()
                        + ")");
              }
              clock.schedule(() -> fire(entry), delay, TimeUnit.MILLISECONDS);
            },
            () ->
                say(
                    entry.spec()
                        + ": the cron expression '"
                        + entry.cronText()
                        + "' never fires again"));
  }

  private void fire(ScheduleConfig.Entry entry) {
    boolean started = false;
    try {
      Future<?> previous = running.get(entry.spec());
      if (previous != null && !previous.isDone()) {
        say(entry.spec() + ": trigger skipped, the previous run is still going");
      } else {
        started = true;
        running.put(
            entry.spec(),
            workers.submit(
                () -> {
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
