package io.mlplatform.retraining;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.storage.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scheduler firing every second while each run takes three: overlapping triggers skip. */
class RetrainSchedulerTest {

  @TempDir Path dir;

  /**
   * A daily 02:30 schedule across both daylight-saving changes of two zones, on a clock that jumps
   * to each next run (and one second past it, as the scheduler looks again a second after firing):
   * one run per local day. On the spring-forward day 02:30 does not exist and the run comes an hour
   * later (03:30); on the fall-back day (Europe: 02:30 comes twice) it runs at the first 02:30
   * only.
   */
  @ParameterizedTest
  @CsvSource({
    "Europe/Berlin, 2026-03-27T12:00:00Z, 2026-03-29T03:30+02:00",
    "Europe/Berlin, 2026-10-23T12:00:00Z, 2026-10-25T02:30+02:00",
    "America/New_York, 2026-03-06T12:00:00Z, 2026-03-08T03:30-04:00",
    "America/New_York, 2026-10-30T12:00:00Z, 2026-11-01T02:30-05:00"
  })
  void aDailyScheduleRunsExactlyOnceOnEachDaylightSavingDay(
      String zone, String start, String onTheDay) {
    ScheduleConfig.Entry entry =
        new ScheduleConfig.Entry(
            dir.resolve("spec.yaml"),
            ScheduleConfig.CRON.parse("0 30 2 * * ?"),
            "0 30 2 * * ?",
            ZoneId.of(zone),
            Duration.ofMinutes(5),
            1,
            Duration.ZERO,
            true);
    SteppedClock clock = new SteppedClock(Instant.parse(start));
    RetrainScheduler scheduler =
        new RetrainScheduler(
            new ScheduleConfig("store", null, dir, List.of(entry)),
            e -> null,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            clock);

    List<ZonedDateTime> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ZonedDateTime next = scheduler.nextRun(entry).orElseThrow();
      assertThat(next.toInstant()).as("strictly after now").isAfter(clock.instant());
      runs.add(next);
      clock.set(next.toInstant().plusSeconds(1));
    }

    assertThat(runs)
        .extracting(ZonedDateTime::toLocalDate)
        .as("one run per day: %s", runs)
        .doesNotHaveDuplicates()
        .hasSize(5);
    assertThat(runs.get(0).toLocalDate().plusDays(4)).isEqualTo(runs.get(4).toLocalDate());
    assertThat(runs)
        .extracting(ZonedDateTime::toOffsetDateTime)
        .contains(java.time.OffsetDateTime.parse(onTheDay));
  }

  /** A clock that stays where a test puts it. */
  static final class SteppedClock extends Clock {
    private Instant instant;

    SteppedClock(Instant start) {
      this.instant = start;
    }

    void set(Instant to) {
      instant = to;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      SteppedClock self = this;
      return new Clock() {
        @Override
        public ZoneId getZone() {
          return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
          return self.withZone(other);
        }

        @Override
        public Instant instant() {
          return self.instant;
        }
      };
    }

    @Override
    public Instant instant() {
      return instant;
    }
  }

  @Test
  void overlappingTriggersNeverStartASecondRun() throws Exception {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("a.json"), "{}\n");
    Path spec =
        Files.writeString(
            dir.resolve("spec.yaml"),
            "name: m\ndata: {path: "
                + data
                + "}\n"
                + "target: y\nfeatures: {numeric: [a]}\nmodel: {type: logistic_regression}\n");
    Path running = dir.resolve("running");
    // Fails loudly (exit 9) if it ever finds another run inside.
    String body = "mkdir " + running + " || exit 9; sleep 3; rmdir " + running + "; exit 1";
    ScheduleConfig.Entry entry =
        new ScheduleConfig.Entry(
            spec,
            ScheduleConfig.CRON.parse("* * * * * ?"),
            "* * * * * ?",
            ZoneId.of("UTC"),
            Duration.ofSeconds(30),
            1,
            Duration.ZERO,
            false);
    ScheduleConfig config =
        new ScheduleConfig(store.uri().toString(), null, dir.resolve("runs"), List.of(entry));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);

    try (RetrainScheduler scheduler =
        new RetrainScheduler(
            config,
            e ->
                new RetrainRun(
                    store,
                    store.uri().toString(),
                    new RunPolicy(
                        List.of("sh", "-c", body),
                        null,
                        e.timeout(),
                        1,
                        e.retryDelay(),
                        false,
                        config.runsDir()),
                    log),
            log)) {
      scheduler.start();
      for (int i = 0; i < 200 && store.history("m").size() < 2; i++) {
        Thread.sleep(100);
      }
    }

    List<HistoryEvent> runs = store.history("m");
    assertThat(runs)
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            e -> {
              assertThat(e.action()).isEqualTo(HistoryEvent.Action.RETRAIN);
              assertThat(e.reason())
                  .as("no run found another one inside")
                  .doesNotContain("exit code 9");
              assertThat(e.run().toString()).doesNotContain("exitCode=9");
            });
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("trigger skipped, the previous run is still going");
  }
}
