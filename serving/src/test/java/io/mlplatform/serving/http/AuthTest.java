package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.auth.ApiKey;
import io.mlplatform.serving.auth.Scope;
import io.mlplatform.serving.config.AuthSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.FakeLoader;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.store.format.Lineage;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bearer keys and scopes on every route, through a real server. */
class AuthTest {

  static final String APP = "app-key-0123456789abcdef";
  static final String SCRAPER = "prometheus-0123456789abcdef";
  static final String OPS = "ops-key-0123456789abcdef";
  private static final String VALID =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";
  @TempDir static Path dir;
  private static ModelRegistry registry;
  private static HttpFixture server;
  private static Javalin app;
  // Every route needs a key except these; /v1/admin/* needs admin, /metrics metrics, the rest
  // predict.
  private static final Set<String> PUBLIC =
      Set.of("GET /health/live", "GET /health/ready", "GET /openapi.json");

  @BeforeAll
  static void start() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    Manifest m = Fixtures.classifierManifest();
    ObjectNode spec =
        HttpFixture.JSON
            .createObjectNode()
            .put("learningRate", 0.1)
            .put("data", "hdfs://nn/spec-data");
    Fixtures.publish(
        store,
        new Manifest(
            Manifest.FORMAT_VERSION,
            "traced",
            0,
            "2026-01-01T00:00:00Z",
            m.task(),
            m.inputs(),
            m.outputs(),
            Map.of("accuracy", 0.9),
            spec,
            "3.5.7",
            "0.16.0",
            new Lineage("hdfs://nn/secret-data/penguins.csv", 344, "sha256:ab", "abc123", null),
            spec,
            null,
            null),
        Fixtures.zipBundle("penguins-logistic", dir.resolve("traced.zip")));
    ServingConfig config = Fixtures.fakeConfig().withAuth(new AuthSection(true, keys()));
    registry = Fixtures.registry(store, new FakeLoader(), config, ModelEvents.NONE);
    registry.refresh();
    app = ServingApp.create(config.withPort(0).withBenchEchoEnabled(true), registry).start();
    server = new HttpFixture(app);
  }

  static List<ApiKey> keys() {
    return List.of(
        new ApiKey("app", Set.of(Scope.PREDICT), APP),
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
    for (String path :
        List.of("/v1/models/traced/metadata", "/v1/models/traced/versions/1/metadata")) {
      Reply app = server.get(path, "Authorization", "Bearer " + APP);
      assertThat(app.status()).isEqualTo(200);
      assertThat(app.json().get("inputs")).hasSize(2);
      assertThat(app.json().has("outputs")).isTrue();
      assertThat(app.body()).doesNotContain("hdfs://", "secret-data", "learningRate");

      Reply ops = server.get(path, "Authorization", "Bearer " + OPS);
      assertThat(ops.body()).contains("hdfs://nn/secret-data/penguins.csv", "learningRate");
    }
  }

  /**
   * Generated from the route table, as the OpenAPI test is: a route added without a guard (or with
   * the wrong scope) fails here without anyone adding a row.
   */
  @TestFactory
  Stream<DynamicTest> everyRouteInTheRouteTableIsGuardedByTheScopeItsPathImplies() {
    List<String> routes =
        app.unsafe.internalRouter.allHttpHandlers().stream()
            .map(h -> h.endpoint)
            .filter(
                e ->
                    e.method.isHttpMethod()
                        && e.method != HandlerType.HEAD
                        && e.method != HandlerType.OPTIONS)
            .map(e -> e.method.name() + " " + e.path)
            .sorted()
            .toList();
    assertThat(routes).hasSizeGreaterThan(15);
    return routes.stream()
        .flatMap(
            route -> {
              String method = route.substring(0, route.indexOf(' '));
              String template = route.substring(route.indexOf(' ') + 1);
              String path =
                  template
                      .replace("{name}", "penguins")
                      .replace("{version}", "1")
                      .replace("{alias}", "production");
              Scope needed =
                  PUBLIC.contains(route)
                      ? null
                      : template.startsWith("/v1/admin/")
                          ? Scope.ADMIN
                          : template.equals("/metrics") ? Scope.METRICS : Scope.PREDICT;
              return Stream.of("none", "wrong", APP, SCRAPER, OPS)
                  .map(
                      key ->
                          DynamicTest.dynamicTest(
                              route + " with " + label(key),
                              () -> {
                                int status = send(method, path, key).status();
                                if (needed == null) {
                                  assertThat(status).as(route + " is public").isNotIn(401, 403);
                                } else if (key.equals("none") || key.equals("wrong")) {
                                  assertThat(status)
                                      .as(route + " without a valid key")
                                      .isEqualTo(401);
                                } else {
                                  boolean may =
                                      keys().stream()
                                          .filter(k -> k.secret().equals(key))
                                          .findFirst()
                                          .orElseThrow()
                                          .scopes()
                                          .stream()
                                          .anyMatch(s -> s.covers(needed));
                                  assertThat(status)
                                      .as(route + " with the key " + label(key))
                                      .isEqualTo(may ? status : 403);
                                  if (may) {
                                    assertThat(status)
                                        .as(route + " with the key " + label(key))
                                        .isNotIn(401, 403);
                                  }
                                }
                              }));
            });
  }

  private static String label(String key) {
    return key.equals(APP)
        ? "predict"
        : key.equals(SCRAPER) ? "metrics" : key.equals(OPS) ? "admin" : key;
  }

  private static Reply send(String method, String path, String key) {
    var request =
        java.net.http.HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/json")
            .method(
                method,
                method.equals("POST") || method.equals("PUT")
                    ? java.net.http.HttpRequest.BodyPublishers.ofString(VALID)
                    : java.net.http.HttpRequest.BodyPublishers.noBody());
    if (!key.equals("none")) {
      request.header("Authorization", "Bearer " + (key.equals("wrong") ? APP + "x" : key));
    }
    return server.send(request.build());
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
    "GET, /openapi.json, none, 200"
  })
  void everyRouteAsksForItsScope(String method, String path, String key, int status) {
    var request =
        java.net.http.HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/json")
            .method(
                method,
                method.equals("POST")
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
