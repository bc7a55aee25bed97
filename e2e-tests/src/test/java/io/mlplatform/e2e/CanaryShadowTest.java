package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.serving.Service;
import io.mlplatform.serving.config.RoutingRule;
import io.mlplatform.serving.config.RoutingSection;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary and shadow between two really different trained models of one name: v1 is the trained
 * logistic regression (alias {@code staging}), v2 the trained decision tree serving the default
 * route. The inputs are both models' held-out reference rows, on which the two disagree now and
 * then.
 */
class CanaryShadowTest {

  private static final String PREDICT = "/v1/models/penguins:predict";
  private static final String ROUTING = "/v1/admin/models/penguins/routing";
  @TempDir Path dir;
  private Service service;
  private ServiceClient client;
  private final List<String> bodies = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    ModelStore trained = ModelStore.open(TrainedStore.trained().toString());
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    StoreCopies.copy(trained, "penguins", store, "penguins", dir);
    StoreCopies.copy(trained, "species-dt", store, "penguins", dir);
    store.setAlias("penguins", "staging", 1, "candidate");
    for (String model : List.of("penguins", "species-dt")) {
      int version = trained.latestVersion(model).orElseThrow();
      for (ReferenceRow row : trained.referenceRows(model, version)) {
        bodies.add(
            ServingServer.JSON.writeValueAsString(Map.of("instances", List.of(row.input()))));
      }
    }
    // The shadow rule comes from the config, as an operator would start it.
    service =
        StoreCopies.serve(
            store,
            new MleapModelLoader(BundleArchive.withDefaultLimits()),
            c ->
                c.withRouting(
                    new RoutingSection(
                        Map.of(
                            "penguins",
                            new RoutingRule(RoutingRule.Mode.SHADOW, "staging", 1.0, 0.01)),
                        1,
                        1000)));
    client = new ServiceClient(service.port());
  }

  @AfterEach
  void stop() {
    service.shutdown();
  }

  @Test
  void shadowLeavesEveryAnswerAsItIsAndCountsTheRealDisagreements() throws InterruptedException {
    List<String> shadowed = answers(PREDICT);
    JsonNode view = awaitShadowRows(bodies.size());
    client.send(client.request(ROUTING).DELETE().build());
    List<String> unrouted = answers(PREDICT);

    assertThat(shadowed).isEqualTo(unrouted);
    assertThat(shadowed).allSatisfy(body -> assertThat(body).contains("\"version\":2"));
    // What agreement should be, from each version's own answers on its version route.
    List<String> tree = labels(answers("/v1/models/penguins/versions/2:predict"));
    List<String> logistic = labels(answers("/v1/models/penguins/versions/1:predict"));
    long agreeing = 0;
    for (int i = 0; i < tree.size(); i++) {
      agreeing += tree.get(i).equals(logistic.get(i)) ? 1 : 0;
    }
    assertThat(agreeing).as("the two models should disagree somewhere").isLessThan(bodies.size());
    assertThat(view.at("/shadow/rows").asLong()).isEqualTo(bodies.size());
    assertThat(view.at("/shadow/agreedRows").asLong()).isEqualTo(agreeing);
    assertThat(view.at("/shadow/dropped").asLong()).isZero();
    assertThat(view.at("/candidate/version").asInt()).isEqualTo(1);
    assertThat(view.at("/candidate/requests").asLong()).isEqualTo(bodies.size());
    assertThat(view.at("/primary/meanMillis").asDouble()).isPositive();
    assertThat(view.at("/candidate/meanMillis").asDouble()).isPositive();
    String metrics = client.get("/metrics").body();
    assertThat(metrics)
        .contains(
            "mlp_shadow_rows_total{candidate=\"1\",model=\"penguins\",primary=\"2\","
                + "result=\"disagree\"} "
                + (bodies.size() - agreeing)
                + ".0");
  }

  @Test
  void canaryAnswersItsShareAndEachAnswerIsThatVersionsOwn() {
    Reply put =
        client.send(
            client
                .request(ROUTING)
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"mode\": \"canary\", \"candidate\": 1, \"share\": 0.3}"))
                .build());
    assertThat(put.status()).isEqualTo(200);
    List<String> tree = answers("/v1/models/penguins/versions/2:predict");
    List<String> logistic = answers("/v1/models/penguins/versions/1:predict");

    int n = 1500;
    int byCandidate = 0;
    for (int i = 0; i < n; i++) {
      Reply reply = client.postJson(PREDICT, bodies.get(i % bodies.size()));
      assertThat(reply.status()).isEqualTo(200);
      int version = reply.json().at("/model/version").asInt();
      byCandidate += version == 1 ? 1 : 0;
      assertThat(reply.body()).isEqualTo((version == 1 ? logistic : tree).get(i % bodies.size()));
    }

    double sigma = Math.sqrt(n * 0.3 * 0.7);
    assertThat((double) byCandidate).isBetween(n * 0.3 - 5 * sigma, n * 0.3 + 5 * sigma);
    JsonNode view = client.get(ROUTING).json();
    assertThat(view.at("/candidate/requests").asLong()).isEqualTo(byCandidate);
    assertThat(view.at("/primary/requests").asLong()).isEqualTo(n - byCandidate);
  }

  private List<String> answers(String path) {
    List<String> answers = new ArrayList<>();
    for (String body : bodies) {
      Reply reply = client.postJson(path, body);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      answers.add(reply.body());
    }
    return answers;
  }

  private static List<String> labels(List<String> answers) {
    List<String> labels = new ArrayList<>();
    for (String answer : answers) {
      try {
        labels.add(ServingServer.JSON.readTree(answer).at("/predictions/0/label").asText());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return labels;
  }

  private JsonNode awaitShadowRows(long rows) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      JsonNode view = client.get(ROUTING).json();
      if (view.at("/shadow/rows").asLong() + view.at("/shadow/failed").asLong() >= rows
          || System.nanoTime() > deadline) {
        return view;
      }
      Thread.sleep(20);
    }
  }
}
