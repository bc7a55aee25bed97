package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.config.AuthSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.FakeLoader;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload, pin and unpin through the admin routes; versioned, alias and metadata routes around them.
 */
class AdminTest {

  private static final String VALID =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";
  private static final String[] OPS = {"Authorization", "Bearer " + AuthTest.OPS};
  @TempDir Path dir;
  private final FakeLoader loader = new FakeLoader();
  private ModelStore store;
  private ModelRegistry registry;
  private HttpFixture server;

  @BeforeEach
  void setUp() {
    store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    ServingConfig config = Fixtures.fakeConfig().withAuth(new AuthSection(true, AuthTest.keys()));
    registry = Fixtures.registry(store, loader, config, ModelEvents.NONE);
    registry.refresh();
    server = new HttpFixture(config, registry);
  }

  @AfterEach
  void tearDown() {
    server.close();
    registry.close();
  }

  @Test
  void reloadPicksUpANewVersionAtOnce() {
    Fixtures.publishClassifier(store, "penguins", dir);
    assertThat(version("/v1/models/penguins:predict")).isEqualTo(1); // polling is off in this test

    Reply reload = server.send(post("/v1/admin/reload", "", OPS));

    assertThat(reload.status()).isEqualTo(200);
    assertThat(reload.json().at("/models/0/loadedVersion").asInt()).isEqualTo(2);
    assertThat(version("/v1/models/penguins:predict")).isEqualTo(2);
    assertThat(version("/v1/models/penguins/versions/1:predict")).isEqualTo(1); // kept for fallback
    assertThat(version("/v1/models/penguins/versions/v2:predict")).isEqualTo(2);
  }

  @Test
  void pinsAndUnpinsTheDefaultRoute() {
    Fixtures.publishClassifier(store, "penguins", dir);
    Fixtures.publishClassifier(store, "penguins", dir);
    loader.refuse.add("penguins v2");
    server.send(post("/v1/admin/reload", "", OPS));
    assertThat(version("/v1/models/penguins:predict")).isEqualTo(3);

    Reply pinned = server.send(put("/v1/admin/models/penguins/pin", "{\"version\": 1}", OPS));

    assertThat(pinned.status()).as(pinned.body()).isEqualTo(200);
    assertThat(pinned.json().get("pinnedVersion").asInt()).isEqualTo(1);
    assertThat(pinned.json().get("loadedVersion").asInt()).isEqualTo(1);
    assertThat(version("/v1/models/penguins:predict")).isEqualTo(1);

    Reply refused = server.send(put("/v1/admin/models/penguins/pin", "{\"version\": 2}", OPS));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("error").asText()).isEqualTo("version_refused");
    assertThat(refused.json().get("message").asText()).contains("bundle does not fit its manifest");
    assertThat(server.send(put("/v1/admin/models/penguins/pin", "{\"version\": 9}", OPS)).status())
        .isEqualTo(404);
    assertThat(
            server.send(put("/v1/admin/models/penguins/pin", "{\"version\": \"1\"}", OPS)).status())
        .isEqualTo(400);
    assertThat(
            server
                .send(
                    HttpRequest.newBuilder(server.uri("/v1/admin/models/penguins/pin"))
                        .header("Content-Type", "text/plain")
                        .header(OPS[0], OPS[1])
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": 1}"))
                        .build())
                .status())
        .isEqualTo(415);
    assertThat(version("/v1/models/penguins:predict")).isEqualTo(1);

    Reply unpinned =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/admin/models/penguins/pin"))
                .header(OPS[0], OPS[1])
                .DELETE()
                .build());
    assertThat(unpinned.status()).isEqualTo(200);
    assertThat(unpinned.json().has("pinnedVersion")).isFalse();
    assertThat(version("/v1/models/penguins:predict")).isEqualTo(3);
  }

  @Test
  void detailReportsEveryVersionAndWhyARefusedOneDoesNotServe() {
    Fixtures.publishClassifier(store, "penguins", dir);
    loader.refuse.add("penguins v2");
    store.setAlias("penguins", Layout.STAGING_ALIAS, 1, "test");
    server.send(post("/v1/admin/reload", "", OPS));

    Reply detail = server.get("/v1/models/penguins", OPS);

    assertThat(detail.json().get("state").asText()).isEqualTo("LOADED");
    assertThat(detail.json().get("loadedVersion").asInt()).isEqualTo(1);
    assertThat(detail.json().get("error").asText())
        .isEqualTo("v2 refused: bundle: bundle does not fit its manifest: test");
    assertThat(detail.json().get("aliases").toString()).isEqualTo("{\"staging\":1}");
    assertThat(detail.json().get("versionStates").toString())
        .isEqualTo(
            "["
                + "{\"version\":2,\"state\":\"REFUSED\",\"aliases\":[],\"check\":\"bundle\","
                + "\"reason\":\"bundle does not fit its manifest: test\"},"
                + "{\"version\":1,\"state\":\"SERVING\",\"aliases\":[\"staging\"]}]");
    assertThat(server.get("/v1/models/penguins/versions/2", OPS).json().get("state").asText())
        .isEqualTo("REFUSED");
    assertThat(server.get("/v1/models/penguins/versions/5", OPS).status()).isEqualTo(404);
    assertThat(version("/v1/models/penguins/aliases/staging:predict")).isEqualTo(1);
    Reply noAlias = server.send(post("/v1/models/penguins/aliases/production:predict", VALID, OPS));
    assertThat(noAlias.status()).isEqualTo(404);
    assertThat(noAlias.json().get("error").asText()).isEqualTo("alias_not_found");
    // The route was renamed from labels/ to aliases/: the old path is unknown like any other.
    Reply oldRoute = server.send(post("/v1/models/penguins/labels/staging:predict", VALID, OPS));
    assertThat(oldRoute.status()).isEqualTo(404);
    assertThat(oldRoute.json().get("error").asText()).isEqualTo("not_found");
    Reply refusedVersion = server.send(post("/v1/models/penguins/versions/2:predict", VALID, OPS));
    assertThat(refusedVersion.status()).isEqualTo(503);
    assertThat(refusedVersion.json().get("error").asText()).isEqualTo("model_unavailable");
  }

  @Test
  void metadataDescribesInputsWithTheirFills() {
    Reply metadata = server.get("/v1/models/penguins/metadata", OPS);

    assertThat(metadata.status()).isEqualTo(200);
    assertThat(metadata.json().get("version").asInt()).isEqualTo(1);
    assertThat(metadata.json().get("inputs").toString())
        .isEqualTo(
            "["
                + "{\"name\":\"Island\",\"type\":\"STRING\",\"nullable\":true,\"fill\":\"__missing__\",\"source\":null},"
                + "{\"name\":\"Beak Length (mm)\",\"type\":\"DOUBLE\",\"nullable\":false,\"fill\":null,\"source\":null}]");
    assertThat(metadata.json().get("labels")).hasSize(3);
    assertThat(
            server
                .get("/v1/models/penguins/versions/1/metadata", OPS)
                .json()
                .get("version")
                .asInt())
        .isEqualTo(1);
  }

  private int version(String path) {
    Reply reply = server.send(post(path, VALID, OPS));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().at("/model/version").asInt();
  }

  private HttpRequest post(String path, String body, String... headers) {
    return HttpRequest.newBuilder(server.uri(path))
        .header("Content-Type", "application/json")
        .headers(headers)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpRequest put(String path, String body, String... headers) {
    return HttpRequest.newBuilder(server.uri(path))
        .header("Content-Type", "application/json")
        .headers(headers)
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
