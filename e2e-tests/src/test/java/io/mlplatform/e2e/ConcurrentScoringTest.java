package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.validation.InputSchema;
import io.mlplatform.serving.validation.RequestValidator;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MLeap has had thread-safety bugs in some model types. For every trained model family, 32 threads
 * scoring the same rows at once, one row per call and all rows per call, must give results
 * identical (bit for bit) to one thread scoring them alone; and so must 32 concurrent HTTP clients.
 */
class ConcurrentScoringTest {

  private static final int THREADS = 32;
  private static final int ROUNDS = 5;
  @TempDir static Path dir;
  private static ModelStore store;
  private static MleapModelLoader loader;
  private static ServingServer server;
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    store = ModelStore.open(TrainedStore.trained().toString());
    loader = new MleapModelLoader(BundleArchive.withDefaultLimits());
    server = new ServingServer(TrainedStore.trained().toString());
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  static List<String> models() {
    return TrainedStore.models();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void thirtyTwoThreadsScoreExactlyAsOne(String name) throws Exception {
    int version = store.latestVersion(name).orElseThrow();
    Manifest manifest = store.manifest(name, version);
    List<ReferenceRow> reference = store.referenceRows(name, version);
    Path zip = dir.resolve(name + ".zip");
    store.copyBundleTo(name, version, zip);
    List<Object[]> rows =
        new RequestValidator(reference.size(), false)
            .validate(
                ServingServer.JSON.valueToTree(
                    Map.of("instances", reference.stream().map(ReferenceRow::input).toList())),
                InputSchema.of(manifest));
    try (ScoringModel model = loader.load(manifest, zip)) {
      List<Score> alone = new ArrayList<>();
      for (Object[] row : rows) {
        alone.addAll(model.score(List.<Object[]>of(row)));
      }
      assertSame(alone, model.score(rows)); // a batch scores as single rows do

      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<List<List<Score>>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        results.add(
            pool.submit(
                (Callable<List<List<Score>>>)
                    () -> {
                      start.await();
                      List<List<Score>> runs = new ArrayList<>();
                      for (int round = 0; round < ROUNDS; round++) {
                        // Each thread walks the rows from its own offset so that different rows
                        // overlap in time.
                        Score[] single = new Score[rows.size()];
                        for (int i = 0; i < rows.size(); i++) {
                          int r = (i + offset) % rows.size();
                          single[r] = model.score(List.<Object[]>of(rows.get(r))).get(0);
                        }
                        runs.add(Arrays.asList(single));
                        runs.add(model.score(rows));
                      }
                      return runs;
                    }));
      }
      for (Future<List<List<Score>>> result : results) {
        for (List<Score> run : result.get()) {
          assertSame(alone, run);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void thirtyTwoHttpClientsGetTheSameAnswers(String name) throws Exception {
    int version = store.latestVersion(name).orElseThrow();
    String body =
        ServingServer.JSON.writeValueAsString(
            Map.of(
                "instances",
                store.referenceRows(name, version).stream().map(ReferenceRow::input).toList()));
    Reply first = server.postJson("/v1/models/" + name + ":predict", body);
    assertThat(first.status()).isEqualTo(200);
    String expected = ServingServer.answers(first.json().get("predictions"));

    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                List<String> answers = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                  Reply reply = server.postJson("/v1/models/" + name + ":predict", body);
                  JsonNode predictions =
                      reply.status() == 200 ? reply.json().get("predictions") : null;
                  answers.add(
                      predictions == null
                          ? reply.status() + " " + reply.body()
                          : ServingServer.answers(predictions));
                }
                return answers;
              }));
    }
    for (Future<List<String>> result : results) {
      assertThat(result.get()).containsOnly(expected);
    }
  }

  private static void assertSame(List<Score> expected, List<Score> actual) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Score e = expected.get(i);
      Score a = actual.get(i);
      assertThat(Double.compare(a.prediction(), e.prediction()))
          .as("row %d prediction", i)
          .isZero();
      assertThat(Arrays.equals(a.probabilities(), e.probabilities()))
          .as("row %d probabilities", i)
          .isTrue();
    }
  }
}
