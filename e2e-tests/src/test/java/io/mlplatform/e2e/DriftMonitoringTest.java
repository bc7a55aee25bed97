package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Drift and feedback on the penguins model the real job trained: its manifest carries the training
 * split's distributions; the real service compares live traffic (the penguins data itself, then a
 * shifted copy) with them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftMonitoringTest {

  private static final String BEAK = "Beak Length (mm)";
  private static ServingServer server;
  private static Manifest manifest;
  private static ArrayNode penguins;

  @BeforeAll
  static void start() throws IOException {
    ModelStore store = ModelStore.open(TrainedStore.penguins().toString());
    manifest = store.manifest("penguins", store.latestVersion("penguins").orElseThrow());
    penguins =
        (ArrayNode)
            ServingServer.JSON.readTree(
                TrainingProcess.projectRoot().resolve("data/penguins.json").toFile());
    server = new ServingServer(TrainedStore.penguins().toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void trainingStoredReferenceDistributionsOfEveryFeatureAndThePredictions() {
    assertThat(manifest.monitoring()).isNotNull();
    assertThat(manifest.monitoring().features())
        .extracting(Distribution::name)
        .containsExactly(
            BEAK, "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Island", "Sex");
    Distribution beak = manifest.monitoring().features().get(0);
    assertThat(beak.kind()).isEqualTo(Distribution.Kind.NUMERIC);
    assertThat(beak.edges()).hasSize(9);
    assertThat(manifest.monitoring().prediction().categories())
        .isEqualTo(manifest.outputs().labels());
    assertThat(manifest.monitoring().prediction().rows()).isPositive();
  }

  @Test
  @Order(2)
  void inDistributionTrafficKeepsPsiLow() {
    // 688 rows: above the default driftMinRows (500).
    send(row -> row);
    send(row -> row);

    JsonNode report = monitoring();

    assertThat(report.at("/window/rows").asLong()).isEqualTo(2L * penguins.size());
    assertThat(report.get("threshold").asDouble()).isEqualTo(0.2);
    for (JsonNode feature : report.get("features")) {
      assertThat(feature.get("psi").asDouble()).as(feature.get("name").asText()).isLessThan(0.1);
      assertThat(feature.get("alert").asBoolean()).isFalse();
    }
    assertThat(report.at("/prediction/psi").asDouble()).isLessThan(0.1);
    assertThat(report.get("alerts")).isEmpty();
  }

  @Test
  @Order(3)
  void shiftedTrafficRaisesPsiAboveTheThresholdAndFlagsIt() {
    // Longer beaks, and only penguins from Dream: three passes, so the shift dominates the window.
    for (int i = 0; i < 3; i++) {
      send(
          row -> {
            if (row.hasNonNull(BEAK)) {
              row.put(BEAK, row.get(BEAK).asDouble() + 15);
            }
            row.put("Island", "Dream");
            return row;
          });
    }

    JsonNode report = monitoring();

    JsonNode beak = feature(report, BEAK);
    JsonNode island = feature(report, "Island");
    assertThat(beak.get("psi").asDouble()).isGreaterThan(0.2);
    assertThat(beak.get("alert").asBoolean()).isTrue();
    assertThat(island.get("psi").asDouble()).isGreaterThan(0.2);
    assertThat(island.get("alert").asBoolean()).isTrue();
    assertThat(feature(report, "Sex").get("psi").asDouble()).isLessThan(0.1);
    assertThat(report.at("/prediction/psi").asDouble()).isGreaterThan(0.2);
    assertThat(report.get("alerts").toString()).contains(BEAK, "Island", "prediction");
    assertThat(server.get("/metrics").body())
        .contains(
            "mlp_drift_alert{feature=\"Island\",model=\"penguins\",version=\""
                + manifest.version()
                + "\"} 1.0");
  }

  @Test
  @Order(4)
  void groundTruthPostedLaterGivesTheLiveAccuracy() {
    ObjectNode body = ServingServer.JSON.createObjectNode();
    ArrayNode instances = body.putArray("instances");
    penguins.forEach(p -> instances.add(p.deepCopy()));
    Reply scored = server.postJson("/v1/models/penguins:predict", body.toString());
    assertThat(scored.status()).isEqualTo(200);
    int sent = 0;
    int right = 0;
    // Half the labels come back with the prediction's token, half with the request id.
    for (int i = 0; i < penguins.size(); i++) {
      JsonNode species = penguins.get(i).get("Species");
      String token = scored.json().at("/predictions/" + i + "/feedbackToken").asText();
      Reply applied =
          server.postJson(
              "/v1/models/penguins/feedback",
              i % 2 == 0
                  ? Map.of("token", token, "label", species.asText())
                  : Map.of("requestId", scored.requestId(), "index", i, "label", species.asText()));
      assertThat(applied.status()).as(applied.body()).isEqualTo(200);
      sent++;
      right +=
          scored.json().at("/predictions/" + i + "/label").asText().equals(species.asText())
              ? 1
              : 0;
    }

    JsonNode feedback = monitoring().get("feedback");

    assertThat(feedback.get("count").asInt()).isEqualTo(sent);
    assertThat(feedback.get("metric").asText()).isEqualTo("accuracy");
    assertThat(feedback.get("value").asDouble())
        .isEqualTo(right / (double) sent)
        .isGreaterThan(0.9);
    Reply again =
        server.postJson(
            "/v1/models/penguins/feedback",
            Map.of("requestId", scored.requestId(), "index", 1, "label", "Adelie"));
    assertThat(again.status()).isEqualTo(409);
    Reply replayed =
        server.postJson(
            "/v1/models/penguins/feedback",
            Map.of(
                "token",
                scored.json().at("/predictions/0/feedbackToken").asText(),
                "label",
                "Adelie"));
    assertThat(replayed.status()).isEqualTo(409);
    assertThat(monitoring().at("/feedback/count").asInt()).isEqualTo(sent);
    Reply wrongType =
        server.postJson(
            "/v1/models/penguins/feedback",
            Map.of("requestId", scored.requestId(), "index", 1, "label", 3));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().get("message").asText()).contains("must be one of the classes");
  }

  private static void send(UnaryOperator<ObjectNode> change) {
    ObjectNode body = ServingServer.JSON.createObjectNode();
    ArrayNode instances = body.putArray("instances");
    penguins.forEach(p -> instances.add(change.apply(((ObjectNode) p).deepCopy())));
    Reply reply = server.postJson("/v1/models/penguins:predict", body.toString());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
  }

  private static JsonNode monitoring() {
    Reply reply = server.get("/v1/models/penguins/monitoring");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static JsonNode feature(JsonNode report, String name) {
    for (JsonNode f : report.get("features")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no feature " + name + " in " + report);
  }
}
