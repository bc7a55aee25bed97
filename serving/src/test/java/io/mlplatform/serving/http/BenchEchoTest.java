package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.config.AuthSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.FakeLoader;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's echo route: absent by default, and behind the same guard as predict when on. */
class BenchEchoTest {

  private static final String BODY =
      "{\"instances\":[{\"Island\":\"Dream\",\"Beak Length (mm)\":39.1}]}";
  @TempDir Path dir;

  @Test
  void offByDefault() {
    try (Server s = new Server(Fixtures.fakeConfig())) {
      assertThat(s.http.postJson(ServingApp.BENCH_ECHO_PATH, BODY).status()).isEqualTo(404);
    }
  }

  @Test
  void whenEnabledItWritesTheParsedBodyBackThroughAuthAndBodyChecks() throws Exception {
    ServingConfig config =
        Fixtures.fakeConfig()
            .withAuth(new AuthSection(true, AuthTest.keys()))
            .withBenchEchoEnabled(true);
    try (Server s = new Server(config)) {
      Reply echoed =
          s.http.postJson(
              ServingApp.BENCH_ECHO_PATH, BODY, "Authorization", "Bearer " + AuthTest.APP);
      assertThat(echoed.status()).isEqualTo(200);
      assertThat(echoed.json()).isEqualTo(HttpFixture.JSON.readTree(BODY));

      assertThat(s.http.postJson(ServingApp.BENCH_ECHO_PATH, BODY).status()).isEqualTo(401);
      assertThat(
              s.http
                  .postJson(
                      ServingApp.BENCH_ECHO_PATH,
                      BODY,
                      "Authorization",
                      "Bearer " + AuthTest.SCRAPER)
                  .status())
          .isEqualTo(403);
      Reply broken =
          s.http.postJson(
              ServingApp.BENCH_ECHO_PATH,
              "{\"instances\": [",
              "Authorization",
              "Bearer " + AuthTest.APP);
      assertThat(broken.status()).isEqualTo(400);
      assertThat(broken.json().get("error").asText()).isEqualTo("invalid_request");
    }
  }

  private final class Server implements AutoCloseable {
    final ModelRegistry registry;
    final HttpFixture http;

    Server(ServingConfig config) {
      ModelStore store = ModelStore.open(dir.resolve("store").toString());
      registry = Fixtures.registry(store, new FakeLoader(), config, ModelEvents.NONE);
      http = new HttpFixture(config, registry);
    }

    @Override
    public void close() {
      http.close();
      registry.close();
    }
  }
}
