package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.Service;
import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New versions and alias moves picked up by the poller while clients send requests: no request
 * fails, each response names one version, and a client never goes back to an older version.
 */
class HotSwapTest {

  private static final String VALID =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";
  @TempDir Path dir;

  @Test
  void swapsUnderLoadWithoutAFailedRequest() throws Exception {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    ServingConfig config =
        Fixtures.config()
            .withModels(
                new ModelsSection(
                    Duration.ofMillis(100),
                    ModelsSection.DEFAULTS.selfTest(),
                    1e-9,
                    200,
                    1L << 30,
                    10_000))
            .withStore(store.uri().toString());
    Service service = Service.start(config, Fixtures.mleap(), new AccessLog(0, line -> {}));
    LoadedModel first =
        service.registry().find("penguins").orElseThrow().loadedModel().orElseThrow();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try (HttpFixture server = new HttpFixture(service)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        results.add(
            clients.submit(
                () -> {
                  int requests = 0;
                  int last = 0;
                  while (running.get()) {
                    Reply reply = server.postJson("/v1/models/penguins:predict", VALID);
                    requests++;
                    if (reply.status() != 200) {
                      failures.incrementAndGet();
                      continue;
                    }
                    int version = reply.json().at("/model/version").asInt();
                    seen.add(version);
                    if (version < last) {
                      failures.incrementAndGet(); // went back to an older version
                    }
                    last = version;
                  }
                  return requests;
                }));
      }
      Thread.sleep(300);
      Fixtures.publishClassifier(store, "penguins", dir);
      awaitServing(service, 2);
      Fixtures.publishClassifier(store, "penguins", dir);
      awaitServing(service, 3);
      store.setAlias("penguins", Layout.PRODUCTION, 3, "pin production before v4");
      Fixtures.publishClassifier(store, "penguins", dir);
      Thread.sleep(500); // v4 has no alias: production (v3) keeps the default route
      assertThat(service.registry().find("penguins").orElseThrow().serving()).isEqualTo(3);
      store.setAlias("penguins", Layout.PRODUCTION, 4, "promote");
      awaitServing(service, 4);
      Thread.sleep(300);
      running.set(false);
      int total = 0;
      for (Future<Integer> result : results) {
        total += result.get();
      }

      assertThat(failures.get()).isZero();
      assertThat(total).isGreaterThan(100);
      assertThat(new TreeSet<>(seen)).containsExactly(1, 2, 3, 4);
      assertThat(first.released()).isTrue();
    } finally {
      running.set(false);
      clients.shutdownNow();
    }
  }

  private static void awaitServing(Service service, int version) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      Integer serving = service.registry().find("penguins").orElseThrow().serving();
      if (serving != null && serving == version) {
        Thread.sleep(200); // let requests run on it
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("v" + version + " never started serving");
  }
}
