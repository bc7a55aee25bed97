package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.config.AuthSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.lifecycle.FakeLoader;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One JSON line per request, with sampling of successes. */
class AccessLogTest {

  private static final String VALID =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1},"
          + " {\"Island\": null, \"Beak Length (mm)\": 40}]}";
  @TempDir Path dir;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private ModelRegistry registry;
  private HttpFixture server;

  @BeforeEach
  void setUp() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    registry = Fixtures.registry(store, new FakeLoader(), Fixtures.fakeConfig(), ModelEvents.NONE);
    registry.refresh();
  }

  @AfterEach
  void tearDown() {
    server.close();
    registry.close();
  }

  @Test
  void writesOneJsonLinePerRequestNamingTheKeyNotTheSecret() throws Exception {
    start(1.0, true);

    server.postJson(
        "/v1/models/penguins:predict",
        VALID,
        "Authorization",
        "Bearer " + AuthTest.APP,
        "X-Request-Id",
        "trace-1",
        "User-Agent",
        "test-agent");
    server.postJson(
        "/v1/models/penguins:predict",
        "{\"instances\": [{}]}",
        "Authorization",
        "Bearer " + AuthTest.APP);
    server.get("/health/live");

    JsonNode ok = awaitLine(0);
    assertThat(ok.get("requestId").asText()).isEqualTo("trace-1");
    assertThat(ok.get("method").asText()).isEqualTo("POST");
    assertThat(ok.get("path").asText()).isEqualTo("/v1/models/penguins:predict");
    assertThat(ok.get("route").asText()).isEqualTo("/v1/models/{name}:predict");
    assertThat(ok.get("status").asInt()).isEqualTo(200);
    assertThat(ok.get("durationMs").asDouble()).isPositive();
    assertThat(ok.get("principal").asText()).isEqualTo("app");
    assertThat(ok.get("model").asText()).isEqualTo("penguins");
    assertThat(ok.get("version").asInt()).isEqualTo(1);
    assertThat(ok.get("instances").asInt()).isEqualTo(2);
    assertThat(ok.get("userAgent").asText()).isEqualTo("test-agent");
    assertThat(ok.has("ts")).isTrue();
    JsonNode bad = awaitLine(1);
    assertThat(bad.get("status").asInt()).isEqualTo(400);
    assertThat(bad.get("error").asText()).isEqualTo("invalid_request");
    assertThat(awaitLine(2).get("route").asText()).isEqualTo("/health/live");
    assertThat(String.join("\n", lines)).doesNotContain(AuthTest.APP, "Dream");
  }

  @Test
  void samplingDropsSuccessesButNeverErrors() throws Exception {
    start(0.0, false);

    for (int i = 0; i < 20; i++) {
      server.postJson("/v1/models/penguins:predict", VALID);
    }
    server.postJson("/v1/models/nope:predict", VALID);
    server.get("/nowhere");

    JsonNode first = awaitLine(0);
    JsonNode second = awaitLine(1);
    Thread.sleep(200);
    assertThat(lines).hasSize(2);
    assertThat(first.get("error").asText()).isEqualTo("model_not_found");
    assertThat(second.get("status").asInt()).isEqualTo(404);
    assertThat(second.get("route").asText()).isEqualTo("unmatched");
    assertThat(second.has("principal")).isFalse();
  }

  private void start(double rate, boolean auth) {
    ServingConfig config = Fixtures.fakeConfig();
    if (auth) {
      config = config.withAuth(new AuthSection(true, AuthTest.keys()));
    }
    server =
        new HttpFixture(
            ServingApp.create(
                    config,
                    registry,
                    new ServingMetrics(),
                    new AccessLog(rate, lines::add),
                    new Drain())
                .start());
  }

  /** The request logger runs after the response is sent, so a line may trail the reply a little. */
  private JsonNode awaitLine(int index) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (lines.size() <= index && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return HttpFixture.JSON.readTree(new ArrayList<>(lines).get(index));
  }
}
