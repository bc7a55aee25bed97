package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every model family the platform claims, the REST service returns what Spark's
 * PipelineModel.transform returned at training time on the same held-out rows (up to 200 per model,
 * nulls included): same prediction, same label, probabilities within 1e-9.
 */
class FamilyParityTest {

  private static final double TOLERANCE = 1e-9;
  private static ServingServer server;
  private static ModelStore store;

  @BeforeAll
  static void start() {
    String uri = TrainedStore.trained().toString();
    store = ModelStore.open(uri);
    server = new ServingServer(uri);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static List<String> models() {
    return TrainedStore.models();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void servedOutputsEqualSparkOutputs(String model) {
    int version = store.latestVersion(model).orElseThrow();
    Manifest manifest = store.manifest(model, version);
    List<ReferenceRow> rows = store.referenceRows(model, version);
    assertThat(rows).as("reference rows of %s", model).hasSizeGreaterThan(20);

    ServingServer.Reply reply =
        server.postJson(
            "/v1/models/" + model + ":predict",
            Map.of("instances", rows.stream().map(ReferenceRow::input).toList()));

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().at("/model/version").asInt()).isEqualTo(version);
    JsonNode predictions = reply.json().get("predictions");
    assertThat(predictions).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertRow(model + " row " + i, manifest, predictions.get(i), rows.get(i));
    }
  }

  static void assertRow(String what, Manifest manifest, JsonNode served, ReferenceRow expected) {
    double prediction = served.get("prediction").asDouble();
    if (!manifest.task().isClassification()) {
      assertThat(prediction).as(what).isCloseTo(expected.prediction(), within(TOLERANCE));
      return;
    }
    List<String> labels = manifest.outputs().labels();
    assertThat(prediction).as(what + " prediction").isEqualTo(expected.prediction());
    assertThat(served.get("label").asText())
        .as(what + " label")
        .isEqualTo(labels.get((int) prediction));
    if (expected.probabilities() != null) {
      JsonNode probabilities = served.get("probabilities");
      assertThat(probabilities.size()).as(what + " probabilities").isEqualTo(labels.size());
      for (int k = 0; k < labels.size(); k++) {
        assertThat(probabilities.get(labels.get(k)).asDouble())
            .as(what + " P(" + labels.get(k) + ")")
            .isCloseTo(expected.probabilities().get(k), within(TOLERANCE));
      }
    }
  }
}
