package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.config.MonitoringSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.MonitoringReference;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift monitoring on the real classifier bundle over real HTTP. The reference is built here the
 * way training builds it: from a "training" sample of islands and beak lengths, and the classes the
 * bundle predicts for that sample (computed independently of MLeap by {@link Fixtures}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringTest {

  private static final int WINDOW = 1000;
  private static final int MIN_ROWS = 200;
  private static final String[] ISLANDS = {"Biscoe", "Dream", "Torgersen"};

  @TempDir static Path dir;
  private static ModelRegistry registry;
  private static HttpFixture server;

  @BeforeAll
  static void start() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, Fixtures.CLASSIFIER, dir); // v1, no reference
    Fixtures.publishClassifier(store, "old", dir); // trained before monitoring existed
    Manifest m = Fixtures.classifierManifest();
    Fixtures.publish(
        store,
        m.withMonitoring(reference()),
        dir.resolve("classifier.zip"),
        Fixtures.classifierReferenceRows()); // v2, served by default
    ServingConfig config =
        Fixtures.config()
            .withMonitoring(
                new MonitoringSection(WINDOW, 0.2, MIN_ROWS, Duration.ofMinutes(5), 1000, 1000));
    ServingMetrics metrics = new ServingMetrics();
    registry = Fixtures.registry(store, Fixtures.mleap(), config, metrics);
    registry.refresh();
    server =
        new HttpFixture(
            ServingApp.create(config, registry, metrics, new AccessLog(0, l -> {}), new Drain())
                .start());
  }

  @AfterAll
  static void stop() {
    server.close();
    registry.close();
  }

  @Test
  @Order(1)
  void reportsNoPsiBeforeTheWindowHoldsEnoughRows() {
    predict(sample(50, 0, x -> x, null));

    JsonNode report = monitoring("");

    assertThat(report.get("available").asBoolean()).isTrue();
    assertThat(report.get("version").asInt()).isEqualTo(2);
    assertThat(report.at("/window/rows").asLong()).isEqualTo(50);
    assertThat(report.at("/window/capacity").asInt()).isEqualTo(WINDOW);
    assertThat(report.at("/features/0/psi").isNull()).isTrue();
    assertThat(report.get("alerts")).isEmpty();
  }

  @Test
  @Order(2)
  void inDistributionTrafficKeepsPsiLow() {
    // Another slice of the same distribution than the reference (offset 7: not the same rows).
    predict(sample(WINDOW, 7, x -> x, null));

    JsonNode report = monitoring("");

    assertThat(report.at("/window/rows").asLong()).isEqualTo(WINDOW);
    for (JsonNode feature : report.get("features")) {
      assertThat(feature.get("psi").asDouble()).as(feature.get("name").asText()).isLessThan(0.05);
      assertThat(feature.get("alert").asBoolean()).isFalse();
    }
    assertThat(report.at("/prediction/psi").asDouble()).isLessThan(0.05);
    assertThat(report.get("alerts")).isEmpty();
    String metrics = server.get("/metrics").body();
    assertThat(
            MetricsTest.value(
                metrics,
                "mlp_drift_psi",
                Map.of("model", "penguins", "version", "2", "feature", "Island")))
        .isLessThan(0.05);
    assertThat(
            MetricsTest.value(
                metrics,
                "mlp_drift_alert",
                Map.of("model", "penguins", "version", "2", "feature", "Island")))
        .isZero();
  }

  @Test
  @Order(3)
  void shiftedTrafficRaisesFeatureAndPredictionPsiAndFlagsThem() {
    predict(sample(WINDOW, 3, x -> x + 15, "Dream"));

    JsonNode report = monitoring("");

    JsonNode beak = feature(report, "Beak Length (mm)");
    JsonNode island = feature(report, "Island");
    assertThat(beak.get("kind").asText()).isEqualTo("numeric");
    assertThat(beak.get("psi").asDouble()).isGreaterThan(0.2);
    assertThat(beak.get("alert").asBoolean()).isTrue();
    assertThat(island.get("psi").asDouble()).isGreaterThan(0.2);
    assertThat(island.get("alert").asBoolean()).isTrue();
    // Every live island is Dream now.
    assertThat(island.get("bins").get(1).get("label").asText()).isEqualTo("Dream");
    assertThat(island.get("bins").get(1).get("live").asDouble()).isEqualTo(1.0);
    assertThat(report.at("/prediction/psi").asDouble()).isGreaterThan(0.2);
    assertThat(report.at("/prediction/alert").asBoolean()).isTrue();
    assertThat(report.get("alerts").toString())
        .contains("Island", "Beak Length (mm)", "prediction");
    String metrics = server.get("/metrics").body();
    assertThat(
            MetricsTest.value(
                metrics,
                "mlp_drift_alert",
                Map.of("model", "penguins", "version", "2", "feature", "Beak Length (mm)")))
        .isEqualTo(1);
    assertThat(
            MetricsTest.value(
                metrics, "mlp_drift_prediction_psi", Map.of("model", "penguins", "version", "2")))
        .isGreaterThan(0.2);
  }

  @Test
  @Order(4)
  void alertClearsOnceInDistributionTrafficFillsTheWindowAgain() {
    predict(sample(WINDOW, 11, x -> x, null));

    JsonNode report = monitoring("");

    assertThat(report.get("alerts")).isEmpty();
    assertThat(feature(report, "Island").get("alert").asBoolean()).isFalse();
  }

  @Test
  void aVersionWithoutReferenceReportsMonitoringUnavailable() {
    Reply old = server.get("/v1/models/old/monitoring");

    JsonNode report = old.json();
    assertThat(old.status()).isEqualTo(200);
    assertThat(report.get("available").asBoolean()).isFalse();
    assertThat(report.get("features")).isNull();
    assertThat(monitoring("?version=v2").get("version").asInt()).isEqualTo(2);
    assertThat(report.get("message").asText())
        .contains("no reference statistics", "train a new version");
    assertThat(server.get("/v1/models/penguins/monitoring?version=x").status()).isEqualTo(400);
    assertThat(server.get("/v1/models/penguins/monitoring?version=9").status()).isEqualTo(404);
    assertThat(server.get("/v1/models/nope/monitoring").status()).isEqualTo(404);
  }

  @Test
  void feedbackByRequestIdUpdatesAccuracy() {
    // Beak 60 on Biscoe and beak 30 on Torgersen: two instances, predicted classes known.
    Reply scored =
        server.postJson(
            "/v1/models/penguins:predict",
            "{\"instances\": ["
                + "{\"Island\": \"Biscoe\", \"Beak Length (mm)\": 60}, {\"Island\": \"Torgersen\", \"Beak Length (mm)\": 30}]}");
    String first =
        Fixtures.SPECIES.get(Fixtures.argmax(Fixtures.expectedProbabilities("Biscoe", 60)));
    String second =
        Fixtures.SPECIES.get(Fixtures.argmax(Fixtures.expectedProbabilities("Torgersen", 30)));
    String wrong =
        Fixtures.SPECIES.stream().filter(s -> !s.equals(second)).findFirst().orElseThrow();
    long before = monitoring("").at("/feedback/count").asLong();

    Reply right = feedback(scored.requestId(), 0, "\"" + first + "\"");
    Reply bad = feedback(scored.requestId(), 1, "\"" + wrong + "\"");

    assertThat(right.status()).isEqualTo(200);
    assertThat(right.json().get("correct").asBoolean()).isTrue();
    assertThat(right.json().get("prediction").asText()).isEqualTo(first);
    assertThat(bad.json().get("correct").asBoolean()).isFalse();
    JsonNode report = monitoring("");
    assertThat(report.at("/feedback/count").asLong()).isEqualTo(before + 2);
    assertThat(report.at("/feedback/metric").asText()).isEqualTo("accuracy");
    assertThat(report.at("/feedback/value").asDouble()).isBetween(0.0, 1.0);
    String metrics = server.get("/metrics").body();
    assertThat(
            MetricsTest.value(
                metrics, "mlp_feedback_received", Map.of("model", "penguins", "version", "2")))
        .isEqualTo(before + 2);
    assertThat(
            MetricsTest.value(
                metrics,
                "mlp_feedback_score",
                Map.of("model", "penguins", "version", "2", "metric", "accuracy")))
        .isEqualTo(report.at("/feedback/value").asDouble());
    // Fewer feedbacks than the recent window so far: the recent metric covers them all.
    assertThat(report.at("/feedback/recent/window").asInt()).isEqualTo(1000);
    assertThat(report.at("/feedback/recent/count").asLong()).isEqualTo(before + 2);
    assertThat(report.at("/feedback/recent/value").asDouble())
        .isEqualTo(report.at("/feedback/value").asDouble());
    assertThat(
            MetricsTest.value(
                metrics,
                "mlp_feedback_recent_score",
                Map.of("model", "penguins", "version", "2", "metric", "accuracy")))
        .isEqualTo(report.at("/feedback/value").asDouble());
    // The same instance twice is refused; so is feedback naming another model.
    assertThat(feedback(scored.requestId(), 0, "\"" + first + "\"").status()).isEqualTo(409);
    assertThat(
            server
                .postJson(
                    "/v1/models/mass/feedback",
                    "{\"requestId\": \"" + scored.requestId() + "\", \"label\": 1.0}")
                .status())
        .isEqualTo(404);
  }

  @Test
  void badFeedbackGetsAClear4xx() {
    Reply scored =
        server.postJson(
            "/v1/models/penguins:predict",
            "{\"instances\": ["
                + "{\"Island\": \"Biscoe\", \"Beak Length (mm)\": 40}, {\"Island\": \"Dream\", \"Beak Length (mm)\": 40}]}");
    String id = scored.requestId();

    assertError(
        server.postJson(
            "/v1/models/penguins/feedback",
            "{\"requestId\": \"never-seen\", \"label\": \"Adelie\"}"),
        404,
        "request_id_not_found",
        "unknown or expired request id");
    assertError(
        server.postJson(
            "/v1/models/penguins/feedback",
            "{\"requestId\": \"" + id + "\", \"label\": \"Adelie\"}"),
        400,
        "invalid_request",
        "'index' is required");
    assertError(feedback(id, 5, "\"Adelie\""), 400, "invalid_request", "out of range");
    assertError(feedback(id, 0, "3"), 400, "invalid_request", "must be one of the classes");
    assertError(
        feedback(id, 0, "\"Emperor\""), 400, "invalid_request", "must be one of the classes");
    assertError(
        server.postJson("/v1/models/penguins/feedback", "{\"label\": \"Adelie\"}"),
        400,
        "invalid_request",
        "'requestId' is required");
    assertError(
        server.postJson("/v1/models/penguins/feedback", "[1]"),
        400,
        "invalid_request",
        "JSON object");
  }

  private static void assertError(Reply reply, int status, String kind, String message) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).isEqualTo(kind);
    assertThat(reply.json().get("message").asText()).contains(message);
  }

  private static Reply feedback(String requestId, int index, String label) {
    return server.postJson(
        "/v1/models/penguins/feedback",
        "{\"requestId\": \""
            + requestId
            + "\", \"index\": "
            + index
            + ", \"label\": "
            + label
            + "}");
  }

  private static JsonNode monitoring(String query) {
    Reply reply = server.get("/v1/models/penguins/monitoring" + query);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static JsonNode feature(JsonNode report, String name) {
    for (JsonNode f : report.get("features")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no feature " + name + " in " + report);
  }

  private static void predict(List<Map<String, Object>> rows) {
    StringBuilder body = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = rows.get(i);
      Object island = row.get("Island");
      body.append(i == 0 ? "" : ",")
          .append("{\"Island\": ")
          .append(island == null ? "null" : "\"" + island + "\"")
          .append(", \"Beak Length (mm)\": ")
          .append(row.get("Beak Length (mm)"))
          .append('}');
    }
    Reply reply = server.postJson("/v1/models/penguins:predict", body.append("]}").toString());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
  }

  /**
   * Islands in turn (one in 20 missing) and beak lengths spread evenly over 32-58 mm, by a
   * low-discrepancy sequence so that any stretch of rows covers the range; {@code island} forces
   * one.
   */
  private static List<Map<String, Object>> sample(
      int n, int offset, DoubleUnaryOperator beak, String island) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = offset; i < offset + n; i++) {
      Map<String, Object> row = new java.util.HashMap<>();
      row.put("Island", island != null ? island : i % 20 == 19 ? null : ISLANDS[i % 3]);
      row.put("Beak Length (mm)", beak.applyAsDouble(32 + 26 * ((i * 0.6180339887) % 1.0)));
      rows.add(row);
    }
    return rows;
  }

  /**
   * What training would store for {@link #sample} of 2000 rows: deciles of beak, island shares,
   * predicted classes.
   */
  static MonitoringReference reference() {
    List<Map<String, Object>> rows = sample(2000, 1000, x -> x, null);
    double[] beaks =
        rows.stream().mapToDouble(r -> (Double) r.get("Beak Length (mm)")).sorted().toArray();
    List<Double> edges = new ArrayList<>();
    for (int q = 1; q < 10; q++) {
      edges.add(beaks[q * beaks.length / 10 - 1]);
    }
    Distribution beakBins =
        new Distribution(
            "Beak Length (mm)",
            Distribution.Kind.NUMERIC,
            edges,
            List.of(),
            shares(
                new Distribution("x", Distribution.Kind.NUMERIC, edges, List.of(), zeros(11), 0),
                rows,
                "Beak Length (mm)"),
            rows.size());
    Distribution islandBins =
        new Distribution(
            "Island",
            Distribution.Kind.CATEGORICAL,
            List.of(),
            List.of(ISLANDS),
            shares(
                new Distribution(
                    "x", Distribution.Kind.CATEGORICAL, List.of(), List.of(ISLANDS), zeros(5), 0),
                rows,
                "Island"),
            rows.size());
    List<Map<String, Object>> predicted = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      String is = (String) row.get("Island");
      double[] p =
          Fixtures.expectedProbabilities(
              is == null ? "__missing__" : is, (Double) row.get("Beak Length (mm)"));
      predicted.add(Map.of("prediction", Fixtures.SPECIES.get(Fixtures.argmax(p))));
    }
    Distribution predictionBins =
        new Distribution(
            "prediction",
            Distribution.Kind.CATEGORICAL,
            List.of(),
            Fixtures.SPECIES,
            shares(
                new Distribution(
                    "x", Distribution.Kind.CATEGORICAL, List.of(), Fixtures.SPECIES, zeros(5), 0),
                predicted,
                "prediction"),
            rows.size());
    return new MonitoringReference(List.of(islandBins, beakBins), predictionBins);
  }

  private static List<Double> shares(
      Distribution bins, List<Map<String, Object>> rows, String column) {
    double[] counts = new double[bins.bins()];
    rows.forEach(r -> counts[bins.binOf(r.get(column))]++);
    List<Double> shares = new ArrayList<>();
    for (double c : counts) {
      shares.add(c / rows.size());
    }
    return shares;
  }

  private static List<Double> zeros(int n) {
    return new ArrayList<>(java.util.Collections.nCopies(n, 0.0));
  }
}
