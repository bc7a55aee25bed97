package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.auth.ApiKey;
import io.mlplatform.serving.auth.Scope;
import io.mlplatform.serving.config.AuthSection;
import io.mlplatform.serving.config.FeedbackSigningKeys;
import io.mlplatform.serving.config.MonitoringSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.monitoring.FeedbackTokens;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas (two registries and two apps over one store, sharing a signing key) with the real
 * classifier bundle: feedback tokens issued by one are verified and counted by the other, and the
 * request-id path is scoped by model and key and bounded by bytes.
 */
class FleetFeedbackTest {

  private static final String SIGNING_KEY = "fleet-signing-key-0123456789abcdef";
  private static final String APP = "app-secret-0123456789";
  private static final String INTRUDER = "intruder-secret-0123456789";
  private static final String OPS = "ops-secret-0123456789";
  private static final long MAX_BYTES = 100_000; // about 8 requests of 1,000 instances
  private static final String ONE =
      "{\"instances\": [{\"Island\": \"Biscoe\", \"Beak Length (mm)\": 60},"
          + " {\"Island\": \"Torgersen\", \"Beak Length (mm)\": 30}]}";

  @TempDir static Path dir;
  private static ModelRegistry registryA;
  private static ModelRegistry registryB;
  private static HttpFixture a;
  private static HttpFixture b;
  private static ServingConfig config;

  @BeforeAll
  static void start() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "old", dir); // no reference: takes no feedback
    Manifest m = Fixtures.classifierManifest();
    for (String name : List.of(Fixtures.CLASSIFIER, "birds")) {
      Fixtures.publish(
          store,
          Fixtures.manifest(name, m.task(), m.inputs(), m.outputs())
              .withMonitoring(MonitoringTest.reference()),
          dir.resolve("classifier.zip"),
          Fixtures.classifierReferenceRows());
    }
    config =
        Fixtures.config()
            .withAuth(
                new AuthSection(
                    true,
                    List.of(
                        new ApiKey("app", Set.of(Scope.PREDICT), APP),
                        new ApiKey("intruder", Set.of(Scope.PREDICT), INTRUDER),
                        new ApiKey("ops", Set.of(Scope.ADMIN), OPS))))
            .withMonitoring(
                MonitoringSection.DEFAULTS
                    .withFeedbackLimits(100_000, MAX_BYTES)
                    .withFeedbackSigningKeys(new FeedbackSigningKeys(List.of(SIGNING_KEY))));
    registryA = registry(store);
    registryB = registry(store);
    a = new HttpFixture(app(config, registryA));
    b = new HttpFixture(app(config, registryB));
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    registryA.close();
    registryB.close();
  }

  @Test
  void feedbackForAnAnswerFromAPostedToBCountsThere() {
    JsonNode predictions = predict(a, "penguins", ONE).get("predictions");
    String token = predictions.get(0).get("feedbackToken").asText();
    String predicted = predictions.get(0).get("label").asText();
    long onA = feedbackCount(a);
    long onB = feedbackCount(b);

    Reply applied = feedback(b, "penguins", token, "\"" + predicted + "\"");

    assertThat(applied.status()).as(applied.body()).isEqualTo(200);
    assertThat(applied.json().get("correct").asBoolean()).isTrue();
    assertThat(applied.json().get("version").asInt()).isEqualTo(1);
    assertThat(applied.json().get("prediction").asText()).isEqualTo(predicted);
    assertThat(applied.json().get("id").asText()).hasSize(22);
    assertThat(Instant.parse(applied.json().get("at").asText()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(applied.json().has("requestId")).isFalse();
    assertThat(feedbackCount(b)).isEqualTo(onB + 1);
    assertThat(feedbackCount(a)).isEqualTo(onA);
    // Every instance has its own token, and each is a few dozen bytes.
    assertThat(predictions.get(1).get("feedbackToken").asText()).isNotEqualTo(token);
    assertThat(token.length()).isLessThan(100);
    // The same token twice on one replica is refused; the second one does not count.
    Reply again = feedback(b, "penguins", token, "\"" + predicted + "\"");
    assertError(again, 409, "conflict", "already received");
    assertThat(feedbackCount(b)).isEqualTo(onB + 1);
  }

  @Test
  void forgedAlteredAndMalformedTokensAreRefusedEachWithItsOwnCode() {
    String token = predict(a, "penguins", ONE).at("/predictions/0/feedbackToken").asText();
    FeedbackTokens forger =
        new FeedbackTokens(
            List.of("not-the-fleet-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
            Duration.ofHours(1),
            Clock.systemUTC());
    String forged = forger.issue("penguins", 1, 0, System.currentTimeMillis());
    String[] parts = token.split("\\.");
    byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
    payload[payload.length - "penguins".length() - 8] ^= 0x40; // the prediction's sign/exponent
    String altered =
        Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[1];
    long before = feedbackCount(b);

    assertError(
        feedback(b, "penguins", forged, "\"Adelie\""),
        400,
        "invalid_token_signature",
        "invalid signature");
    assertError(
        feedback(b, "penguins", altered, "\"Adelie\""), 400, "invalid_token_signature", "altered");
    assertError(
        feedback(b, "penguins", "penguins-v1-Adelie", "\"Adelie\""),
        400,
        "malformed_token",
        "not a feedback token");
    assertThat(feedbackCount(b)).isEqualTo(before);
    String metrics = b.get("/metrics", auth(OPS)).body();
    assertThat(
            MetricsTest.value(
                metrics, "mlp_feedback_refused_total", Map.of("reason", "bad_signature")))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void anExpiredTokenIsRefusedSayingWhenItExpired() {
    Instant twoHoursAgo =
        Instant.ofEpochMilli(System.currentTimeMillis()).minus(Duration.ofHours(2));
    FeedbackTokens earlier =
        new FeedbackTokens(
            List.of(SIGNING_KEY.getBytes(StandardCharsets.UTF_8)),
            config.monitoring().feedbackRetention(),
            Clock.fixed(twoHoursAgo, ZoneOffset.UTC));
    String old = earlier.issue("penguins", 1, 0, twoHoursAgo.toEpochMilli());
    String fresh = earlier.issue("penguins", 1, 0, System.currentTimeMillis());

    assertError(
        feedback(b, "penguins", old, "\"Adelie\""),
        400,
        "token_expired",
        "expired at " + twoHoursAgo.plus(Duration.ofHours(1)));
    // The same key and form, issued now: accepted (so the refusal above was the age alone).
    assertThat(feedback(b, "penguins", fresh, "\"Adelie\"").status()).isEqualTo(200);
  }

  @Test
  void aTokenOfAnotherModelIsRefusedNamingIt() {
    String token = predict(a, "birds", ONE).at("/predictions/0/feedbackToken").asText();

    assertError(
        feedback(b, "penguins", token, "\"Adelie\""), 400, "token_model_mismatch", "model 'birds'");
    assertThat(feedback(b, "birds", token, "\"Adelie\"").status()).isEqualTo(200);
  }

  @Test
  void aLabelTheTaskCannotTakeIsRefusedAndTheTokenStaysGood() {
    String token = predict(a, "penguins", ONE).at("/predictions/1/feedbackToken").asText();

    assertError(
        feedback(b, "penguins", token, "\"Emperor\""),
        400,
        "invalid_request",
        "must be one of the classes");
    assertError(
        b.postJson(
            "/v1/models/penguins/feedback",
            "{\"token\": \"" + token + "\", \"requestId\": \"x\", \"label\": \"Adelie\"}",
            auth(APP)),
        400,
        "invalid_request",
        "not both");
    assertThat(feedback(b, "penguins", token, "\"Adelie\"").status()).isEqualTo(200);
  }

  @Test
  void onlyScoredInstancesOfVersionsThatTakeFeedbackCarryATokenAndInvalidOnesHaveNone() {
    JsonNode partial =
        predict(
            a,
            "penguins",
            "{\"instances\": [{\"Island\": \"Biscoe\", \"Beak Length (mm)\": 40},"
                + " {\"Island\": \"Biscoe\", \"Beak Length (mm)\": \"long\"}],"
                + " \"options\": {\"partial\": true}}");
    JsonNode old = predict(a, "old", ONE);

    assertThat(partial.at("/predictions/0/feedbackToken").isTextual()).isTrue();
    assertThat(partial.at("/predictions/1/error").isObject()).isTrue();
    assertThat(partial.at("/predictions/1").has("feedbackToken")).isFalse();
    assertThat(old.at("/predictions/0").has("feedbackToken")).isFalse();
  }

  @Test
  void oneRequestIdUsedForTwoModelsReachesBothByRequestId() {
    Reply penguins = b.postJson("/v1/models/penguins:predict", ONE, headers(APP, "trace-42"));
    Reply birds = b.postJson("/v1/models/birds:predict", ONE, headers(APP, "trace-42"));
    assertThat(penguins.requestId()).isEqualTo("trace-42").isEqualTo(birds.requestId());

    Reply first = byRequestId(b, "penguins", "trace-42", APP);
    Reply second = byRequestId(b, "birds", "trace-42", APP);

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().get("model").asText()).isEqualTo("penguins");
    assertThat(first.json().get("id").asText()).isEqualTo("trace-42#0");
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(second.json().get("model").asText()).isEqualTo("birds");
  }

  @Test
  void anotherKeyCannotGiveFeedbackOnAKeysPredictionsByRequestId() {
    assertThat(b.postJson("/v1/models/penguins:predict", ONE, headers(APP, "trace-43")).status())
        .isEqualTo(200);

    assertError(
        byRequestId(b, "penguins", "trace-43", INTRUDER),
        404,
        "request_id_not_found",
        "key 'intruder'");
    assertThat(byRequestId(b, "penguins", "trace-43", APP).status()).isEqualTo(200);
  }

  @Test
  void memoryUnderThousandInstanceBatchesIsBoundedByTheByteCap() {
    StringBuilder body = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < 1000; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"Island\": \"Dream\", \"Beak Length (mm)\": ")
          .append(35 + i % 20)
          .append('}');
    }
    String batch = body.append("]}").toString();
    double highest = 0;
    for (int r = 0; r < 20; r++) {
      Reply reply = a.postJson("/v1/models/penguins:predict", batch, headers(APP, "batch-" + r));
      assertThat(reply.status()).isEqualTo(200);
      highest = Math.max(highest, ledgerBytes());
    }

    double bytes = ledgerBytes();
    double requests =
        MetricsTest.value(
            a.get("/metrics", auth(OPS)).body(), "mlp_feedback_ledger_requests", Map.of());
    assertThat(highest).isLessThanOrEqualTo(MAX_BYTES);
    // Full, not empty: the newest batches are kept, about 12 KB each.
    assertThat(bytes).isGreaterThan(MAX_BYTES - 13_000);
    assertThat(requests).isBetween(7.0, 8.0);
    assertThat(byRequestId(a, "penguins", "batch-19", APP, 999).status()).isEqualTo(200);
    assertThat(byRequestId(a, "penguins", "batch-0", APP, 0).status()).isEqualTo(404);
  }

  @Test
  void replicasWithoutAConfiguredKeyVerifyOnlyTheirOwnTokens() {
    ServingConfig unkeyed =
        config.withMonitoring(
            config.monitoring().withFeedbackSigningKeys(FeedbackSigningKeys.NONE));
    try (HttpFixture c = new HttpFixture(app(unkeyed, registryA));
        HttpFixture d = new HttpFixture(app(unkeyed, registryB))) {
      String token = predict(c, "penguins", ONE).at("/predictions/0/feedbackToken").asText();

      assertError(
          feedback(d, "penguins", token, "\"Adelie\""),
          400,
          "invalid_token_signature",
          "share feedbackSigningKey");
      assertThat(feedback(c, "penguins", token, "\"Adelie\"").status()).isEqualTo(200);
    }
  }

  private static double ledgerBytes() {
    return MetricsTest.value(
        a.get("/metrics", auth(OPS)).body(), "mlp_feedback_ledger_bytes", Map.of());
  }

  private static ModelRegistry registry(ModelStore store) {
    ModelRegistry registry =
        Fixtures.registry(store, Fixtures.mleap(), config, new ServingMetrics());
    registry.refresh();
    return registry;
  }

  private static Javalin app(ServingConfig config, ModelRegistry registry) {
    return ServingApp.create(
            config, registry, new ServingMetrics(), new AccessLog(0, l -> {}), new Drain())
        .start();
  }

  private static JsonNode predict(HttpFixture replica, String model, String body) {
    Reply reply = replica.postJson("/v1/models/" + model + ":predict", body, auth(APP));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static Reply feedback(HttpFixture replica, String model, String token, String label) {
    return replica.postJson(
        "/v1/models/" + model + "/feedback",
        "{\"token\": \"" + token + "\", \"label\": " + label + "}",
        auth(APP));
  }

  private static Reply byRequestId(HttpFixture replica, String model, String id, String key) {
    return byRequestId(replica, model, id, key, 0);
  }

  private static Reply byRequestId(
      HttpFixture replica, String model, String id, String key, int index) {
    return replica.postJson(
        "/v1/models/" + model + "/feedback",
        "{\"requestId\": \"" + id + "\", \"index\": " + index + ", \"label\": \"Adelie\"}",
        auth(key));
  }

  private static long feedbackCount(HttpFixture replica) {
    Reply reply = replica.get("/v1/models/penguins/monitoring", auth(APP));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().at("/feedback/count").asLong();
  }

  private static String[] auth(String key) {
    return new String[] {"Authorization", "Bearer " + key};
  }

  private static String[] headers(String key, String requestId) {
    return new String[] {"Authorization", "Bearer " + key, "X-Request-Id", requestId};
  }

  private static void assertError(Reply reply, int status, String kind, String message) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).isEqualTo(kind);
    assertThat(reply.json().get("message").asText()).contains(message);
  }
}
