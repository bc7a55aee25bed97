package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.config.FallbackSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new version that fails on real traffic (it passed its self-test: the bug is in inputs the
 * reference rows lack) is left for the version before it, then the next good version takes over.
 */
class FallbackTest {

  // Version 2 of the real bundle crashes on every island it has not seen in its reference rows.
  private static final String TRIGGER =
      "{\"instances\": [{\"Island\": \"Deception\", \"Beak Length (mm)\": 40}]}";
  @TempDir Path dir;
  private ModelStore store;
  private ModelRegistry registry;
  private HttpFixture server;

  @BeforeEach
  void setUp() {
    store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    ServingConfig config =
        Fixtures.config().withFallback(new FallbackSection(0.5, Duration.ofSeconds(30), 10));
    ServingMetrics metrics = new ServingMetrics();
    registry = Fixtures.registry(store, crashingVersion2(Fixtures.mleap()), config, metrics);
    registry.refresh();
    server =
        new HttpFixture(
            ServingApp.create(config, registry, metrics, new AccessLog(0, l -> {}), new Drain())
                .start());
  }

  @AfterEach
  void tearDown() {
    server.close();
    registry.close();
  }

  @Test
  void fallsBackToThePreviousVersionAndRecoversWithTheNextOne() {
    Fixtures.publishClassifier(store, "penguins", dir);
    registry.refresh();
    assertThat(predict().json().at("/model/version").asInt()).isEqualTo(2);

    int failures = 0;
    for (int i = 0; i < 8; i++) {
      failures += predictTrigger().status() == 500 ? 1 : 0;
    }
    assertThat(failures).isEqualTo(8);
    assertThat(registry.find("penguins").orElseThrow().serving())
        .isEqualTo(2); // 9 requests: too few to judge
    assertThat(predictTrigger().status()).isEqualTo(500); // the 10th: 9 of 10 failed

    Reply after = predictTrigger();
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json().at("/model/version").asInt()).isEqualTo(1);
    Reply detail = server.get("/v1/models/penguins");
    assertThat(detail.json().at("/fallback/from").asInt()).isEqualTo(2);
    assertThat(detail.json().at("/fallback/to").asInt()).isEqualTo(1);
    assertThat(detail.json().at("/fallback/reason").asText())
        .isEqualTo("9 of 10 requests failed within 30 s (threshold 0.5)");
    assertThat(detail.json().get("versionStates").get(0).get("state").asText())
        .isEqualTo("DEGRADED");
    String metrics = server.get("/metrics").body();
    assertThat(
            MetricsTest.value(
                metrics,
                "mlp_model_fallbacks_total",
                java.util.Map.of("model", "penguins", "from", "2", "to", "1")))
        .isEqualTo(1);
    assertThat(
            MetricsTest.value(
                metrics, "mlp_model_fallback_active", java.util.Map.of("model", "penguins")))
        .isEqualTo(1);
    assertThat(
            MetricsTest.value(
                metrics,
                "mlp_predict_errors_total",
                java.util.Map.of("model", "penguins", "version", "2", "kind", "internal_error")))
        .isEqualTo(9);

    registry.refresh(); // the store still points at v2: the fallback holds
    assertThat(predictTrigger().json().at("/model/version").asInt()).isEqualTo(1);

    Fixtures.publishClassifier(store, "penguins", dir);
    registry.refresh();

    Reply recovered = predictTrigger();
    assertThat(recovered.status()).isEqualTo(200);
    assertThat(recovered.json().at("/model/version").asInt()).isEqualTo(3);
    assertThat(server.get("/v1/models/penguins").json().has("fallback")).isFalse();
  }

  private Reply predict() {
    return server.postJson(
        "/v1/models/penguins:predict",
        "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}");
  }

  private Reply predictTrigger() {
    return server.postJson("/v1/models/penguins:predict", TRIGGER);
  }

  private static ScoringModelLoader crashingVersion2(ScoringModelLoader real) {
    return (manifest, zip) -> {
      ScoringModel model = real.load(manifest, zip);
      if (manifest.version() != 2) {
        return model;
      }
      return new ScoringModel() {
        @Override
        public List<Score> score(List<Object[]> rows) {
          if (rows.stream().anyMatch(r -> "Deception".equals(r[0]))) {
            throw new IllegalStateException("version 2 cannot handle this island");
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
