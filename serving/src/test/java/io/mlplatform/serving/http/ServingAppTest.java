package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predict and model endpoints on a real server scoring the real fixture bundles. */
class ServingAppTest {

  private static final String PREDICT = "/v1/models/penguins:predict";
  @TempDir static Path dir;
  private static ModelRegistry registry;
  private static HttpFixture server;
  private final List<Reply> replies = new ArrayList<>();

  @BeforeAll
  static void start() {
    registry = new ModelRegistry(Fixtures.storeWithBothModels(dir), Fixtures.mleap());
    registry.loadAll();
    server = new HttpFixture(Fixtures.config(), registry);
  }

  @AfterAll
  static void stop() {
    server.close();
    registry.close();
  }

  /** Every response carries a request id, in the header and (for errors) in the body. */
  @AfterEach
  void everyResponseHasARequestId() {
    for (Reply reply : replies) {
      assertThat(reply.requestId()).isNotBlank();
      if (reply.status() >= 400) {
        assertThat(reply.json().get("requestId").asText()).isEqualTo(reply.requestId());
      }
    }
  }

  @Test
  void predictsOneInstanceWithLabelAndExactProbabilities() {
    Reply reply =
        post(PREDICT, "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.json().get("model").toString())
        .isEqualTo("{\"name\":\"penguins\",\"version\":1}");
    assertPrediction(
        reply.json().get("predictions").get(0), Fixtures.expectedProbabilities("Dream", 39.1));
  }

  @Test
  void predictsABatchInOrderAndFillsNulls() {
    Reply reply =
        post(
            PREDICT,
            """
        {"instances": [
          {"Island": "Biscoe", "Beak Length (mm)": 50},
          {"Island": null, "Beak Length (mm)": 35.5},
          {"Island": null, "Beak Length (mm)": 42.25, "Torgersen?": "ignored"},
          {"Island": "Torgersen", "Beak Length (mm)": -1e-300}
        ]}""");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode predictions = reply.json().get("predictions");
    assertThat(predictions).hasSize(4);
    assertPrediction(predictions.get(0), Fixtures.expectedProbabilities("Biscoe", 50));
    // A null Island becomes the fill "__missing__", an unseen category.
    assertPrediction(predictions.get(1), Fixtures.expectedProbabilities("__missing__", 35.5));
    assertPrediction(predictions.get(2), Fixtures.expectedProbabilities("__missing__", 42.25));
    assertPrediction(predictions.get(3), Fixtures.expectedProbabilities("Torgersen", -1e-300));
  }

  @Test
  void regressionAnswersOnlyThePrediction() {
    Reply reply =
        post(
            "/v1/models/mass:predict",
            "{\"instances\": [{\"Flipper Length (mm)\": 200, \"Beak Length (mm)\": null},"
                + " {\"Flipper Length (mm)\": 190.5, \"Beak Length (mm)\": 40}]}");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode first = reply.json().get("predictions").get(0);
    assertThat(first.size()).isEqualTo(1);
    assertThat(first.get("prediction").asDouble())
        .isCloseTo(20.5 * Fixtures.BEAK_FILL + 15.25 * 200 - 1234.5, within(1e-9));
    assertThat(reply.json().get("predictions").get(1).get("prediction").asDouble())
        .isCloseTo(20.5 * 40 + 15.25 * 190.5 - 1234.5, within(1e-9));
  }

  @Test
  void predictVerbIsPartOfTheLastPathSegment() {
    String body = "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";

    assertThat(post("/v1/models/penguins:explain", body).json().get("error").asText())
        .isEqualTo("not_found");
    assertThat(post("/v1/models/penguins", body).status()).isEqualTo(404);
    Reply unknown = post("/v1/models/pen:guins:predict", body);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).isEqualTo("model_not_found");
  }

  @Test
  void listsModels() {
    Reply reply = get("/v1/models");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("models").toString())
        .isEqualTo(
            "["
                + "{\"name\":\"mass\",\"state\":\"LOADED\",\"latestVersion\":1,\"loadedVersion\":1,\"aliases\":{}},"
                + "{\"name\":\"penguins\",\"state\":\"LOADED\",\"latestVersion\":1,\"loadedVersion\":1,\"aliases\":{}}]");
    assertThat(reply.json().at("/store/reachable").asBoolean()).isTrue();
  }

  @Test
  void describesOneModel() {
    Reply reply = get("/v1/models/penguins");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode model = reply.json();
    assertThat(model.get("name").asText()).isEqualTo("penguins");
    assertThat(model.get("state").asText()).isEqualTo("LOADED");
    assertThat(model.get("versions").toString()).isEqualTo("[1]");
    assertThat(model.get("loadedVersion").asInt()).isEqualTo(1);
    assertThat(model.get("task").asText()).isEqualTo("MULTICLASS_CLASSIFICATION");
    assertThat(model.get("createdAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(model.get("inputs").toString())
        .isEqualTo(
            "["
                + "{\"name\":\"Island\",\"type\":\"STRING\",\"nullable\":true},"
                + "{\"name\":\"Beak Length (mm)\",\"type\":\"DOUBLE\",\"nullable\":false}]");
    assertThat(model.get("labels").toString()).isEqualTo("[\"Adelie\",\"Chinstrap\",\"Gentoo\"]");
    assertThat(model.get("outputs").get("predictionColumn").asText()).isEqualTo("prediction");
    assertThat(model.get("metrics").get("accuracy").asDouble()).isEqualTo(0.9);
    assertThat(model.has("error")).isFalse();
    assertThat(get("/v1/models/unknown").status()).isEqualTo(404);
  }

  @Test
  void healthIsUpAndReady() {
    Reply live = get("/health/live");
    Reply ready = get("/health/ready");

    assertThat(live.status()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("{\"status\":\"READY\"}");
  }

  @Test
  void keepsASafeCallerRequestIdAndReplacesAnUnsafeOne() {
    Reply kept =
        server.send(
            java.net.http.HttpRequest.newBuilder(server.uri("/health/live"))
                .header("X-Request-Id", "trace-42.a:b")
                .build());
    Reply replaced =
        server.send(
            java.net.http.HttpRequest.newBuilder(server.uri("/health/live"))
                .header("X-Request-Id", "<script>")
                .build());

    assertThat(kept.requestId()).isEqualTo("trace-42.a:b");
    assertThat(replaced.requestId()).isNotEqualTo("<script>").matches("[0-9a-f-]{36}");
  }

  private Reply post(String path, String body) {
    Reply reply = server.postJson(path, body);
    replies.add(reply);
    return reply;
  }

  private Reply get(String path) {
    Reply reply = server.get(path);
    replies.add(reply);
    return reply;
  }

  private static void assertPrediction(JsonNode prediction, double[] expected) {
    int argmax = 0;
    for (int k = 1; k < expected.length; k++) {
      argmax = expected[k] > expected[argmax] ? k : argmax;
    }
    assertThat(prediction.get("prediction").asDouble()).isEqualTo(argmax);
    assertThat(prediction.get("label").asText()).isEqualTo(Fixtures.SPECIES.get(argmax));
    JsonNode probabilities = prediction.get("probabilities");
    assertThat(probabilities.size()).isEqualTo(3);
    for (int k = 0; k < 3; k++) {
      assertThat(probabilities.get(Fixtures.SPECIES.get(k)).asDouble())
          .isCloseTo(expected[k], within(1e-12));
    }
  }
}
