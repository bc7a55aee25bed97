package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.SlowRequest;
import io.mlplatform.serving.config.LimitsSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload and slowness: past the concurrency limit a request gets a fast 503 with Retry-After
 * while probes keep answering; a request scored on a model's scoring threads that outlives the
 * timeout gets 503 instead of waiting, and one scored inline gets 503 once its model returns; a
 * slow upload holds no permit.
 */
class LimitsTest {

  private static final String VALID =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";
  // The model sleeps on this beak length, which no reference row has.
  private static final String SLOW =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 4242}]}";
  // Two instances: above the inline threshold of this server, so scored on a scoring thread.
  private static final String SLOW_PAIR =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 4242},"
          + " {\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";
  @TempDir static Path dir;
  private static ModelRegistry registry;
  private static HttpFixture server;
  private static final ServingMetrics metrics = new ServingMetrics();
  private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();
  // The thread that last scored a slow instance: which path a request took.
  private static volatile String slowScoredOn = "";

  @BeforeAll
  static void start() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    Fixtures.publishClassifier(store, "other", dir);
    ServingConfig config =
        Fixtures.config()
            .withLimits(new LimitsSection(10, 100_000, Duration.ofMillis(1000), 2, 2, 1));
    registry = Fixtures.registry(store, sleepy(Fixtures.mleap()), config, ModelEvents.NONE);
    registry.refresh();
    server =
        new HttpFixture(
            ServingApp.create(config, registry, metrics, new AccessLog(1, line -> {}), new Drain())
                .start());
  }

  @AfterAll
  static void stop() {
    server.close();
    registry.close();
    CLIENTS.shutdownNow();
  }

  @Test
  void pastTheConcurrencyLimitRequestsGetAFast503AndProbesStillAnswer() {
    // Two models each busy with one slow request (each model may use half the limit) fill it.
    CompletableFuture<Reply> first =
        CompletableFuture.supplyAsync(
            () -> server.postJson("/v1/models/penguins:predict", SLOW), CLIENTS);
    CompletableFuture<Reply> second =
        CompletableFuture.supplyAsync(
            () -> server.postJson("/v1/models/other:predict", SLOW), CLIENTS);
    awaitInFlight(2);

    long start = System.nanoTime();
    Reply rejected = server.postJson("/v1/models/penguins:predict", VALID);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(rejected.status()).isEqualTo(503);
    assertThat(rejected.json().get("error").asText()).isEqualTo("overloaded");
    assertThat(rejected.header("Retry-After")).isEqualTo("1");
    assertThat(millis).isLessThan(500);
    assertThat(server.get("/health/live").status()).isEqualTo(200);
    assertThat(server.get("/health/ready").status()).isEqualTo(200);
    assertThat(first.join().status()).isEqualTo(503);
    assertThat(second.join().status()).isEqualTo(503);
    assertThat(server.postJson("/v1/models/penguins:predict", VALID).status()).isEqualTo(200);
  }

  @Test
  void slowUploadsHoldNoPermit() {
    List<SlowRequest> holding = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        holding.add(SlowRequest.start(server.port(), "/v1/models/penguins:predict", VALID));
      }
      sleep(200);
      assertThat(server.postJson("/v1/models/penguins:predict", VALID).status()).isEqualTo(200);
      for (SlowRequest request : holding) {
        assertThat(SlowRequest.status(request.finish())).isEqualTo(200);
      }
    } finally {
      holding.forEach(SlowRequest::close);
    }
  }

  @Test
  void aRequestPastItsTimeoutIsAnswered503WithoutWaitingForTheModel() {
    long start = System.nanoTime();
    Reply reply = server.postJson("/v1/models/penguins:predict", SLOW_PAIR);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.json().get("error").asText()).isEqualTo("timeout");
    assertThat(reply.header("Retry-After")).isEqualTo("1");
    assertThat(millis).isBetween(950L, 1900L);
    assertThat(slowScoredOn).startsWith("scoring-penguins-");
    assertThat(server.postJson("/v1/models/penguins:predict", VALID).status()).isEqualTo(200);
  }

  @Test
  void aRequestScoredInlinePastItsTimeoutIsAnswered503OnceTheModelReturns() {
    // One instance: scored on the request thread, which cannot leave the model before it returns
    // (2 s), but the deadline (1 s) is checked before answering.
    Reply reply = server.postJson("/v1/models/penguins:predict", SLOW);

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.json().get("error").asText()).isEqualTo("timeout");
    assertThat(reply.header("Retry-After")).isEqualTo("1");
    assertThat(slowScoredOn).startsWith("http");
    assertThat(server.get("/metrics").body())
        .contains("mlp_http_rejected_total{reason=\"timeout\"}");
    assertThat(server.postJson("/v1/models/penguins:predict", VALID).status()).isEqualTo(200);
  }

  private static void awaitInFlight(int n) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      Reply scrape = server.get("/metrics");
      if (scrape.body().contains("mlp_http_in_flight_requests " + n + ".0")) {
        return;
      }
      sleep(20);
    }
    throw new AssertionError("the slow requests never reached the server");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The real model, which takes 2 s for the beak length 4242. */
  private static ScoringModelLoader sleepy(ScoringModelLoader real) {
    return (manifest, zip) -> {
      ScoringModel model = real.load(manifest, zip);
      return new ScoringModel() {
        @Override
        public List<Score> score(List<Object[]> rows) {
          if (rows.stream().anyMatch(r -> Double.valueOf(4242).equals(r[1]))) {
            slowScoredOn = Thread.currentThread().getName();
            sleep(2000);
          }
          return model.score(rows);
        }

        @Override
        public void close() {
          model.close();
        }
      };
    };
  }
}
