package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served model reproduces what Spark predicted at training time for every reference row, one
 * request per row and all rows in one batch. Tolerance 1e-9: serving must not round.
 */
class PredictParityTest {

  private static final String MODEL = "penguins";
  private static final double TOLERANCE = 1e-9;
  private static ServingServer server;
  private static Manifest manifest;
  private static List<ReferenceRow> rows;

  @BeforeAll
  static void start() {
    String storeUri = TrainedStore.penguins().toString();
    ModelStore store = ModelStore.open(storeUri);
    int version = store.latestVersion(MODEL).orElseThrow();
    manifest = store.manifest(MODEL, version);
    rows = store.referenceRows(MODEL, version);
    server = new ServingServer(storeUri);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void storeHasReferenceRowsAndTheModelLoaded() {
    assertThat(rows).isNotEmpty();
    assertThat(server.registry().ready()).isTrue();
  }

  @Test
  void everyReferenceRowAlone() {
    for (int i = 0; i < rows.size(); i++) {
      Reply reply =
          server.postJson(predictPath(), Map.of("instances", List.of(rows.get(i).input())));

      assertThat(reply.status()).as("row %d: %s", i, reply.body()).isEqualTo(200);
      assertThat(reply.json().get("model").get("version").asInt()).isEqualTo(manifest.version());
      assertMatches(i, reply.json().get("predictions").get(0), rows.get(i));
    }
  }

  @Test
  void allReferenceRowsInOneBatch() {
    List<Map<String, Object>> inputs = rows.stream().map(ReferenceRow::input).toList();

    Reply reply = server.postJson(predictPath(), Map.of("instances", inputs));

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonNode predictions = reply.json().get("predictions");
    assertThat(predictions).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertMatches(i, predictions.get(i), rows.get(i));
    }
  }

  private static void assertMatches(int i, JsonNode served, ReferenceRow expected) {
    double prediction = served.get("prediction").asDouble();
    assertThat(prediction).as("row %d prediction", i).isEqualTo(expected.prediction());
    List<String> labels = manifest.outputs().labels();
    if (!manifest.task().isClassification()) {
      return;
    }
    assertThat(served.get("label").asText())
        .as("row %d label", i)
        .isEqualTo(labels.get((int) prediction));
    if (expected.probabilities() != null) {
      JsonNode probabilities = served.get("probabilities");
      assertThat(probabilities.size())
          .as("row %d probabilities", i)
          .isEqualTo(expected.probabilities().size());
      for (int k = 0; k < labels.size(); k++) {
        assertThat(probabilities.get(labels.get(k)).asDouble())
            .as("row %d probability of %s", i, labels.get(k))
            .isCloseTo(expected.probabilities().get(k), within(TOLERANCE));
      }
    }
  }

  private static String predictPath() {
    return "/v1/models/" + MODEL + ":predict";
  }
}
