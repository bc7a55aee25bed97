package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same traffic twice: spread over two replicas that each write their own prediction log, and
 * all of it through one process. Feedback for the pair goes to the replica that did not answer. The
 * monitor job over the pair's logs must find what it finds over the single process's log: the same
 * drift per column, the same feedback metric and the same traffic, only split over two replicas.
 */
@Tag("slow")
class FleetMonitoringTest {

  private static final String MODEL = "penguins";
  private static final String PREDICT = "/v1/models/" + MODEL + ":predict";
  private static final String FEEDBACK = "/v1/models/" + MODEL + "/feedback";
  private static final int REQUESTS = 40;
  private static final int BATCH = 8;

  @TempDir static Path dir;
  private static ModelStore store;
  private static JsonNode fleet;
  private static JsonNode single;

  @BeforeAll
  static void sameTrafficThroughTwoReplicasAndThroughOne() throws IOException {
    ModelStore trained = ModelStore.open(TrainedStore.trained().toString());
    store = ModelStore.open(dir.resolve("store").toString());
    assertThat(StoreCopies.copyMonitored(trained, MODEL, store, MODEL, dir)).isEqualTo(1);
    List<ReferenceRow> rows = store.referenceRows(MODEL, 1);

    String fleetLog = dir.resolve("log-fleet").toUri().toString();
    String singleLog = dir.resolve("log-single").toUri().toString();
    ServiceProcess a = replica("a", fleetLog);
    ServiceProcess b = replica("b", fleetLog);
    ServiceProcess one = replica("one", singleLog);
    try {
      for (int r = 0; r < REQUESTS; r++) {
        List<Map<String, Object>> instances = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
          instances.add(rows.get((r * BATCH + i) % rows.size()).input());
        }
        String body = ServingServer.JSON.writeValueAsString(Map.of("instances", instances));
        ServiceProcess answering = r % 2 == 0 ? a : b;
        ServiceProcess other = r % 2 == 0 ? b : a;
        JsonNode byPair = predict(answering, body);
        JsonNode byOne = predict(one, body);
        for (int i = 0; i < BATCH; i++) {
          // Right for some instances, wrong for others, the same for both: a metric neither 0
          // nor 1.
          String label = (r + i) % 3 == 0 ? "Chinstrap" : label(byOne, i);
          feedback(other, token(byPair, i), label);
          feedback(one, token(byOne, i), label);
        }
      }
    } finally {
      // SIGTERM drains: each replica closes its log files and moves them into place.
      a.close();
      b.close();
      one.close();
    }
    fleet = monitor("fleet", fleetLog);
    single = monitor("single", singleLog);
  }

  @Test
  void theTwoReplicasLogsGiveTheDriftOfOneProcessSeeingAllTheTraffic() {
    JsonNode features = fleet.at("/drift/features");
    assertThat(features.size()).isPositive();
    assertThat(features).isEqualTo(single.at("/drift/features"));
    assertThat(fleet.at("/drift/prediction")).isEqualTo(single.at("/drift/prediction"));
    for (JsonNode column : features) {
      assertThat(column.get("rows").asLong())
          .as(column.get("name").asText())
          .isEqualTo((long) REQUESTS * BATCH);
      assertThat(column.get("psi").isNumber()).as(column.toString()).isTrue();
    }
  }

  @Test
  void feedbackPostedToTheOtherReplicaCountsAsIfOneProcessHadTakenIt() {
    assertThat(fleet.at("/feedback/count").asLong()).isEqualTo((long) REQUESTS * BATCH);
    assertThat(fleet.at("/feedback/duplicates").asLong()).isZero();
    assertThat(fleet.at("/feedback")).isEqualTo(single.at("/feedback"));
    assertThat(fleet.at("/feedback/value").asDouble()).isStrictlyBetween(0.0, 1.0);
  }

  @Test
  void trafficIsTheSameInTotalAndSplitOverTheReplicas() {
    for (String figure : List.of("requests", "instances", "scored")) {
      assertThat(fleet.at("/traffic/" + figure)).isEqualTo(single.at("/traffic/" + figure));
    }
    assertThat(fleet.at("/traffic/requests").asLong()).isEqualTo(REQUESTS);
    JsonNode replicas = fleet.at("/traffic/replicas");
    assertThat(replicas.size()).isEqualTo(2);
    assertThat(replicas.get(0).get("requests").asLong() + replicas.get(1).get("requests").asLong())
        .isEqualTo(REQUESTS);
    assertThat(single.at("/traffic/replicas").size()).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------

  private static ServiceProcess replica(String name, String logUri) {
    return new ServiceProcess(
            name,
            store.uri().toString(),
            dir,
            List.of(
                "warmupRows: 10",
                "shutdownDelay: 0s",
                "shutdownGrace: 5s",
                "feedbackSigningKey: fleet-signing-key-0123456789abcdef",
                "predictionLog:",
                "  enabled: true",
                "  uri: " + logUri,
                "  sampleRate: 1.0"))
        .start();
  }

  /** Runs {@code scripts/monitor} over one log and returns the version's summary it stored. */
  private static JsonNode monitor(String name, String logUri) {
    Scripts.Outcome outcome =
        Scripts.run(
            dir.resolve("monitor-" + name + ".log"),
            5,
            "monitor",
            MODEL,
            "--store",
            store.uri().toString(),
            "--log",
            logUri,
            "--min-rows",
            "50");
    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    JsonNode latest = store.monitoringJson(MODEL, "latest.json").orElseThrow();
    assertThat(latest.get("log").asText())
        .contains(name.equals("fleet") ? "log-fleet" : "log-single");
    assertThat(latest.get("malformed").get("count").asLong()).isZero();
    JsonNode versions = latest.get("versions");
    assertThat(versions.size()).as(latest.toString()).isEqualTo(1);
    String path = versions.get(0).get("path").asText();
    return store
        .monitoringJson(MODEL, path.substring("monitoring/".length()) + "/summary.json")
        .orElseThrow(() -> new AssertionError("no summary at " + path));
  }

  private static JsonNode predict(ServiceProcess replica, String body) {
    Reply reply = replica.client().postJson(PREDICT, body, ServiceProcess.APP);
    assertThat(reply.status()).as(replica.name() + ": " + reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static void feedback(ServiceProcess replica, String token, String label) {
    try {
      String body = ServingServer.JSON.writeValueAsString(Map.of("token", token, "label", label));
      Reply reply = replica.client().postJson(FEEDBACK, body, ServiceProcess.APP);
      assertThat(reply.status()).as(replica.name() + ": " + reply.body()).isEqualTo(200);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String token(JsonNode answer, int instance) {
    return answer.at("/predictions/" + instance + "/feedbackToken").asText();
  }

  private static String label(JsonNode answer, int instance) {
    return answer.at("/predictions/" + instance + "/label").asText();
  }
}
