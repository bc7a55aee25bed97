package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.SlowRequest;
import io.mlplatform.serving.config.FallbackSection;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callers and models cannot hurt one another: slow uploads neither hold the API's permits nor count
 * as the model's timeouts (so they cannot trip fallback), and a hung model neither starves nor
 * times out another model. The request timeout itself still holds.
 */
class IsolationTest {

  private static final String VALID =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";
  private static final Duration TIMEOUT = Duration.ofMillis(1500);
  private static final int MAX_CONCURRENT = 4;
  @TempDir static Path dir;
  // The common pool has one thread on two cores: clients need threads of their own.
  private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();
  private static final CountDownLatch RELEASE_HUNG = new CountDownLatch(1);
  private static ModelRegistry registry;
  private static HttpFixture server;

  @BeforeAll
  static void start() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    // Two versions, so that a fallback would have somewhere to go.
    Fixtures.publishClassifier(store, "penguins", dir);
    Fixtures.publishClassifier(store, "penguins", dir);
    Fixtures.publishClassifier(store, "hung", dir);
    ServingConfig config =
        Fixtures.config()
            // Every request on a scoring thread: a hung model's callers are answered at the
            // timeout only there (inline, the request thread waits for the model; LimitsTest).
            .withLimits(new LimitsSection(10, 100_000, TIMEOUT, MAX_CONCURRENT, 1, 0))
            .withFallback(new FallbackSection(0.2, Duration.ofSeconds(60), 5));
    registry =
        Fixtures.registry(store, hangingOnRequest(Fixtures.mleap()), config, ModelEvents.NONE);
    registry.refresh();
    server =
        new HttpFixture(
            ServingApp.create(
                    config,
                    registry,
                    new ServingMetrics(),
                    new AccessLog(1, line -> {}),
                    new Drain())
                .start());
  }

  @AfterAll
  static void stop() {
    RELEASE_HUNG.countDown();
    CLIENTS.shutdownNow();
    server.close();
    registry.close();
  }

  @Test
  void slowUploadsHoldNoPermitsAndAreNotTheModelsTimeouts() {
    List<SlowRequest> uploads = new ArrayList<>();
    List<CompletableFuture<String>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        uploads.add(SlowRequest.start(server.port(), "/v1/models/penguins:predict", VALID));
      }
      // Each body takes longer than the request timeout to arrive (staggered: arriving all at once
      // would be a burst past the concurrency limit, a different matter).
      for (int i = 0; i < uploads.size(); i++) {
        SlowRequest upload = uploads.get(i);
        Duration over = TIMEOUT.plusMillis(300 + 100L * i);
        answers.add(CompletableFuture.supplyAsync(() -> upload.finishOver(over), CLIENTS));
      }
      sleep(300);
      // Meanwhile other callers are answered at once: the uploads hold no permits.
      for (int i = 0; i < 3; i++) {
        Reply other = server.postJson("/v1/models/penguins:predict", VALID);
        assertThat(other.status()).as(other.body()).isEqualTo(200);
      }
      for (CompletableFuture<String> answer : answers) {
        assertThat(answer.join()).doesNotContain("\"timeout\"");
      }
      assertThat(answers)
          .filteredOn(a -> SlowRequest.status(a.join()) == 200)
          .hasSizeGreaterThan(answers.size() / 2);
    } finally {
      uploads.forEach(SlowRequest::close);
    }
    assertThat(registry.find("penguins").orElseThrow().fallback()).isNull();
    assertThat(registry.find("penguins").orElseThrow().serving()).isEqualTo(2);
  }

  @Test
  void theTimeoutStartsOnceTheBodyIsInSoSlowUploadsCannotTripFallback() {
    // Plenty of permits: only the deadline and the blame are under test here.
    ServingConfig config =
        Fixtures.config()
            .withLimits(new LimitsSection(10, 100_000, Duration.ofMillis(500), 64, 1))
            .withFallback(new FallbackSection(0.2, Duration.ofSeconds(60), 5));
    ModelStore store = ModelStore.open(dir.resolve("store2").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    Fixtures.publishClassifier(store, "penguins", dir);
    try (ModelRegistry own = Fixtures.registry(store, Fixtures.mleap(), config, ModelEvents.NONE)) {
      own.refresh();
      try (HttpFixture second =
          new HttpFixture(
              ServingApp.create(
                      config, own, new ServingMetrics(), new AccessLog(1, line -> {}), new Drain())
                  .start())) {
        List<SlowRequest> uploads = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          uploads.add(SlowRequest.start(second.port(), "/v1/models/penguins:predict", VALID));
        }
        for (int i = 0; i < uploads.size(); i++) {
          SlowRequest upload = uploads.get(i);
          Duration over = Duration.ofMillis(800 + 50L * i);
          answers.add(CompletableFuture.supplyAsync(() -> upload.finishOver(over), CLIENTS));
        }
        for (CompletableFuture<String> answer : answers) {
          assertThat(SlowRequest.status(answer.join())).as(answer.join()).isEqualTo(200);
        }
        assertThat(own.find("penguins").orElseThrow().fallback()).isNull();
        assertThat(own.find("penguins").orElseThrow().serving()).isEqualTo(2);
      }
    }
  }

  @Test
  void aHungModelNeitherStarvesNorTimesOutAnotherOne() throws Exception {
    List<CompletableFuture<Reply>> hung = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      hung.add(
          CompletableFuture.supplyAsync(
              () -> server.postJson("/v1/models/hung:predict", HANG), CLIENTS));
    }
    sleep(300);
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      Reply other = server.postJson("/v1/models/penguins:predict", VALID);
      assertThat(other.status()).as(other.body()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
    }
    // The hung model's own requests are still answered at the timeout (or refused at once when
    // its share of the capacity is taken), never left waiting.
    for (CompletableFuture<Reply> reply : hung) {
      Reply r = reply.get(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.json().get("error").asText()).isIn("timeout", "overloaded");
    }
    assertThat(hung)
        .anySatisfy(r -> assertThat(r.join().json().get("error").asText()).isEqualTo("timeout"));
    assertThat(registry.find("penguins").orElseThrow().fallback()).isNull();
  }

  // The models hang on this beak length, which no reference row has.
  private static final String HANG =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 4242}]}";

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The real model, which blocks until the test ends for the beak length 4242. */
  private static ScoringModelLoader hangingOnRequest(ScoringModelLoader real) {
    return (manifest, zip) -> {
      ScoringModel model = real.load(manifest, zip);
      return new ScoringModel() {
        @Override
        public List<Score> score(List<Object[]> rows) {
          if (rows.stream().anyMatch(r -> Double.valueOf(4242).equals(r[1]))) {
            try {
              RELEASE_HUNG.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
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
