package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} after real traffic on the real fixture bundles. */
class MetricsTest {

  @TempDir static Path dir;
  private static ModelRegistry registry;
  private static HttpFixture server;

  @BeforeAll
  static void start() {
    ModelStore store = Fixtures.storeWithBothModels(dir);
    // A second classifier version whose reference rows are wrong: refused, counted.
    List<ReferenceRow> wrong =
        Fixtures.classifierReferenceRows().stream()
            .map(r -> new ReferenceRow(r.input(), (r.prediction() + 1) % 3, r.probabilities()))
            .toList();
    Fixtures.publish(store, Fixtures.classifierManifest(), dir.resolve("classifier.zip"), wrong);
    ServingMetrics metrics = new ServingMetrics();
    registry = Fixtures.registry(store, Fixtures.mleap(), Fixtures.config(), metrics);
    registry.refresh();
    server =
        new HttpFixture(
            ServingApp.create(
                    Fixtures.config(), registry, metrics, new AccessLog(0, l -> {}), new Drain())
                .start());
  }

  @AfterAll
  static void stop() {
    server.close();
    registry.close();
  }

  @Test
  void countsRequestsErrorsRowsLatencyAndWhatWasPredicted() {
    for (int i = 0; i < 3; i++) {
      assertThat(
              server
                  .postJson(
                      "/v1/models/penguins:predict",
                      "{\"instances\": [{\"Island\": \"Biscoe\", \"Beak Length (mm)\": 50}, {\"Island\": \"Dream\","
                          + " \"Beak Length (mm)\": 30}]}")
                  .status())
          .isEqualTo(200);
    }
    assertThat(
            server
                .postJson("/v1/models/penguins:predict", "{\"instances\": [{\"Island\": 1}]}")
                .status())
        .isEqualTo(400);
    assertThat(
            server
                .postJson(
                    "/v1/models/mass:predict",
                    "{\"instances\": [{\"Flipper Length (mm)\": 200, \"Beak Length (mm)\": 40},"
                        + " {\"Flipper Length (mm)\": 1000, \"Beak Length (mm)\": 40}]}")
                .status())
        .isEqualTo(200);
    assertThat(server.postJson("/v1/models/nope:predict", "{}").status()).isEqualTo(404);

    Reply reply = server.get("/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/plain");
    String text = reply.body();
    assertThat(
            value(text, "mlp_predict_requests_total", Map.of("model", "penguins", "version", "1")))
        .isEqualTo(4);
    assertThat(
            value(
                text,
                "mlp_predict_errors_total",
                Map.of("model", "penguins", "version", "1", "kind", "invalid_request")))
        .isEqualTo(1);
    assertThat(value(text, "mlp_predict_rows_total", Map.of("model", "penguins", "version", "1")))
        .isEqualTo(6);
    double predicted = 0;
    for (String species : Fixtures.SPECIES) {
      predicted +=
          value(
              text,
              "mlp_predictions_total",
              Map.of("model", "penguins", "version", "1", "class", species));
    }
    assertThat(predicted).isEqualTo(6);
    assertThat(
            value(
                text,
                "mlp_predict_latency_seconds_count",
                Map.of("model", "penguins", "version", "1")))
        .isEqualTo(4);
    assertThat(
            value(
                text,
                "mlp_predict_latency_seconds_bucket",
                Map.of("model", "penguins", "version", "1", "le", "+Inf")))
        .isEqualTo(4);
    // Regression: buckets from training's reference predictions; 13k g is past all of them.
    assertThat(value(text, "mlp_prediction_value_count", Map.of("model", "mass", "version", "1")))
        .isEqualTo(2);
    double[] bounds =
        Arrays.stream(
                Fixtures.regressorReferenceRows().stream()
                    .mapToDouble(ReferenceRow::prediction)
                    .sorted()
                    .toArray())
            .toArray();
    double top = bounds[bounds.length - 1];
    assertThat(
            value(
                text,
                "mlp_prediction_value_bucket",
                Map.of("model", "mass", "version", "1", "le", Double.toString(top))))
        .isEqualTo(1);
    assertThat(
            value(
                text,
                "mlp_prediction_value_bucket",
                Map.of("model", "mass", "version", "1", "le", "+Inf")))
        .isEqualTo(2);
    assertThat(value(text, "mlp_model_serving_version", Map.of("model", "penguins"))).isEqualTo(1);
    assertThat(
            value(
                text,
                "mlp_model_refusals_total",
                Map.of("model", "penguins", "version", "2", "check", "self_test")))
        .isEqualTo(1);
    assertThat(
            value(text, "mlp_model_loads_total", Map.of("model", "penguins", "result", "refused")))
        .isEqualTo(1);
    assertThat(value(text, "mlp_store_reachable", Map.of())).isEqualTo(1);
    assertThat(
            value(
                text,
                "mlp_http_requests_total",
                Map.of("route", "/v1/models/{name}:predict", "method", "POST", "status", "404")))
        .isEqualTo(1);
    assertThat(text).contains("jvm_memory_used_bytes");
  }

  /** The value of the one sample with exactly these labels. */
  static double value(String text, String name, Map<String, String> labels) {
    Pattern line =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{(.*)})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    while (m.find()) {
      String found = m.group(2) == null ? "" : m.group(2);
      boolean all =
          labels.entrySet().stream()
              .allMatch(e -> found.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      long count = found.isEmpty() ? 0 : found.split("\",").length;
      if (all && count == labels.size()) {
        return Double.parseDouble(m.group(3));
      }
    }
    throw new AssertionError(
        "no sample "
            + name
            + labels
            + " in:\n"
            + text.lines().filter(l -> l.startsWith(name)).reduce("", (a, b) -> a + b + "\n"));
  }
}
