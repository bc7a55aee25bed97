package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.auth.ApiKey;
import io.mlplatform.serving.auth.Scope;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.model.FakeLoader;
import io.mlplatform.serving.model.ModelEvents;
import io.mlplatform.serving.model.ModelRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.store.Lineage;
import io.mlplatform.store.Manifest;
import io.mlplatform.store.ModelStore;
import java.util.Map;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bearer keys and scopes on every route, through a real server. */
class AuthTest {

  static final String APP = "app-key-0123456789abcdef";
  static final String SCRAPER = "prometheus-0123456789abcdef";
  static final String OPS = "ops-key-0123456789abcdef";
  private static final String VALID = "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";
  @TempDir static Path dir;
  private static ModelRegistry registry;
  private static HttpFixture server;

  @BeforeAll
  static void start() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    Manifest m = Fixtures.classifierManifest();
    ObjectNode spec = HttpFixture.JSON.createObjectNode().put("learningRate", 0.1).put("data", "hdfs://nn/spec-data");
    Fixtures.publish(store, new Manifest(Manifest.FORMAT_VERSION, "traced", 0, "2026-01-01T00:00:00Z", m.task(),
        m.inputs(), m.outputs(), Map.of("accuracy", 0.9), spec, "3.5.7", "0.16.0",
        new Lineage("hdfs://nn/secret-data/penguins.csv", 344, "sha256:ab", "abc123", null), spec, null, null),
        Fixtures.zipBundle("penguins-logistic", dir.resolve("traced.zip")));
    ServingConfig config = Fixtures.fakeConfig().withAuth(new ServingConfig.Auth(true, keys()));
    registry = new ModelRegistry(store, new FakeLoader(), config, ModelEvents.NONE);
    registry.refresh();
    server = new HttpFixture(config, registry);
  }

  static List<ApiKey> keys() {
    return List.of(new ApiKey("app", Set.of(Scope.PREDICT), APP),
        new ApiKey("prometheus", Set.of(Scope.METRICS), SCRAPER),
        new ApiKey("ops", Set.of(Scope.ADMIN), OPS));
  }

  @AfterAll
  static void stop() {
    server.close();
    registry.close();
  }

  @Test
  void aPredictKeySeesHowToCallAModelButNotItsLineageSpecOrStorePaths() {
    for (String path : List.of("/v1/models/traced/metadata", "/v1/models/traced/versions/1/metadata")) {
      Reply app = server.get(path, "Authorization", "Bearer " + APP);
      assertThat(app.status()).isEqualTo(200);
      assertThat(app.json().get("inputs")).hasSize(2);
      assertThat(app.json().has("outputs")).isTrue();
      assertThat(app.body()).doesNotContain("hdfs://", "secret-data", "learningRate");

      Reply ops = server.get(path, "Authorization", "Bearer " + OPS);
      assertThat(ops.body()).contains("hdfs://nn/secret-data/penguins.csv", "learningRate");
    }
  }

  @ParameterizedTest(name = "{0} {1} with {2} -> {3}")
  @CsvSource({
      "POST, /v1/models/penguins:predict, none, 401",
      "POST, /v1/models/penguins:predict, wrong, 401",
      "POST, /v1/models/penguins:predict, " + SCRAPER + ", 403",
      "POST, /v1/models/penguins:predict, " + APP + ", 200",
      "POST, /v1/models/penguins:predict, " + OPS + ", 200",
      "POST, /v1/models/penguins/versions/1:predict, " + APP + ", 200",
      "POST, /v1/models/nope:predict, none, 401",
      "GET, /v1/models, none, 401",
      "GET, /v1/models, " + APP + ", 200",
      "GET, /v1/models/penguins, " + SCRAPER + ", 403",
      "GET, /v1/models/penguins/metadata, " + APP + ", 200",
      "GET, /metrics, none, 401",
      "GET, /metrics, " + APP + ", 403",
      "GET, /metrics, " + SCRAPER + ", 200",
      "GET, /metrics, " + OPS + ", 200",
      "POST, /v1/admin/reload, " + APP + ", 403",
      "POST, /v1/admin/reload, " + OPS + ", 200",
      "DELETE, /v1/admin/models/penguins/pin, " + SCRAPER + ", 403",
      "GET, /v1/admin/models/penguins/routing, " + APP + ", 403",
      "PUT, /v1/admin/models/penguins/routing, " + APP + ", 403",
      "DELETE, /v1/admin/models/penguins/routing, none, 401",
      "GET, /v1/admin/models/penguins/routing, " + OPS + ", 200",
      "DELETE, /v1/admin/models/penguins/routing, " + OPS + ", 200",
      "GET, /v1/models/penguins/monitoring, none, 401",
      "GET, /v1/models/penguins/monitoring, " + SCRAPER + ", 403",
      "GET, /v1/models/penguins/monitoring, " + APP + ", 200",
      "POST, /v1/models/penguins/feedback, none, 401",
      "POST, /v1/models/penguins/feedback, " + SCRAPER + ", 403",
      "GET, /health/live, none, 200",
      "GET, /health/ready, none, 200",
      "GET, /openapi.json, none, 200"})
  void everyRouteAsksForItsScope(String method, String path, String key, int status) {
    var request = java.net.http.HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json")
        .method(method, method.equals("POST")
            ? java.net.http.HttpRequest.BodyPublishers.ofString(VALID)
            : java.net.http.HttpRequest.BodyPublishers.noBody());
    if (!key.equals("none")) {
      request.header("Authorization", "Bearer " + (key.equals("wrong") ? APP + "x" : key));
    }

    Reply reply = server.send(request.build());

    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    if (status == 401) {
      assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"mlplatform\"");
      assertThat(reply.json().get("error").asText()).isEqualTo("unauthorized");
    }
    if (status == 403) {
      assertThat(reply.json().get("error").asText()).isEqualTo("forbidden");
      assertThat(reply.json().get("message").asText()).contains("lacks the '");
    }
    assertThat(reply.body()).doesNotContain(APP, SCRAPER, OPS);
  }

  @Test
  void healthBodiesSayNothingButAStatusWord() {
    assertThat(server.get("/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(server.get("/health/ready").body()).isEqualTo("{\"status\":\"READY\"}");
  }
}
