package io.mlplatform.retraining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cronutils.model.time.ExecutionTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleConfigTest {

  @TempDir Path dir;

  @Test
  void theShippedConfigurationIsValid() {
    ScheduleConfig config =
        ScheduleConfig.load(Path.of("../conf/retraining.yaml"), "x", Path.of(".."));
    assertThat(config.models()).isNotEmpty();
  }

  @Test
  void aValidScheduleFiresInItsOwnTimeZone() throws IOException {
    Path spec =
        Files.writeString(
            dir.resolve("s.yaml"),
            "name: m\ndata: {path: d}\n"
                + "target: y\nfeatures: {numeric: [a]}\nmodel: {type: logistic_regression}\n");
    Path file =
        Files.writeString(
            dir.resolve("r.yaml"),
            "models:\n  - {spec: "
                + spec
                + ", cron: \"0 0 3 * * ?\", timeZone: Asia/Tokyo, timeout: 15m, attempts: 3, retryDelay: 10s}\n");

    ScheduleConfig.Entry entry = ScheduleConfig.load(file, "./model-store").models().get(0);

    assertThat(entry.timeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(entry.attempts()).isEqualTo(3);
    assertThat(entry.skipUnchanged()).isTrue();
    ZonedDateTime next =
        ExecutionTime.forCron(entry.cron())
            .nextExecution(
                ZonedDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneId.of("UTC"))
                    .withZoneSameInstant(entry.timeZone()))
            .orElseThrow();
    assertThat(next.withZoneSameInstant(ZoneId.of("UTC")).getHour())
        .as("03:00 in Tokyo is 18:00 UTC")
        .isEqualTo(18);
  }

  @Test
  void everyProblemIsReportedAtOnceNamingItsKey() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("r.yaml"),
            """
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
        .hasMessageContaining(
            "models[0].cron: '61 * * * * ?' is not a valid Quartz cron expression")
        .hasMessageContaining("models[0].timeZone: 'Mars/Olympus' is not a time zone")
        .hasMessageContaining("models[0].timeout: 'soon' is not a duration")
        .hasMessageContaining("models[0].attempts: must be a whole number from 1 to 10");
  }

  /**
   * A spec the training job would refuse fails the scheduler at start, naming the files and the
   * key.
   */
  @Test
  void everySpecIsValidatedWithTheTrainingLoaderNamingScheduleSpecAndKey() throws IOException {
    Path spec =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
        name: m
        data: {path: d}
        label: y
        features: {numeric: [a]}
        model: {type: random_forest_classifier, params: {numTree: 5}}
        """);
    Path file =
        Files.writeString(
            dir.resolve("r.yaml"),
            "models:\n  - {spec: " + spec + ", cron: \"0 0 3 * * ?\", timeZone: UTC}\n");

    assertThatThrownBy(() -> ScheduleConfig.load(file, "x"))
        .isInstanceOf(RetrainException.class)
        .hasMessageContaining("invalid " + file)
        .hasMessageContaining("models[0].spec: " + spec + ": key 'label' was renamed to 'target'")
        .hasMessageContaining(
            "models[0].spec: "
                + spec
                + ": model.params.numTree: unknown parameter of"
                + " RandomForestClassifier");
  }

  @Test
  void theSchedulerExitsWithCode2OnABadSpec() throws IOException {
    Path spec = Files.writeString(dir.resolve("bad.yaml"), "name: m\ndata: {path: d}\n");
    Path file =
        Files.writeString(
            dir.resolve("r.yaml"),
            "store: "
                + dir.resolve("store")
                + "\nmodels:\n"
                + "  - {spec: "
                + spec
                + ", cron: \"0 0 3 * * ?\", timeZone: UTC}\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream before = System.err;
    int code;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      code = new picocli.CommandLine(new SchedulerCommand()).execute("--config", file.toString());
    } finally {
      System.setErr(before);
    }

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("invalid " + file, "models[0].spec: " + spec + ": target: missing (required)");
  }

  @Test
  void aZeroTimeoutIsRefusedAndAZeroRetryDelayIsNot() throws IOException {
    Path spec =
        Files.writeString(
            dir.resolve("s.yaml"),
            "name: m\ndata: {path: d}\n"
                + "target: y\nfeatures: {numeric: [a]}\nmodel: {type: logistic_regression}\n");
    Path file =
        Files.writeString(
            dir.resolve("r.yaml"),
            "models:\n  - {spec: "
                + spec
                + ", cron: \"0 0 3 * * ?\", timeZone: UTC, timeout: 0, retryDelay: 0}\n");

    assertThatThrownBy(() -> ScheduleConfig.load(file, "x"))
        .hasMessageContaining("models[0].timeout: must be more than 0")
        .hasMessageNotContaining("retryDelay");
  }

  @Test
  void durationsUseTheSharedSyntax() {
    assertThat(ScheduleConfig.parseDuration("0")).isEqualTo(Duration.ZERO);
    assertThat(ScheduleConfig.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> ScheduleConfig.parseDuration("30"))
        .hasMessageContaining("is not a duration");
  }

  @Test
  void aMissingTimeZoneIsAnErrorNotTheServersZone() throws IOException {
    Path spec =
        Files.writeString(
            dir.resolve("s.yaml"),
            "name: m\ndata: {path: d}\n"
                + "target: y\nfeatures: {numeric: [a]}\nmodel: {type: logistic_regression}\n");
    Path file =
        Files.writeString(
            dir.resolve("r.yaml"), "models:\n  - {spec: " + spec + ", cron: \"0 0 3 * * ?\"}\n");

    assertThatThrownBy(() -> ScheduleConfig.load(file, "x"))
        .hasMessageContaining("models[0].timeZone: required");
  }
}
