package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.serving.Service;
import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real bundles swapped while a load generator sends single-row requests: version 1 is the trained
 * logistic regression, version 2 the trained decision tree published under the same name, then the
 * production alias moves back and forth. No request fails, every response names version 1 or 2, and
 * its body is exactly what that version answers.
 */
class HotSwapUnderLoadTest {

  private static final int CLIENTS = 6;
  @TempDir Path dir;

  @Test
  void swapsVersionsUnderLoadWithZeroFailedRequests() throws Exception {
    ModelStore trained = ModelStore.open(TrainedStore.trained().toString());
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    StoreCopies.copy(trained, "penguins", store, "penguins", dir);
    Map<String, Object> instance = trained.referenceRows("penguins", 1).get(0).input();
    String body = ServingServer.JSON.writeValueAsString(Map.of("instances", List.of(instance)));
    Service service = StoreCopies.serve(store);
    LoadedModel first =
        service.registry().find("penguins").orElseThrow().loadedModel().orElseThrow();
    HttpClient client = HttpClient.newHttpClient();
    URI predict = URI.create("http://127.0.0.1:" + service.port() + "/v1/models/penguins:predict");
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Map<Integer, Set<String>> bodiesByVersion = new ConcurrentHashMap<>();
    ExecutorService load = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<Integer>> sent = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        sent.add(
            load.submit(
                () -> {
                  int n = 0;
                  while (running.get()) {
                    HttpResponse<String> reply =
                        client.send(
                            HttpRequest.newBuilder(predict)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    n++;
                    if (reply.statusCode() != 200) {
                      failures.add(reply.statusCode() + " " + reply.body());
                      continue;
                    }
                    JsonNode json = ServingServer.JSON.readTree(reply.body());
                    bodiesByVersion
                        .computeIfAbsent(
                            json.at("/model/version").asInt(), v -> ConcurrentHashMap.newKeySet())
                        .add(ServingServer.answers(json.get("predictions")));
                  }
                  return n;
                }));
      }
      Thread.sleep(500);
      StoreCopies.copy(trained, "species-dt", store, "penguins", dir); // v2: another algorithm
      awaitServing(service, 2);
      store.setAlias("penguins", Layout.PRODUCTION, 1, "roll back");
      awaitServing(service, 1);
      store.setAlias("penguins", Layout.PRODUCTION, 2, "promote");
      awaitServing(service, 2);
      running.set(false);
      int total = 0;
      for (Future<Integer> n : sent) {
        total += n.get();
      }

      assertThat(failures).isEmpty();
      assertThat(total).isGreaterThan(200);
      assertThat(new TreeSet<>(bodiesByVersion.keySet())).containsExactly(1, 2);
      // Each version always gave one answer, its own: no response mixed two versions.
      try (ServiceClient direct = new ServiceClient(service.port())) {
        for (int version : List.of(1, 2)) {
          Reply reply =
              direct.postJson("/v1/models/penguins/versions/" + version + ":predict", body);
          assertThat(reply.status()).isEqualTo(200);
          assertThat(bodiesByVersion.get(version))
              .containsExactly(ServingServer.answers(reply.json().get("predictions")));
        }
      }
      assertThat(bodiesByVersion.get(1)).doesNotContainAnyElementsOf(bodiesByVersion.get(2));
      assertThat(first.released())
          .isFalse(); // v1 is production's previous version: kept for fallback
    } finally {
      running.set(false);
      load.shutdownNow();
      service.shutdown();
    }
  }

  static void awaitServing(Service service, int version) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      Integer serving = service.registry().find("penguins").orElseThrow().serving();
      if (serving != null && serving == version) {
        Thread.sleep(1000); // let the load generator run on it
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("v" + version + " never started serving");
  }
}
