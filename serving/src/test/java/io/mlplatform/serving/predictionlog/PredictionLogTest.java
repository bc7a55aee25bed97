package io.mlplatform.serving.predictionlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.serving.FlakyFileSystem;
import io.mlplatform.serving.config.PredictionLogSection;
import io.mlplatform.serving.monitoring.FeedbackLedger;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer without its thread: entries are written when the test says, on a clock it moves. */
class PredictionLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = Instant.parse("2026-12-07T15:00:00.123Z").toEpochMilli();

  @TempDir Path dir;
  private final AtomicLong clock = new AtomicLong(T0);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private PredictionLog log;

  @AfterEach
  void downNoMore() {
    FlakyFileSystem.down(dir, false);
  }

  @Test
  void aPredictionIsOneLineInTheRecordFormat() throws IOException {
    log = log(section());
    JsonNode instances =
        JSON.readTree(
            "[{\"Island\":\"Biscoe\",\"Beak Length (mm)\":48.2},{\"Island\":7},{\"Island\":null}]");
    List<Object> outputs = new ArrayList<>();
    outputs.add(output(2.0, "Gentoo", Map.of("Gentoo", 1.0)));
    outputs.add(null);
    outputs.add(output(0.0, "Adelie", null));

    log.predicted("penguins", 3, "req-1", "default", instances, outputs, 1_734_567);
    log.drainNow();
    log.finishNow();

    assertThat(lines("penguins"))
        .containsExactly(
            "{\"kind\":\"prediction\",\"model\":\"penguins\",\"version\":3,\"requestId\":\"req-1\","
                + "\"at\":\"2026-12-07T15:00:00.123Z\",\"latencyMs\":1.735,\"replica\":\"host-1\","
                + "\"route\":\"default\",\"instances\":[{\"Island\":\"Biscoe\",\"Beak Length (mm)\":48.2},"
                + "{\"Island\":7},{\"Island\":null}],\"outputs\":[{\"prediction\":2.0,\"label\":\"Gentoo\","
                + "\"probabilities\":{\"Gentoo\":1.0}},null,{\"prediction\":0.0,\"label\":\"Adelie\"}]}");
  }

  @Test
  void aFeedbackIsOneLineNamingTheScoredInstance() {
    log = log(section());
    clock.set(T0 + 61_000);

    log.feedback(
        new FeedbackLedger.Applied(
            "penguins",
            3,
            "req-1#1",
            "2026-12-07T15:00:00Z",
            "req-1",
            1,
            "Gentoo",
            "Adelie",
            false,
            5,
            "accuracy",
            0.8,
            2.0));
    log.feedback(
        new FeedbackLedger.Applied(
            "mass",
            1,
            "req-2#0",
            "2026-12-07T15:00:00Z",
            "req-2",
            0,
            4100.5,
            4000.0,
            false,
            1,
            "rmse",
            100.5,
            4100.5));
    log.drainNow();
    log.finishNow();

    assertThat(lines("penguins"))
        .containsExactly(
            "{\"kind\":\"feedback\",\"model\":\"penguins\",\"version\":3,\"id\":\"req-1#1\","
                + "\"at\":\"2026-12-07T15:01:01.123Z\",\"predictedAt\":\"2026-12-07T15:00:00Z\",\"prediction\":2.0,"
                + "\"label\":\"Adelie\",\"replica\":\"host-1\"}");
    assertThat(lines("mass"))
        .containsExactly(
            "{\"kind\":\"feedback\",\"model\":\"mass\",\"version\":1,\"id\":\"req-2#0\","
                + "\"at\":\"2026-12-07T15:01:01.123Z\",\"predictedAt\":\"2026-12-07T15:00:00Z\",\"prediction\":4100.5,"
                + "\"label\":4000.0,\"replica\":\"host-1\"}");
  }

  @Test
  void redactedFieldsAreWrittenAsRedactedForEveryModelAndPerModel() throws IOException {
    log =
        log(
            new PredictionLogSection(
                true,
                "unused",
                1.0,
                List.of("email"),
                Map.of("penguins", List.of("Island")),
                1 << 20,
                Duration.ofMinutes(5),
                1000,
                null));
    JsonNode instances =
        JSON.readTree("[{\"Island\":\"Biscoe\",\"email\":\"a@b.c\",\"Beak\":{\"nested\":1}}, 3]");

    log.predicted("penguins", 1, "r", "default", instances, outputs(2), 0);
    log.predicted("mass", 1, "r", "default", instances, outputs(2), 0);
    log.drainNow();
    log.finishNow();

    assertThat(JSON.readTree(lines("penguins").get(0)).get("instances").toString())
        .isEqualTo(
            "[{\"Island\":\"(redacted)\",\"email\":\"(redacted)\",\"Beak\":{\"nested\":1}},3]");
    assertThat(JSON.readTree(lines("mass").get(0)).get("instances").toString())
        .isEqualTo("[{\"Island\":\"Biscoe\",\"email\":\"(redacted)\",\"Beak\":{\"nested\":1}},3]");
  }

  @Test
  void filesRollBySizeAndArePublishedByRenameOnly() throws IOException {
    log = log(withRoll(1024, Duration.ofHours(1)));
    JsonNode one = JSON.readTree("[{\"Island\":\"Biscoe\"}]");

    for (int i = 0; i < 21; i++) {
      log.predicted("penguins", 1, "r" + i, "default", one, outputs(1), 0);
      clock.incrementAndGet();
    }
    log.drainNow();

    List<Path> published = files("penguins", ".jsonl");
    List<Path> inProgress = files("penguins", ".part");
    assertThat(published).isNotEmpty();
    assertThat(inProgress).hasSize(1);
    assertThat(inProgress.get(0).getFileName().toString())
        .matches("_inprogress-host-1-\\d+-\\d+\\.jsonl\\.part");
    assertThat(inProgress.get(0).getParent().getFileName().toString()).isEqualTo("date=2026-12-07");
    for (Path file : published) {
      assertThat(file.getFileName().toString()).matches("host-1-\\d+-\\d+\\.jsonl");
      // Rolled once past the size: at most one record over it.
      assertThat(Files.size(file))
          .isBetween(1024L, 1024L + Files.readAllLines(file).get(0).length() + 1);
    }

    log.finishNow();

    assertThat(files("penguins", ".part")).isEmpty();
    assertThat(lines("penguins")).hasSize(21);
    assertThat(metric("mlp_prediction_log_records_total", "kind", "prediction")).isEqualTo(21);
    assertThat(metric("mlp_prediction_log_files_total", null, null))
        .isEqualTo(files("penguins", ".jsonl").size());
  }

  @Test
  void filesRollByAgeAndWhenTheDayChanges() throws IOException {
    log = log(withRoll(1 << 20, Duration.ofMinutes(5)));
    JsonNode one = JSON.readTree("[{\"Island\":\"Biscoe\"}]");

    log.predicted("penguins", 1, "a", "default", one, outputs(1), 0);
    log.drainNow();
    assertThat(files("penguins", ".jsonl")).isEmpty();

    clock.addAndGet(Duration.ofMinutes(5).toMillis());
    log.drainNow(); // idle: only the tick

    assertThat(files("penguins", ".jsonl")).hasSize(1);
    assertThat(files("penguins", ".part")).isEmpty();

    clock.set(Instant.parse("2026-12-07T23:59:59.000Z").toEpochMilli());
    log.predicted("penguins", 1, "b", "default", one, outputs(1), 0);
    clock.set(Instant.parse("2026-12-08T00:00:00.500Z").toEpochMilli());
    log.predicted("penguins", 1, "c", "default", one, outputs(1), 0);
    log.drainNow();
    log.finishNow();

    assertThat(files("penguins", ".jsonl"))
        .extracting(p -> p.getParent().getFileName().toString())
        .containsExactlyInAnyOrder("date=2026-12-07", "date=2026-12-07", "date=2026-12-08");
  }

  @Test
  void sampleRateZeroWritesNoPredictionAndOneWritesAll() {
    assertThat(drawn(0.0)).isZero();
    assertThat(drawn(1.0)).isEqualTo(10_000);
    assertThat(drawn(0.25)).isBetween(2_200, 2_800);
    assertThat(PredictionLog.off().sampled()).isFalse();
  }

  @Test
  void aFullQueueDropsTheRecordAndCountsIt() throws IOException {
    log =
        log(
            new PredictionLogSection(
                true,
                "unused",
                1.0,
                List.of(),
                Map.of(),
                1 << 20,
                Duration.ofMinutes(5),
                10,
                null));
    JsonNode eight = JSON.readTree("[1,2,3,4,5,6,7,8]");

    log.predicted("penguins", 1, "a", "default", eight, outputs(8), 0);
    log.predicted("penguins", 1, "b", "default", JSON.readTree("[1,2,3]"), outputs(3), 0);
    log.feedback(
        new FeedbackLedger.Applied(
            "penguins",
            1,
            "a#0",
            "2026-12-07T15:00:00Z",
            "a",
            0,
            "Adelie",
            "Adelie",
            true,
            1,
            "accuracy",
            1,
            0.0));
    log.feedback(
        new FeedbackLedger.Applied(
            "penguins",
            1,
            "a#1",
            "2026-12-07T15:00:00Z",
            "a",
            1,
            "Adelie",
            "Adelie",
            true,
            2,
            "accuracy",
            1,
            0.0));
    log.feedback(
        new FeedbackLedger.Applied(
            "penguins",
            1,
            "a#2",
            "2026-12-07T15:00:00Z",
            "a",
            2,
            "Adelie",
            "Adelie",
            true,
            3,
            "accuracy",
            1,
            0.0));

    assertThat(metric("mlp_prediction_log_dropped_total", "reason", "queue_full")).isEqualTo(2);
    assertThat(metric("mlp_prediction_log_queued_instances", null, null)).isEqualTo(10);
    log.drainNow();
    log.finishNow();
    assertThat(lines("penguins"))
        .extracting(l -> JSON.readTree(l).get("kind").asText())
        .containsExactly("prediction", "feedback", "feedback");
  }

  @Test
  void aSinkThatFailsDropsAndCountsThenRecoversAfterItsBackOff() throws IOException {
    Configuration conf = FlakyFileSystem.configuration();
    URI uri = URI.create(FlakyFileSystem.uri(dir));
    log =
        new PredictionLog(
            section(),
            "host-1",
            () -> FileSystem.newInstance(uri, conf),
            new org.apache.hadoop.fs.Path(uri),
            registry,
            clock::get,
            false);
    JsonNode one = JSON.readTree("[{\"Island\":\"Biscoe\"}]");
    FlakyFileSystem.down(dir, true);

    for (int i = 0; i < 5; i++) {
      log.predicted("penguins", 1, "down" + i, "default", one, outputs(1), 0);
    }
    log.drainNow();

    assertThat(metric("mlp_prediction_log_dropped_total", "reason", "sink_error")).isEqualTo(5);
    assertThat(metric("mlp_prediction_log_sink_up", null, null)).isZero();

    FlakyFileSystem.down(dir, false);
    log.predicted("penguins", 1, "early", "default", one, outputs(1), 0);
    log.drainNow();
    assertThat(metric("mlp_prediction_log_dropped_total", "reason", "sink_error"))
        .as("before the retry is due the sink is not tried")
        .isEqualTo(6);

    clock.addAndGet(LogWriter.FIRST_RETRY_MILLIS);
    log.predicted("penguins", 1, "up", "default", one, outputs(1), 0);
    log.drainNow();
    log.finishNow();

    assertThat(metric("mlp_prediction_log_dropped_total", "reason", "sink_error")).isEqualTo(6);
    assertThat(metric("mlp_prediction_log_sink_up", null, null)).isEqualTo(1);
    assertThat(lines("penguins"))
        .singleElement()
        .satisfies(l -> assertThat(JSON.readTree(l).get("requestId").asText()).isEqualTo("up"));
  }

  private int drawn(double rate) {
    PredictionLog sampled =
        log(
            new PredictionLogSection(
                true,
                "unused",
                rate,
                List.of(),
                Map.of(),
                1 << 20,
                Duration.ofMinutes(5),
                10,
                null),
            () -> FileSystem.newInstance(dir.toUri(), new Configuration()),
            new PrometheusRegistry());
    int n = 0;
    for (int i = 0; i < 10_000; i++) {
      n += sampled.sampled() ? 1 : 0;
    }
    return n;
  }

  private PredictionLogSection section() {
    return withRoll(1 << 20, Duration.ofMinutes(5));
  }

  private static PredictionLogSection withRoll(long bytes, Duration interval) {
    return new PredictionLogSection(
        true, "unused", 1.0, List.of(), Map.of(), bytes, interval, 10_000, null);
  }

  private PredictionLog log(PredictionLogSection section) {
    Configuration conf = new Configuration();
    return log(section, () -> FileSystem.newInstance(dir.toUri(), conf));
  }

  private PredictionLog log(PredictionLogSection section, Callable<FileSystem> opener) {
    return log(section, opener, registry);
  }

  private PredictionLog log(
      PredictionLogSection section, Callable<FileSystem> opener, PrometheusRegistry metrics) {
    return new PredictionLog(
        section,
        "host-1",
        opener,
        new org.apache.hadoop.fs.Path(dir.toUri()),
        metrics,
        clock::get,
        false);
  }

  private static Map<String, Object> output(
      double prediction, String label, Map<String, Double> p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("prediction", prediction);
    out.put("label", label);
    if (p != null) {
      out.put("probabilities", p);
    }
    return out;
  }

  private static List<Object> outputs(int n) {
    List<Object> outputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      outputs.add(output(0.0, "Adelie", null));
    }
    return outputs;
  }

  private List<Path> files(String model, String suffix) throws IOException {
    Path root = dir.resolve(model);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** The lines of the published files, oldest file first. */
  private List<String> lines(String model) {
    try {
      List<String> lines = new ArrayList<>();
      for (Path file : files(model, ".jsonl")) {
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private double metric(String name, String label, String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    String labels = label == null ? "" : "\\{" + label + "=\"" + value + "\"}";
    Matcher m = Pattern.compile("^" + name + labels + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    assertThat(m.find()).as(name + " in\n" + text).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
