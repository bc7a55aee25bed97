package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.FlakyFileSystem;
import io.mlplatform.serving.config.PredictionLogSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.predictionlog.PredictionLog;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prediction log behind a real server: what it writes for predict and feedback calls, and that
 * a sink which hangs or fails costs requests nothing but the records, which are counted.
 */
class PredictionLogHttpTest {

  private static final String ONE =
      "{\"instances\": [{\"Island\": \"Biscoe\", \"Beak Length (mm)\": 60}]}";

  @TempDir static Path dir;
  @TempDir Path logs;
  private static ModelStore store;
  private ModelRegistry registry;
  private HttpFixture server;
  private boolean stopped;

  @BeforeAll
  static void publish() {
    store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publish(
        store,
        Fixtures.classifierManifest().withMonitoring(MonitoringTest.reference()),
        Fixtures.zipBundle("penguins-logistic", dir.resolve("classifier.zip")),
        Fixtures.classifierReferenceRows());
    Fixtures.publishRegressor(store, Fixtures.REGRESSOR, dir);
  }

  @AfterEach
  void stop() {
    FlakyFileSystem.hang(logs, false);
    FlakyFileSystem.down(logs, false);
    if (!stopped) {
      server.close();
    }
    registry.close();
  }

  @AfterAll
  static void noMore() {
    store = null;
  }

  @Test
  void writesEverySampledPredictionAndEveryFeedbackAsServed() throws IOException {
    start(1000);
    Reply single = server.postJson("/v1/models/penguins:predict", ONE, "X-Request-Id", "log-1");
    Reply partial =
        server.postJson(
            "/v1/models/penguins:predict",
            "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1},"
                + " {\"Island\": \"Dream\", \"Beak Length (mm)\": \"long\"}],"
                + " \"options\": {\"partial\": true}}",
            "X-Request-Id",
            "log-2");
    Reply regression =
        server.postJson(
            "/v1/models/mass/versions/1:predict",
            "{\"instances\": [{\"Beak Length (mm)\": 40, \"Flipper Length (mm)\": 200}]}");
    String predicted = single.json().at("/predictions/0/label").asText();
    Reply feedback =
        server.postJson(
            "/v1/models/penguins/feedback",
            "{\"requestId\": \"log-1\", \"index\": 0, \"label\": \"Adelie\"}");
    assertThat(List.of(single, partial, regression, feedback))
        .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
    awaitMetric("mlp_prediction_log_records_total", Map.of("kind", "feedback"), 1);
    awaitMetric("mlp_prediction_log_records_total", Map.of("kind", "prediction"), 3);

    close(); // publishes the files

    List<JsonNode> penguins = records("penguins");
    assertThat(penguins)
        .extracting(r -> r.get("kind").asText())
        .containsExactly("prediction", "prediction", "feedback");
    JsonNode first = penguins.get(0);
    assertThat(first.get("requestId").asText()).isEqualTo("log-1");
    assertThat(first.get("version").asInt()).isEqualTo(1);
    assertThat(first.get("route").asText()).isEqualTo("default");
    assertThat(first.get("latencyMs").asDouble()).isPositive();
    assertThat(first.get("replica").asText()).isEqualTo("replica-a");
    assertThat(first.get("instances").toString())
        .isEqualTo("[{\"Island\":\"(redacted)\",\"Beak Length (mm)\":60}]");
    // What the caller got, except the feedback tokens: a log reader must not be able to post
    // feedback.
    assertThat(first.get("outputs")).isEqualTo(withoutTokens(single.json().get("predictions")));
    assertThat(first.toString()).doesNotContain("feedbackToken");
    JsonNode second = penguins.get(1);
    assertThat(second.get("outputs").get(0))
        .isEqualTo(withoutTokens(partial.json().get("predictions")).get(0));
    assertThat(second.get("outputs").get(1).isNull()).as("an invalid instance").isTrue();
    assertThat(second.at("/instances/1/Beak Length (mm)").asText()).isEqualTo("long");
    JsonNode fed = penguins.get(2);
    assertThat(fed.get("id").asText()).isEqualTo("log-1#0");
    assertThat(fed.get("label").asText()).isEqualTo("Adelie");
    assertThat(fed.get("prediction").asDouble())
        .isEqualTo(Fixtures.SPECIES.indexOf(predicted))
        .isEqualTo(single.json().at("/predictions/0/prediction").asDouble());
    JsonNode mass = records("mass").get(0);
    assertThat(mass.get("route").asText()).isEqualTo("version");
    assertThat(mass.get("outputs")).isEqualTo(withoutTokens(regression.json().get("predictions")));
    assertThat(mass.at("/instances/0/Flipper Length (mm)").asInt()).isEqualTo(200);
  }

  @Test
  void aHungSinkFillsTheQueueAndRequestsAnswerAnyway() throws IOException {
    FlakyFileSystem.hang(logs, true);
    start(5);

    for (int i = 0; i < 30; i++) {
      assertThat(server.postJson("/v1/models/penguins:predict", ONE).status()).isEqualTo(200);
    }

    String metrics = server.get("/metrics").body();
    // One record is with the writer, blocked in the sink; five wait; the rest were dropped.
    assertThat(
            MetricsTest.value(
                metrics, "mlp_prediction_log_dropped_total", Map.of("reason", "queue_full")))
        .isBetween(24.0, 25.0);
    assertThat(MetricsTest.value(metrics, "mlp_prediction_log_queued_instances", Map.of()))
        .isBetween(5.0, 6.0);

    FlakyFileSystem.hang(logs, false);
    close();
    assertThat(records("penguins")).hasSizeBetween(5, 6);
  }

  @Test
  void aFailingSinkDropsAndCountsEveryRecordAndRequestsAnswerAnyway() {
    FlakyFileSystem.down(logs, true);
    start(1000);

    for (int i = 0; i < 10; i++) {
      assertThat(server.postJson("/v1/models/penguins:predict", ONE).status()).isEqualTo(200);
    }

    awaitMetric("mlp_prediction_log_dropped_total", Map.of("reason", "sink_error"), 10);
    String metrics = server.get("/metrics").body();
    assertThat(MetricsTest.value(metrics, "mlp_prediction_log_sink_up", Map.of())).isZero();
    assertThat(
            MetricsTest.value(
                metrics, "mlp_predict_requests_total", Map.of("model", "penguins", "version", "1")))
        .isEqualTo(10);
  }

  private void start(int queueInstances) {
    PredictionLogSection section =
        new PredictionLogSection(
            true,
            FlakyFileSystem.uri(logs),
            1.0,
            List.of(),
            Map.of("penguins", List.of("Island")),
            1 << 20,
            Duration.ofMinutes(5),
            queueInstances,
            "replica-a");
    ServingConfig config = Fixtures.config().withPredictionLog(section);
    ServingMetrics metrics = new ServingMetrics();
    registry = Fixtures.registry(store, Fixtures.mleap(), config, metrics);
    registry.refresh();
    PredictionLog log =
        PredictionLog.start(section, FlakyFileSystem.configuration(), metrics.registry());
    server =
        new HttpFixture(
            ServingApp.create(
                    config, registry, metrics, new AccessLog(0, l -> {}), new Drain(), log)
                .start());
  }

  private void close() {
    server.close();
    stopped = true;
  }

  /** Waits (up to 10 s) for the writer thread to have counted what the requests offered. */
  private void awaitMetric(String name, Map<String, String> labels, double expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    double value = -1;
    while (System.nanoTime() < deadline) {
      value = MetricsTest.value(server.get("/metrics").body(), name, labels);
      if (value >= expected) {
        break;
      }
      sleep(20);
    }
    assertThat(value).as(name + labels).isEqualTo(expected);
  }

  private List<JsonNode> records(String model) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    Path root = logs.resolve(model);
    if (!Files.isDirectory(root)) {
      return records;
    }
    List<Path> files;
    try (Stream<Path> all = Files.walk(root)) {
      files = all.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
    for (Path file : files) {
      assertThat(file.getParent().getFileName().toString()).startsWith("date=");
      for (String line : Files.readAllLines(file)) {
        records.add(HttpFixture.JSON.readTree(line));
      }
    }
    assertThat(Files.walk(root).filter(p -> p.toString().endsWith(".part"))).isEmpty();
    return records;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static JsonNode withoutTokens(JsonNode predictions) {
    JsonNode copy = predictions.deepCopy();
    copy.forEach(p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove("feedbackToken"));
    return copy;
  }
}
