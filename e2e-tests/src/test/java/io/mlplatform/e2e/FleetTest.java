package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service processes over one store, a client alternating between them: what an operator changes
 * through either replica (a pin, a routing rule, an alias) is served by both after one poll; a
 * restarted replica comes back with the fleet's state; feedback for an answer of one replica counts
 * on the other, and a forged token is refused by both; a store that refuses writes makes every
 * admin change a 503 on both while scoring goes on. The store holds two copies of the trained
 * penguins model (v1, v2) and a {@code staging} alias on v1, so that both replicas hold v1 loaded
 * as a routing candidate; each test starts from v2 serving, nothing pinned, no routing rule.
 */
@Tag("slow")
class FleetTest {

  private static final String MODEL = "penguins";
  private static final String PREDICT = "/v1/models/" + MODEL + ":predict";
  private static final String ADMIN = "/v1/admin/models/" + MODEL;
  private static final String FEEDBACK = "/v1/models/" + MODEL + "/feedback";
  private static final String[] OPS = ServiceProcess.OPS;
  // Generous: a change shows within a poll (1 s) plus loading a version on a busy machine.
  private static final Duration PROPAGATION = Duration.ofSeconds(30);

  // The fleet's shared secret, as a Kubernetes Secret would give it to every replica.
  private static final String SIGNING_KEY = "fleet-signing-key-0123456789abcdef";

  @TempDir static Path dir;
  private static ModelStore store;
  private static String body;
  private static ServiceProcess a;
  private static ServiceProcess b;

  @BeforeAll
  static void fleet() throws IOException {
    ModelStore trained = ModelStore.open(TrainedStore.trained().toString());
    store = ModelStore.open(dir.resolve("store").toString());
    assertThat(StoreCopies.copyMonitored(trained, MODEL, store, MODEL, dir)).isEqualTo(1);
    assertThat(StoreCopies.copyMonitored(trained, MODEL, store, MODEL, dir)).isEqualTo(2);
    store.setAlias(MODEL, "staging", 1, "routing candidate");
    body =
        ServingServer.JSON.writeValueAsString(
            Map.of("instances", List.of(trained.referenceRows(MODEL, 1).get(0).input())));
    List<String> settings =
        List.of(
            "pollInterval: 1s",
            "warmupRows: 10",
            "shutdownDelay: 0s",
            "shutdownGrace: 5s",
            "feedbackSigningKey: " + SIGNING_KEY);
    a = new ServiceProcess("a", store.uri().toString(), dir, settings).start();
    b = new ServiceProcess("b", store.uri().toString(), dir, settings).start();
  }

  @AfterAll
  static void stop() {
    for (ServiceProcess replica : new ServiceProcess[] {a, b}) {
      if (replica != null) {
        replica.close();
      }
    }
  }

  @BeforeEach
  void fromV2WithoutPinOrRule() {
    assertOk(a.delete(ADMIN + "/pin", OPS));
    assertOk(a.delete(ADMIN + "/routing", OPS));
    if (store.alias(MODEL, "production").isPresent()) {
      assertOk(a.put(ADMIN + "/aliases/production", reason(2, "test reset"), OPS));
    }
    awaitServedByBoth("the starting state", 2);
  }

  @Test
  void aPinMadeThroughEitherReplicaIsServedByBoth() {
    assertOk(a.put(ADMIN + "/pin", reason(1, "pin through a"), OPS));
    awaitServedByBoth("the pin made through a", 1);

    assertOk(b.delete(ADMIN + "/pin", OPS));
    awaitServedByBoth("the unpin made through b", 2);

    assertOk(b.put(ADMIN + "/pin", reason(1, "pin through b"), OPS));
    awaitServedByBoth("the pin made through b", 1);
    HistoryEvent pin = last(HistoryEvent.Action.PIN);
    assertThat(pin.by()).isEqualTo("ops");
    assertThat(pin.reason()).isEqualTo("pin through b");
  }

  @Test
  void aRoutingChangeMadeThroughEitherReplicaIsServedByBoth() {
    // A canary taking every request: each answer says which version gave it.
    assertOk(
        b.put(
            ADMIN + "/routing",
            "{\"mode\": \"canary\", \"candidate\": \"staging\", \"share\": 1}",
            OPS));
    awaitServedByBoth("the canary set through b", 1);
    JsonNode onA = a.client().get(ADMIN + "/routing", OPS).json();
    assertThat(onA.get("source").asText()).isEqualTo("store");
    assertThat(onA.get("by").asText()).isEqualTo("ops");

    assertOk(a.delete(ADMIN + "/routing", OPS));
    awaitServedByBoth("the canary removed through a", 2);
    assertThat(last(HistoryEvent.Action.ROUTING_SET).rule().candidate()).isEqualTo("staging");
  }

  @Test
  void anAliasMoveMadeThroughEitherReplicaIsServedByBoth() {
    assertOk(a.put(ADMIN + "/aliases/production", reason(1, "back to v1"), OPS));
    awaitServedByBoth("production moved to v1 through a", 1);

    assertOk(b.put(ADMIN + "/aliases/production", reason(2, "forward to v2"), OPS));
    awaitServedByBoth("production moved to v2 through b", 2);
    HistoryEvent promote = last(HistoryEvent.Action.PROMOTE);
    assertThat(promote.by()).isEqualTo("ops");
    assertThat(promote.to()).isEqualTo(2);
  }

  @Test
  void aRestartedReplicaComesBackWithTheSameState() {
    assertOk(a.put(ADMIN + "/pin", reason(1, "before the restart"), OPS));
    assertOk(a.put(ADMIN + "/routing", "{\"mode\": \"shadow\", \"candidate\": \"staging\"}", OPS));
    awaitServedByBoth("the pin", 1);

    b.restart();

    // Right after readiness, without waiting for a poll: the state was read at start.
    assertThat(version(b)).isEqualTo(1);
    JsonNode routing = b.client().get(ADMIN + "/routing", OPS).json();
    assertThat(routing.get("source").asText()).as(routing.toString()).isEqualTo("store");
    assertThat(routing.at("/rule/mode").asText()).isEqualTo("shadow");
    assertThat(routing.get("state").asText())
        .as("the pin suspends the rule")
        .isEqualTo("suspended");
  }

  @Test
  void feedbackForAnAnswerFromOneReplicaCountsOnTheOther() {
    JsonNode answer = predict(a);
    String token = answer.at("/predictions/0/feedbackToken").asText();
    assertThat(token).as(answer.toString()).isNotEmpty();
    String label = answer.at("/predictions/0/label").asText();

    Reply counted = b.client().postJson(FEEDBACK, feedback(token, label), ServiceProcess.APP);

    assertThat(counted.status()).as(counted.body()).isEqualTo(200);
    assertThat(counted.json().get("version").asInt())
        .isEqualTo(answer.at("/model/version").asInt());
    assertThat(counted.json().get("correct").asBoolean()).isTrue();
  }

  @Test
  void aForgedTokenIsRefusedByEitherReplica() {
    String token = predict(b).at("/predictions/0/feedbackToken").asText();
    int dot = token.lastIndexOf('.');
    assertThat(dot).as(token).isPositive();
    // The same claims under another signature (its first character changed, which always changes
    // the bytes): what someone without the key would send.
    char first = token.charAt(dot + 1);
    String forged =
        token.substring(0, dot + 1) + (first == 'A' ? 'B' : 'A') + token.substring(dot + 2);
    for (ServiceProcess replica : List.of(a, b)) {
      Reply refused =
          replica.client().postJson(FEEDBACK, feedback(forged, "Adelie"), ServiceProcess.APP);
      assertThat(refused.status()).as(replica.name() + ": " + refused.body()).isEqualTo(400);
      assertThat(refused.json().get("error").asText()).isEqualTo("invalid_token_signature");
    }
  }

  /**
   * The model's staging directory replaced by a file: every write the store makes for the model
   * fails in the operating system, as on a read-only or full disk, while reads go on.
   */
  @Test
  void aStoreThatRefusesWritesMakesAdminChangesFailWith503OnBothWhileScoringGoesOn()
      throws IOException {
    Path staging = dir.resolve("store/" + MODEL + "/.staging");
    TrainedStore.deleteRecursively(staging);
    Files.writeString(staging, "not a directory: the store cannot stage anything");
    try {
      for (ServiceProcess replica : List.of(a, b)) {
        List<Reply> refused =
            List.of(
                replica.put(ADMIN + "/pin", reason(1, "x"), OPS),
                replica.put(
                    ADMIN + "/routing",
                    "{\"mode\": \"canary\", \"candidate\": \"staging\", \"share\": 1}",
                    OPS),
                replica.put(ADMIN + "/aliases/production", reason(1, "x"), OPS));
        for (Reply reply : refused) {
          assertThat(reply.status()).as(replica.name() + ": " + reply.body()).isEqualTo(503);
          assertThat(reply.json().get("error").asText()).isEqualTo("store_unavailable");
          assertThat(reply.json().get("message").asText()).contains(".staging");
        }
      }
      for (int i = 0; i < 20; i++) {
        assertThat(version(i % 2 == 0 ? a : b)).as("scoring goes on, unchanged").isEqualTo(2);
      }
    } finally {
      Files.delete(staging);
    }
    assertOk(b.put(ADMIN + "/pin", reason(1, "the store is back"), OPS));
    awaitServedByBoth("a pin once the store takes writes again", 1);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Alternates predict requests between the replicas until both answered with {@code version}; the
   * time it took is printed, never asserted.
   */
  private static void awaitServedByBoth(String what, int version) {
    long start = System.nanoTime();
    long deadline = start + PROPAGATION.toNanos();
    boolean onA = false;
    boolean onB = false;
    int turn = 0;
    while (!(onA && onB)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            what
                + ": v"
                + version
                + " not served by both within "
                + PROPAGATION
                + "\n"
                + a.tail()
                + "\n"
                + b.tail());
      }
      ServiceProcess replica = turn++ % 2 == 0 ? a : b;
      boolean served = version(replica) == version;
      if (replica == a) {
        onA = served;
      } else {
        onB = served;
      }
      if (!(onA && onB)) {
        sleep(20);
      }
    }
    System.out.printf(
        "fleet: %s served by both replicas after %d ms%n",
        what, (System.nanoTime() - start) / 1_000_000);
  }

  private static int version(ServiceProcess replica) {
    return predict(replica).at("/model/version").asInt();
  }

  private static JsonNode predict(ServiceProcess replica) {
    Reply reply = replica.client().postJson(PREDICT, body, ServiceProcess.APP);
    assertThat(reply.status()).as(replica.name() + ": " + reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static String feedback(String token, String label) {
    try {
      return ServingServer.JSON.writeValueAsString(Map.of("token", token, "label", label));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HistoryEvent last(HistoryEvent.Action action) {
    return store.history(MODEL).stream()
        .filter(e -> e.action() == action)
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no " + action + " event"));
  }

  private static String reason(int version, String why) {
    try {
      return ServingServer.JSON.writeValueAsString(Map.of("version", version, "reason", why));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertOk(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
