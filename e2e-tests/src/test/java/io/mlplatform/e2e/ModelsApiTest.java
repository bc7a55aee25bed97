package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The model listing, the model description and the health probes over the trained store. */
class ModelsApiTest {

  private static ServingServer server;
  private static ModelStore store;
  private static Manifest manifest;

  @BeforeAll
  static void start() {
    store = ModelStore.open(TrainedStore.penguins().toString());
    manifest = store.manifest("penguins", store.latestVersion("penguins").orElseThrow());
    server = new ServingServer(TrainedStore.penguins().toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listsEveryModelOfTheStore() {
    Reply reply = server.get("/v1/models");

    assertThat(reply.status()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    for (JsonNode model : reply.json().get("models")) {
      names.add(model.get("name").asText());
      assertThat(model.get("state").asText()).isEqualTo("LOADED");
    }
    assertThat(names).isEqualTo(store.models());
    JsonNode penguins = reply.json().get("models").get(names.indexOf("penguins"));
    assertThat(penguins.get("latestVersion").asInt()).isEqualTo(manifest.version());
    assertThat(penguins.get("loadedVersion").asInt()).isEqualTo(manifest.version());
  }

  @Test
  void describesPenguinsFromItsManifest() {
    Reply reply = server.get("/v1/models/penguins");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode model = reply.json();
    assertThat(model.get("name").asText()).isEqualTo("penguins");
    assertThat(model.get("state").asText()).isEqualTo("LOADED");
    assertThat(model.get("loadedVersion").asInt()).isEqualTo(manifest.version());
    List<Integer> versions = new ArrayList<>();
    model.get("versions").forEach(v -> versions.add(v.asInt()));
    assertThat(versions).isEqualTo(store.versions("penguins"));
    assertThat(model.get("task").asText()).isEqualTo(manifest.task().name());
    assertThat(model.get("createdAt").asText()).isEqualTo(manifest.createdAt());
    assertThat(model.get("inputs")).hasSize(manifest.inputs().size());
    for (int i = 0; i < manifest.inputs().size(); i++) {
      InputField expected = manifest.inputs().get(i);
      JsonNode input = model.get("inputs").get(i);
      assertThat(input.get("name").asText()).isEqualTo(expected.name());
      assertThat(input.get("type").asText()).isEqualTo(expected.type().name());
      assertThat(input.get("nullable").asBoolean()).isEqualTo(expected.nullable());
    }
    List<String> labels = new ArrayList<>();
    model.get("labels").forEach(l -> labels.add(l.asText()));
    assertThat(labels).isEqualTo(manifest.outputs().labels());
    assertThat(model.get("outputs").get("predictionColumn").asText())
        .isEqualTo(manifest.outputs().predictionColumn());
    List<String> metrics = new ArrayList<>();
    model.get("metrics").fieldNames().forEachRemaining(metrics::add);
    assertThat(metrics).containsExactlyInAnyOrderElementsOf(manifest.metrics().keySet());
  }

  @Test
  void unknownModelIs404() {
    Reply reply = server.get("/v1/models/no-such-model");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("model_not_found");
    assertThat(reply.json().get("requestId").asText()).isEqualTo(reply.requestId());
  }

  @Test
  void healthProbesAnswerOnlyAStatusWord() {
    Reply live = server.get("/health/live");
    Reply ready = server.get("/health/ready");

    assertThat(live.status()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("{\"status\":\"READY\"}");
    assertThat(live.requestId()).isNotBlank();
  }
}
