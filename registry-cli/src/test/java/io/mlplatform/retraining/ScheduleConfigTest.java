package io.mlplatform.retraining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import com.cronutils.model.time.ExecutionTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleConfigTest {

  @TempDir Path dir;

  @Test
  void theShippedConfigurationIsValid() {
    ScheduleConfig config = ScheduleConfig.load(Path.of("../conf/retraining.yaml"), "x", Path.of(".."));
    assertThat(config.models()).isNotEmpty();
  }

  @Test
  void aValidScheduleFiresInItsOwnTimeZone() throws IOException {
    Path spec = Files.writeString(dir.resolve("s.yaml"), "name: m\ndata: {path: d}\n");
    Path file = Files.writeString(dir.resolve("r.yaml"), "models:\n  - {spec: " + spec
        + ", cron: \"0 0 3 * * ?\", timeZone: Asia/Tokyo, timeout: 15m, attempts: 3, retryDelay: 10s}\n");

    ScheduleConfig.Entry entry = ScheduleConfig.load(file, "./model-store").models().get(0);

    assertThat(entry.timeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(entry.attempts()).isEqualTo(3);
    assertThat(entry.skipUnchanged()).isTrue();
    ZonedDateTime next = ExecutionTime.forCron(entry.cron())
        .nextExecution(ZonedDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneId.of("UTC")).withZoneSameInstant(entry.timeZone()))
        .orElseThrow();
    assertThat(next.withZoneSameInstant(ZoneId.of("UTC")).getHour()).as("03:00 in Tokyo is 18:00 UTC").isEqualTo(18);
  }

  @Test
  void everyProblemIsReportedAtOnceNamingItsKey() throws IOException {
    Path file = Files.writeString(dir.resolve("r.yaml"), """
        stoer: x
        models:
          - spec: missing.yaml
            cron: "61 * * * * ?"
            timeZone: Mars/Olympus
            timeout: soon
            attempts: 0
        """);

    assertThatThrownBy(() -> ScheduleConfig.load(file, "x"))
        .isInstanceOf(RetrainException.class)
        .hasMessageContaining("stoer: unknown key")
        .hasMessageContaining("models[0].spec: missing.yaml does not exist")
        .hasMessageContaining("models[0].cron: '61 * * * * ?' is not a valid Quartz cron expression")
        .hasMessageContaining("models[0].timeZone: 'Mars/Olympus' is not a time zone")
        .hasMessageContaining("models[0].timeout: 'soon' is not a duration")
        .hasMessageContaining("models[0].attempts: must be a whole number from 1 to 10");
  }

  @Test
  void aMissingTimeZoneIsAnErrorNotTheServersZone() throws IOException {
    Path spec = Files.writeString(dir.resolve("s.yaml"), "name: m\ndata: {path: d}\n");
    Path file = Files.writeString(dir.resolve("r.yaml"), "models:\n  - {spec: " + spec + ", cron: \"0 0 3 * * ?\"}\n");

    assertThatThrownBy(() -> ScheduleConfig.load(file, "x")).hasMessageContaining("models[0].timeZone: required");
  }
}
