package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.serving.Service;
import io.mlplatform.serving.config.FallbackSection;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic fallback with the real trained bundles and the poller: version 2 (the trained decision
 * tree) passes its self-test but has a fault injected for one island it never saw; when its error
 * rate passes the threshold the default route goes back to version 1 and says so; when version 3
 * arrives the route moves on to it.
 */
class FallbackTest {

  private static final String UNSEEN_ISLAND = "Deception";
  @TempDir Path dir;

  @Test
  void fallsBackToThePreviousVersionAndRecoversWhenTheNextOneArrives() throws Exception {
    ModelStore trained = ModelStore.open(TrainedStore.trained().toString());
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    StoreCopies.copy(trained, "penguins", store, "penguins", dir);
    Map<String, Object> instance =
        new LinkedHashMap<>(trained.referenceRows("penguins", 1).get(0).input());
    instance.put("Island", UNSEEN_ISLAND);
    String body = ServingServer.JSON.writeValueAsString(Map.of("instances", List.of(instance)));
    Service service =
        StoreCopies.serve(
            store,
            faultyVersion2(new MleapModelLoader(BundleArchive.withDefaultLimits())),
            c -> c.withFallback(new FallbackSection(0.2, Duration.ofSeconds(30), 20)));
    ServiceClient client = new ServiceClient(service.port());
    try {
      StoreCopies.copy(trained, "species-dt", store, "penguins", dir);
      HotSwapUnderLoadTest.awaitServing(service, 2);

      int failed = 0;
      int fellBackAt = -1;
      for (int i = 0; i < 60 && fellBackAt < 0; i++) {
        Reply reply = client.postJson("/v1/models/penguins:predict", body);
        if (reply.status() == 500) {
          failed++;
        } else if (reply.json().at("/model/version").asInt() == 1) {
          fellBackAt = i;
        }
      }

      assertThat(failed).as("failures before the fallback").isEqualTo(20);
      assertThat(fellBackAt).isEqualTo(20);
      JsonNode model = client.get("/v1/models/penguins").json();
      assertThat(model.get("loadedVersion").asInt()).isEqualTo(1);
      assertThat(model.at("/fallback/from").asInt()).isEqualTo(2);
      assertThat(model.at("/fallback/reason").asText())
          .isEqualTo("20 of 20 requests failed within 30 s (threshold 0.2)");
      assertThat(client.get("/metrics").body())
          .contains("mlp_model_fallbacks_total{from=\"2\",model=\"penguins\",to=\"1\"} 1.0")
          .contains("mlp_model_fallback_active{model=\"penguins\"} 1.0");
      for (int i = 0; i < 20; i++) {
        assertThat(client.postJson("/v1/models/penguins:predict", body).status()).isEqualTo(200);
      }
      Thread.sleep(600); // polls happen; the store still says v2, the fallback holds
      assertThat(service.registry().find("penguins").orElseThrow().serving()).isEqualTo(1);

      StoreCopies.copy(trained, "penguins", store, "penguins", dir);
      HotSwapUnderLoadTest.awaitServing(service, 3);

      Reply recovered = client.postJson("/v1/models/penguins:predict", body);
      assertThat(recovered.status()).isEqualTo(200);
      assertThat(recovered.json().at("/model/version").asInt()).isEqualTo(3);
      assertThat(client.get("/v1/models/penguins").json().has("fallback")).isFalse();
      assertThat(client.get("/metrics").body())
          .contains("mlp_model_fallback_active{model=\"penguins\"} 0.0");
    } finally {
      service.shutdown();
    }
  }

  private static ScoringModelLoader faultyVersion2(ScoringModelLoader real) {
    return (manifest, zip) -> {
      ScoringModel model = real.load(manifest, zip);
      if (manifest.version() != 2) {
        return model;
      }
      return new ScoringModel() {
        @Override
        public List<Score> score(List<Object[]> rows) {
          if (rows.stream().anyMatch(row -> List.of(row).contains(UNSEEN_ISLAND))) {
            throw new IllegalStateException("injected fault for an unseen island");
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
