package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.config.AuthSection;
import io.mlplatform.serving.config.RoutingRule;
import io.mlplatform.serving.config.RoutingSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.FakeLoader;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.HistoryEvent.Action;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runtime state that every replica sees: two apps over one store (replicas in one JVM, polled by
 * hand), admin changes made through one and applied by the other's next poll, recorded in the
 * history under the caller's key name; a store that cannot be written refuses every change with 503
 * and nothing changes anywhere.
 */
class FleetStateTest {

  private static final String VALID =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";
  private static final String[] OPS = {"Authorization", "Bearer " + AuthTest.OPS};
  private static final String PIN = "/v1/admin/models/penguins/pin";
  private static final String ROUTING = "/v1/admin/models/penguins/routing";
  private static final String PRODUCTION = "/v1/admin/models/penguins/aliases/production";

  @TempDir Path dir;
  private ModelStore store;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Replica a;
  private Replica b;

  /** One replica: its own registry and app, polled by hand (polling is off in these tests). */
  private record Replica(ModelRegistry registry, HttpFixture http) {
    void poll() {
      registry.refresh();
    }
  }

  @BeforeEach
  void setUp() {
    store = ModelStore.open(dir.resolve("store").toString());
    for (int i = 0; i < 3; i++) {
      Fixtures.publishClassifier(store, "penguins", dir);
    }
    // Routing candidates must be loaded: a replica loads alias targets.
    store.setAlias("penguins", "staging", 2, "candidate");
    a = replica(Map.of());
    b = replica(Map.of());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void aPinMadeThroughOneReplicaIsServedByTheOtherAfterItsPollAndRecordedWithTheKeyName() {
    Reply pinned = put(a, PIN, "{\"version\": 1, \"reason\": \"v3 misbehaves\"}");

    assertThat(pinned.status()).as(pinned.body()).isEqualTo(200);
    assertThat(version(a)).as("the writer applies its own change at once").isEqualTo(1);
    assertThat(version(b)).as("before its poll").isEqualTo(3);
    b.poll();
    assertThat(version(b)).isEqualTo(1);

    Reply unpinned = delete(b, PIN + "?reason=fixed");
    assertThat(unpinned.status()).as(unpinned.body()).isEqualTo(200);
    assertThat(version(b)).isEqualTo(3);
    a.poll();
    assertThat(version(a)).isEqualTo(3);

    HistoryEvent pin = event(Action.PIN);
    assertThat(pin.by()).isEqualTo("ops");
    assertThat(pin.to()).isEqualTo(1);
    assertThat(pin.reason()).isEqualTo("v3 misbehaves");
    HistoryEvent unpin = event(Action.UNPIN);
    assertThat(unpin.from()).isEqualTo(1);
    assertThat(unpin.reason()).isEqualTo("fixed");
  }

  @Test
  void aRoutingRuleMadeThroughOneReplicaReplacesTheOthersConfigRuleAndItsRemovalToo() {
    b = replica(Map.of("penguins", new RoutingRule(RoutingRule.Mode.SHADOW, "2", 1, 0.01)));
    assertThat(routing(b).get("source").asText()).isEqualTo("config");

    Reply set = put(a, ROUTING, "{\"mode\": \"canary\", \"candidate\": \"staging\", \"share\": 1}");

    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().get("source").asText()).isEqualTo("store");
    assertThat(set.json().get("by").asText()).isEqualTo("ops");
    assertThat(version(a)).isEqualTo(2);
    b.poll();
    JsonNode onB = routing(b);
    assertThat(onB.get("source").asText()).isEqualTo("store");
    assertThat(onB.at("/rule/mode").asText()).isEqualTo("canary");
    assertThat(version(b)).isEqualTo(2);

    assertThat(delete(a, ROUTING).json().get("state").asText()).isEqualTo("off");
    b.poll();
    assertThat(routing(b).get("state").asText())
        .as("an explicit 'no rule' in the store overrides the config file's rule")
        .isEqualTo("off");
    assertThat(version(b)).isEqualTo(3);
    assertThat(event(Action.ROUTING_SET).rule().mode()).isEqualTo("canary");
    assertThat(event(Action.ROUTING_REMOVED).by()).isEqualTo("ops");
  }

  @Test
  void anAliasMovedThroughOneReplicaIsServedByBoth() {
    Reply moved = put(a, PRODUCTION, "{\"version\": 2, \"reason\": \"roll forward\"}");

    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(moved.json().get("from").isNull()).isTrue();
    assertThat(moved.json().get("to").asInt()).isEqualTo(2);
    assertThat(version(a)).isEqualTo(2);
    b.poll();
    assertThat(version(b)).isEqualTo(2);
    assertThat(store.alias("penguins", "production")).contains(2);
    HistoryEvent promote = event(Action.PROMOTE);
    assertThat(promote.by()).isEqualTo("ops");
    assertThat(promote.reason()).isEqualTo("roll forward");
  }

  @Test
  void aReplicaStartedLaterComesUpWithTheFleetsState() {
    assertThat(put(a, PIN, "{\"version\": 2}").status()).isEqualTo(200);
    assertThat(put(a, ROUTING, "{\"mode\": \"shadow\", \"candidate\": \"staging\"}").status())
        .isEqualTo(200);

    Replica late = replica(Map.of());

    assertThat(version(late)).isEqualTo(2);
    JsonNode routing = routing(late);
    assertThat(routing.get("source").asText()).isEqualTo("store");
    assertThat(routing.get("state").asText())
        .as("the pin suspends the rule")
        .isEqualTo("suspended");
  }

  @Test
  void withAuthOffTheHistoryRecordsAnonymous() {
    ServingConfig open = Fixtures.fakeConfig().withAuth(new AuthSection(false, List.of()));
    Replica noAuth = replica(open);

    assertThat(put(noAuth, PIN, "{\"version\": 1}").status()).isEqualTo(200);

    assertThat(event(Action.PIN).by()).isEqualTo("anonymous");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/pin | {\"version\": \"1\"} | version",
        "/pin | {\"version\": 0} | version",
        "/pin | {\"version\": 1, \"reason\": 7} | reason",
        "/aliases/production | {\"version\": 2} | reason",
        "/aliases/production | {\"version\": -2, \"reason\": \"x\"} | version",
        "/aliases/production | {\"version\": 2, \"reason\": \" \"} | reason",
        "/aliases/v3 | {\"version\": 2, \"reason\": \"x\"} | alias",
        "/routing | {\"mode\": \"canary\", \"candidate\": 2, \"share\": 1, \"reason\": 3} | reason",
        "/routing | {\"mode\": \"canary\", \"candidate\": 2} | share",
      })
  void aBadBodyIsA400NamingTheFieldAndWritesNothing(String path, String body, String field) {
    Reply reply = put(a, "/v1/admin/models/penguins" + path, body);

    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().get("error").asText()).isEqualTo("invalid_request");
    assertThat(reply.json().at("/details/0/field").asText()).isEqualTo(field);
    assertThat(store.runtime("penguins").pin()).isNull();
    assertThat(store.runtime("penguins").routing()).isNull();
    assertThat(store.alias("penguins", "production")).isEmpty();
  }

  @Test
  void aVersionThisReplicaRefusedIsA409BeforeAnythingIsWritten() {
    FakeLoader refusing = new FakeLoader();
    refusing.refuse.add("penguins v1");
    Replica strict =
        replica(Fixtures.fakeConfig().withAuth(new AuthSection(true, AuthTest.keys())), refusing);

    // The pin loads v1 and records its refusal; the alias move then knows it without loading.
    Reply pin = put(strict, PIN, "{\"version\": 1}");
    Reply alias = put(strict, PRODUCTION, "{\"version\": 1, \"reason\": \"x\"}");

    for (Reply reply : List.of(pin, alias)) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(409);
      assertThat(reply.json().get("error").asText()).isEqualTo("version_refused");
    }
    assertThat(store.runtime("penguins").pin()).isNull();
    assertThat(store.alias("penguins", "production")).isEmpty();
  }

  @Test
  void aVersionTheStoreLacksIsA404AndWritesNothing() {
    assertThat(put(a, PRODUCTION, "{\"version\": 9, \"reason\": \"x\"}").status()).isEqualTo(404);
    assertThat(put(a, PIN, "{\"version\": 9}").status()).isEqualTo(404);
    assertThat(store.history("penguins"))
        .allMatch(e -> e.action() == Action.PUBLISH || e.by().equals(store.user()));
  }

  /**
   * The model's staging directory replaced by a file: every write the store makes for the model
   * fails in the operating system (as on a read-only or full disk), while reads go on.
   */
  @Test
  void aStoreThatCannotBeWrittenAnswers503AndNothingChangesOnAnyReplica() throws IOException {
    Path staging = dir.resolve("store/penguins/.staging");
    deleteTree(staging);
    Files.writeString(staging, "not a directory");

    for (Replica replica : List.of(a, b)) {
      for (Reply reply :
          List.of(
              put(replica, PIN, "{\"version\": 1}"),
              put(
                  replica,
                  ROUTING,
                  "{\"mode\": \"canary\", \"candidate\": \"staging\", \"share\": 1}"),
              delete(replica, ROUTING),
              put(replica, PRODUCTION, "{\"version\": 1, \"reason\": \"x\"}"))) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.json().get("error").asText()).isEqualTo("store_unavailable");
        assertThat(reply.json().get("message").asText())
            .contains("cannot write the change to the model store", ".staging");
      }
      replica.poll();
      assertThat(version(replica)).as("scoring goes on, unchanged").isEqualTo(3);
      assertThat(routing(replica).get("state").asText()).isEqualTo("off");
    }
    assertThat(store.runtime("penguins").pin()).isNull();
    assertThat(store.alias("penguins", "production")).isEmpty();
  }

  @Test
  void aMalformedRoutingDocumentIsIgnoredAndThePollGoesOn() throws IOException {
    Path runtime = Files.createDirectories(dir.resolve("store/penguins/runtime"));
    Files.writeString(runtime.resolve("routing.json"), "{\"rule\": {\"mode\": ");
    Files.writeString(runtime.resolve("pin.json"), "{\"version\": 2}");

    b.poll();

    assertThat(version(b)).as("the readable pin still applies").isEqualTo(2);
    assertThat(routing(b).get("state").asText()).isEqualTo("off");
  }

  // ---------------------------------------------------------------------------------------------

  private Replica replica(Map<String, RoutingRule> rules) {
    ServingConfig config =
        Fixtures.fakeConfig()
            .withAuth(new AuthSection(true, AuthTest.keys()))
            .withRouting(new RoutingSection(rules, 1, 10));
    return replica(config);
  }

  private Replica replica(ServingConfig config) {
    return replica(config, new FakeLoader());
  }

  private Replica replica(ServingConfig config, FakeLoader loader) {
    ModelRegistry registry = Fixtures.registry(store, loader, config, ModelEvents.NONE);
    registry.refresh();
    open.add(registry);
    HttpFixture http = new HttpFixture(config, registry);
    open.add(http);
    return new Replica(registry, http);
  }

  private HistoryEvent event(Action action) {
    return store.history("penguins").stream()
        .filter(e -> e.action() == action)
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no " + action + " event"));
  }

  private static int version(Replica replica) {
    Reply reply =
        replica
            .http()
            .send(
                HttpRequest.newBuilder(replica.http().uri("/v1/models/penguins:predict"))
                    .header("Content-Type", "application/json")
                    .headers(OPS)
                    .POST(HttpRequest.BodyPublishers.ofString(VALID))
                    .build());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().at("/model/version").asInt();
  }

  private static JsonNode routing(Replica replica) {
    return replica.http().get(ROUTING, OPS).json();
  }

  private static Reply put(Replica replica, String path, String body) {
    return replica
        .http()
        .send(
            HttpRequest.newBuilder(replica.http().uri(path))
                .header("Content-Type", "application/json")
                .headers(OPS)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
  }

  private static Reply delete(Replica replica, String path) {
    return replica
        .http()
        .send(HttpRequest.newBuilder(replica.http().uri(path)).headers(OPS).DELETE().build());
  }

  private static void deleteTree(Path path) throws IOException {
    if (Files.exists(path)) {
      try (var files = Files.walk(path)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
