package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.config.RoutingRule;
import io.mlplatform.serving.config.RoutingSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Canary and shadow on a real server scoring the real fixture bundle as two versions: v2 serves the
 * default route, v1 (alias {@code staging}) is the candidate. v1's scorer can be made stuck, broken
 * or contrary after it loaded (it must pass the self-test first), to show what the primary's
 * callers never see.
 */
class RoutingTest {

  private static final String PREDICT = "/v1/models/penguins:predict";
  private static final String ROUTING = "/v1/admin/models/penguins/routing";

  /**
   * What the candidate's scorer does once loaded; STUCK waits until the test ends (at most 5 s).
   */
  enum Behaviour {
    NORMAL,
    STUCK,
    FAILING,
    CONTRARY
  }

  @TempDir Path dir;
  private volatile Behaviour candidate = Behaviour.NORMAL;
  private final CountDownLatch testOver = new CountDownLatch(1);
  private ModelStore store;
  private ModelRegistry registry;
  private ServingMetrics metrics;
  private HttpFixture server;
  private List<String> inputs;

  @BeforeEach
  void publishTwoVersions() {
    store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    Fixtures.publishClassifier(store, "penguins", dir);
    store.setAlias("penguins", "staging", 1, "candidate under test");
    inputs = new ArrayList<>();
    for (ReferenceRow row : Fixtures.classifierReferenceRows()) {
      inputs.add(json(Map.of("instances", List.of(row.input()))));
    }
  }

  @AfterEach
  void stop() {
    testOver.countDown();
    if (server != null) {
      server.close();
      registry.close();
    }
  }

  @Test
  void canaryFromTheConfigAnswersItsShareWithinFiveSigma() {
    start(
        Map.of("penguins", new RoutingRule(RoutingRule.Mode.CANARY, "staging", 0.2, 0.01)), 1, 100);
    int n = 2000;
    int candidateAnswers = 0;
    for (int i = 0; i < n; i++) {
      Reply reply = server.postJson(PREDICT, inputs.get(i % inputs.size()));
      assertThat(reply.status()).isEqualTo(200);
      int version = reply.json().at("/model/version").asInt();
      assertThat(version).isIn(1, 2);
      candidateAnswers += version == 1 ? 1 : 0;
    }

    double sigma = Math.sqrt(n * 0.2 * 0.8); // ~17.9 requests
    assertThat((double) candidateAnswers).isBetween(n * 0.2 - 5 * sigma, n * 0.2 + 5 * sigma);
    JsonNode view = server.get(ROUTING).json();
    assertThat(view.get("state").asText()).isEqualTo("active");
    assertThat(view.get("source").asText()).isEqualTo("config");
    assertThat(view.at("/candidate/version").asInt()).isEqualTo(1);
    assertThat(view.at("/candidate/requests").asLong()).isEqualTo(candidateAnswers);
    assertThat(view.at("/primary/version").asInt()).isEqualTo(2);
    assertThat(view.at("/primary/requests").asLong()).isEqualTo(n - candidateAnswers);
    assertThat(metric("mlp_routing_requests_total", "version=\"1\"", "role=\"candidate\""))
        .isEqualTo(candidateAnswers);
    assertThat(metric("mlp_routing_latency_seconds_count", "version=\"2\"", "role=\"primary\""))
        .isEqualTo(n - candidateAnswers);
  }

  @Test
  void shadowAnswersAreByteIdenticalToUnroutedOnesAndAgreementIsMeasured() {
    start(Map.of(), 1, 1000);
    List<String> unrouted = answers();

    candidate = Behaviour.CONTRARY;
    Reply put = put("{\"mode\": \"shadow\", \"candidate\": \"staging\"}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().at("/rule/share").asDouble()).isEqualTo(1.0);
    List<String> shadowed = answers();

    assertThat(shadowed).isEqualTo(unrouted);
    JsonNode view = awaitShadowRows(inputs.size());
    assertThat(view.at("/shadow/submitted").asLong()).isEqualTo(inputs.size());
    assertThat(view.at("/shadow/agreedRows").asLong())
        .isZero(); // CONTRARY never predicts what v2 does
    assertThat(view.at("/shadow/agreement").asDouble()).isZero();
    assertThat(view.at("/candidate/requests").asLong()).isEqualTo(inputs.size());
    assertThat(view.at("/primary/requests").asLong()).isEqualTo(inputs.size());
    assertThat(
            metric(
                "mlp_shadow_rows_total", "primary=\"2\"", "candidate=\"1\"", "result=\"disagree\""))
        .isEqualTo(inputs.size());
    assertThat(metric("mlp_routing_latency_seconds_count", "version=\"1\"", "role=\"candidate\""))
        .isEqualTo(inputs.size());

    candidate = Behaviour.NORMAL;
    assertThat(put("{\"mode\": \"shadow\", \"candidate\": 1}").status())
        .isEqualTo(200); // counters restart
    assertThat(answers()).isEqualTo(unrouted);
    assertThat(awaitShadowRows(inputs.size()).at("/shadow/agreement").asDouble()).isEqualTo(1.0);
  }

  @ParameterizedTest
  @EnumSource(
      value = Behaviour.class,
      names = {"STUCK", "FAILING"})
  void aStuckOrFailingShadowCandidateNeverDelaysOrFailsAResponse(Behaviour behaviour) {
    start(Map.of(), 1, 2);
    List<String> unrouted = answers();
    candidate = behaviour;
    put("{\"mode\": \"shadow\", \"candidate\": \"staging\"}");

    List<String> shadowed = new ArrayList<>();
    long slowest = 0;
    for (String input : inputs) {
      long start = System.nanoTime();
      Reply reply = server.postJson(PREDICT, input);
      slowest = Math.max(slowest, System.nanoTime() - start);
      assertThat(reply.status()).isEqualTo(200);
      shadowed.add(reply.body());
    }

    assertThat(shadowed).isEqualTo(unrouted);
    // The stuck candidate holds its copy for 5 s; one response waiting for it would show.
    assertThat(slowest / 1e6).isLessThan(2000);
    JsonNode shadow = server.get(ROUTING).json().get("shadow");
    assertThat(shadow.get("submitted").asLong()).isEqualTo(inputs.size());
    if (behaviour == Behaviour.STUCK) {
      // One copy on the one shadow thread, two queued: the other 17 are dropped.
      assertThat(shadow.get("dropped").asLong()).isEqualTo(inputs.size() - 3);
      assertThat(metric("mlp_routing_skipped_total", "reason=\"shadow_dropped\""))
          .isEqualTo(shadow.get("dropped").asLong());
    } else {
      awaitShadow(s -> s.get("failed").asLong() + s.get("dropped").asLong() == inputs.size());
      assertThat(server.get(ROUTING).json().at("/shadow/failed").asLong()).isPositive();
      assertThat(server.get(ROUTING).json().at("/shadow/rows").asLong()).isZero();
    }
  }

  @Test
  void queuedShadowCopiesAreBoundedByRowsNotOnlyByCopies() {
    start(Map.of(), 1, 1000);
    candidate = Behaviour.STUCK;
    put("{\"mode\": \"shadow\", \"candidate\": \"staging\"}");
    List<Object> instances = new ArrayList<>();
    List<ReferenceRow> rows = Fixtures.classifierReferenceRows();
    for (int i = 0; i < 1000; i++) {
      instances.add(rows.get(i % rows.size()).input());
    }
    String batch = json(Map.of("instances", instances));

    for (int i = 0; i < 12; i++) {
      assertThat(server.postJson(PREDICT, batch).status()).isEqualTo(200);
    }

    // 12,000 rows against a cap of 10,000 rows (not copies: 1000 may wait) while the first is
    // stuck.
    JsonNode shadow = server.get(ROUTING).json().get("shadow");
    assertThat(shadow.get("submitted").asLong()).isEqualTo(12);
    assertThat(shadow.get("dropped").asLong()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                                        | mode",
        "{\"mode\": \"blue\", \"candidate\": \"staging\"}          | mode",
        "{\"mode\": \"canary\", \"candidate\": \"staging\"}        | share",
        "{\"mode\": \"canary\", \"candidate\": \"staging\", \"share\": 0} | share",
        "{\"mode\": \"canary\", \"candidate\": \"staging\", \"share\": \"lots\"} | share",
        "{\"mode\": \"shadow\", \"candidate\": \"../etc\"}         | candidate",
        "{\"mode\": \"shadow\", \"candidate\": 0}                  | candidate",
        "{\"mode\": \"shadow\", \"candidate\": 1, \"tolerance\": -1} | tolerance",
        "{\"mode\": \"shadow\", \"candidate\": 1, \"colour\": 1}   | colour",
        "[1]                                                       | ''",
      })
  void refusesABadRuleNamingTheFieldAndChangesNothing(String body, String field) {
    start(Map.of(), 1, 10);

    Reply reply = put(body);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").asText()).isEqualTo("invalid_request");
    List<String> fields = new ArrayList<>();
    reply.json().get("details").forEach(d -> fields.add(d.path("field").asText()));
    assertThat(fields).contains(field);
    assertThat(server.get(ROUTING).json().get("state").asText()).isEqualTo("off");
  }

  @Test
  void aCandidateThatCannotServeIsRefusedLikeThePredictRoutesRefuseIt() {
    start(Map.of(), 1, 10);

    Reply noAlias = put("{\"mode\": \"canary\", \"candidate\": \"nightly\", \"share\": 0.5}");
    Reply noVersion = put("{\"mode\": \"canary\", \"candidate\": \"v7\", \"share\": 0.5}");
    Reply noModel =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/admin/models/nope/routing"))
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString("{\"mode\": \"shadow\", \"candidate\": 1}"))
                .build());

    assertThat(noAlias.status()).isEqualTo(404);
    assertThat(noAlias.json().get("error").asText()).isEqualTo("alias_not_found");
    assertThat(noAlias.json().get("message").asText()).contains("staging");
    assertThat(noVersion.status()).isEqualTo(404);
    assertThat(noVersion.json().get("error").asText()).isEqualTo("version_not_found");
    assertThat(noModel.status()).isEqualTo(404);
    assertThat(server.get(ROUTING).json().get("state").asText()).isEqualTo("off");
  }

  @Test
  void aCanaryWhoseCandidateGoesAwayLeavesEveryRequestToThePrimary() {
    start(
        Map.of("penguins", new RoutingRule(RoutingRule.Mode.CANARY, "nightly", 1.0, 0.01)), 1, 10);

    for (int i = 0; i < 5; i++) {
      Reply reply = server.postJson(PREDICT, inputs.get(i));
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().at("/model/version").asInt()).isEqualTo(2);
    }

    JsonNode view = server.get(ROUTING).json();
    assertThat(view.get("state").asText()).isEqualTo("candidate_unavailable");
    assertThat(view.get("reason").asText()).contains("no alias 'nightly'");
    assertThat(view.at("/candidate/unavailable").asLong()).isEqualTo(5);
    assertThat(view.at("/primary/requests").asLong()).isEqualTo(5);
    assertThat(metric("mlp_routing_skipped_total", "reason=\"candidate_unavailable\""))
        .isEqualTo(5);
  }

  @Test
  void rulesChangeAtRuntimeAndAPinSuspendsThem() {
    start(Map.of(), 1, 10);
    assertThat(versionAnswering()).isEqualTo(2);

    assertThat(
            put("{\"mode\": \"canary\", \"candidate\": \"staging\", \"share\": 1}")
                .json()
                .get("state")
                .asText())
        .isEqualTo("active");
    assertThat(versionAnswering()).isEqualTo(1);
    // Naming a version or alias is never routed.
    assertThat(
            server
                .postJson("/v1/models/penguins/versions/2:predict", inputs.get(0))
                .json()
                .at("/model/version")
                .asInt())
        .isEqualTo(2);

    Reply pin =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/admin/models/penguins/pin"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": 2}"))
                .build());
    assertThat(pin.status()).isEqualTo(200);
    assertThat(versionAnswering()).isEqualTo(2);
    JsonNode suspended = server.get(ROUTING).json();
    assertThat(suspended.get("state").asText()).isEqualTo("suspended");
    assertThat(suspended.get("reason").asText()).contains("pinned to v2");
    assertThat(suspended.get("suspendedRequests").asLong()).isEqualTo(1);

    server.send(
        HttpRequest.newBuilder(server.uri("/v1/admin/models/penguins/pin")).DELETE().build());
    assertThat(versionAnswering()).isEqualTo(1);

    Reply delete = server.send(HttpRequest.newBuilder(server.uri(ROUTING)).DELETE().build());
    assertThat(delete.status()).isEqualTo(200);
    assertThat(delete.json().get("state").asText()).isEqualTo("off");
    assertThat(versionAnswering()).isEqualTo(2);
  }

  private void start(Map<String, RoutingRule> rules, int threads, int queue) {
    ServingConfig config = Fixtures.config().withRouting(new RoutingSection(rules, threads, queue));
    metrics = new ServingMetrics();
    MleapModelLoader mleap = Fixtures.mleap();
    registry =
        new ModelRegistry(
            store,
            (manifest, bundle) -> {
              ScoringModel real = mleap.load(manifest, bundle);
              return manifest.version() == 1 ? new Scripted(real) : real;
            },
            config.models(),
            config.fallback(),
            metrics);
    registry.loadAll();
    server =
        new HttpFixture(
            ServingApp.create(config, registry, metrics, new AccessLog(0, line -> {}), new Drain())
                .start());
  }

  /** The candidate's scorer: the real bundle, then what {@link #candidate} says. */
  private final class Scripted implements ScoringModel {
    private final ScoringModel real;

    Scripted(ScoringModel real) {
      this.real = real;
    }

    @Override
    public List<Score> score(List<Object[]> rows) {
      List<Score> scores = real.score(rows);
      switch (candidate) {
        case STUCK -> await();
        case FAILING -> throw new IllegalStateException("candidate is broken");
        case CONTRARY -> {
          return scores.stream()
              .map(s -> new Score((s.prediction() + 1) % 3, s.probabilities()))
              .toList();
        }
        default -> {}
      }
      return scores;
    }

    @Override
    public void close() {
      real.close();
    }
  }

  private List<String> answers() {
    List<String> bodies = new ArrayList<>();
    for (String input : inputs) {
      Reply reply = server.postJson(PREDICT, input);
      assertThat(reply.status()).isEqualTo(200);
      bodies.add(reply.body());
    }
    return bodies;
  }

  private int versionAnswering() {
    return server.postJson(PREDICT, inputs.get(0)).json().at("/model/version").asInt();
  }

  private Reply put(String body) {
    return server.send(
        HttpRequest.newBuilder(server.uri(ROUTING))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private JsonNode awaitShadowRows(long rows) {
    return awaitShadow(s -> s.get("rows").asLong() >= rows);
  }

  private JsonNode awaitShadow(java.util.function.Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      JsonNode view = server.get(ROUTING).json();
      if (done.test(view.get("shadow"))) {
        return view;
      }
      assertThat(System.nanoTime())
          .as("shadow copies still pending: %s", view)
          .isLessThan(deadline);
      sleep(20);
    }
  }

  /**
   * The value of the series of {@code name} that has every one of {@code labels}, 0 when absent.
   */
  private double metric(String name, String... labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      metrics.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher m =
        Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$")
            .matcher(out.toString(StandardCharsets.UTF_8));
    while (m.find()) {
      List<String> present = List.of(m.group(1).split(","));
      if (present.containsAll(List.of(labels))) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0;
  }

  private static String json(Object value) {
    try {
      return HttpFixture.JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void await() {
    try {
      testOver.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
