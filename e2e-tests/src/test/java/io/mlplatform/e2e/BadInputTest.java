package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.Staging;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad requests against the real trained bundle get a 4xx JSON error naming the field and the
 * problem, never a 5xx or a stack trace. The trained manifest fills every null, so a copy of the
 * same bundle, "penguins-strict", declares its inputs non-nullable to exercise required fields.
 */
class BadInputTest {

  private static final String STRICT = "penguins-strict";
  @TempDir static Path dir;
  private static ServingServer server;
  private static Manifest manifest;
  private static Map<String, Object> validInstance;
  private Reply last;

  @BeforeAll
  static void start() {
    ModelStore trained = ModelStore.open(TrainedStore.penguins().toString());
    int version = trained.latestVersion("penguins").orElseThrow();
    manifest = trained.manifest("penguins", version);
    validInstance = new LinkedHashMap<>(trained.referenceRows("penguins", version).get(0).input());
    validInstance.replaceAll((name, value) -> value != null ? value : fillOf(name));
    Path bundle = dir.resolve("bundle.zip");
    trained.copyBundleTo("penguins", version, bundle);

    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    publish(store, manifest, bundle);
    List<InputField> required =
        manifest.inputs().stream()
            .map(f -> new InputField(f.name(), f.type(), false, null))
            .toList();
    publish(
        store,
        new Manifest(
            manifest.formatVersion(),
            STRICT,
            0,
            manifest.createdAt(),
            manifest.task(),
            required,
            manifest.outputs(),
            manifest.metrics(),
            manifest.spec(),
            manifest.sparkVersion(),
            manifest.mleapVersion(),
            manifest.lineage()),
        bundle);
    server = new ServingServer(dir.resolve("store").toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Whatever the test sent: no 5xx, a request id, and nothing that looks like a stack trace. */
  @AfterEach
  void noServerErrorsOrStackTraces() {
    assertThat(last).isNotNull();
    assertThat(last.status()).isLessThan(500);
    assertThat(last.requestId()).isNotBlank();
    assertThat(last.body()).doesNotContain("at io.", "\tat ", "Exception", "ml.combust", "scala.");
  }

  @Test
  void validInstanceIsAccepted() {
    assertThat(predict("penguins", instances(validInstance)).status()).isEqualTo(200);
    assertThat(predict(STRICT, instances(validInstance)).status()).isEqualTo(200);
  }

  @Test
  void unknownModelIs404() {
    Reply reply = predict("no-such-model", instances(validInstance));

    assertError(reply, 404, "model_not_found");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"instances\": [", "instances", "{\"instances\": [{}]} trailing"})
  void malformedJsonIs400(String body) {
    Reply reply = remember(server.postJson("/v1/models/penguins:predict", body));

    assertError(reply, 400, "invalid_request");
    assertThat(reply.json().get("message").asText()).startsWith("request body is not valid JSON");
  }

  @Test
  void missingRequiredFieldNamesIt() {
    String field = manifest.inputs().get(0).name();
    Map<String, Object> instance = new LinkedHashMap<>(validInstance);
    instance.remove(field);

    Reply reply = predict(STRICT, instances(validInstance, instance));

    assertDetail(reply, 1, field, "is required");
  }

  @Test
  void absentFieldIsAnErrorEvenWhereNullWouldBeFilled() {
    // A misspelt field name must not be silently replaced by the training-time fill.
    String field = manifest.inputs().get(0).name();
    Map<String, Object> instance = new LinkedHashMap<>(validInstance);
    instance.put(field.toLowerCase(java.util.Locale.ROOT), instance.remove(field));

    Reply reply = predict("penguins", instances(instance));

    assertDetail(reply, 0, field, "is required (send null when the value is unknown)");
  }

  @Test
  void nullWhereNotAllowedNamesIt() {
    String field = manifest.inputs().get(manifest.inputs().size() - 1).name();
    Map<String, Object> instance = new LinkedHashMap<>(validInstance);
    instance.put(field, null);

    Reply reply = predict(STRICT, instances(instance));

    assertDetail(reply, 0, field, "must not be null");
  }

  @Test
  void wrongTypesNameEveryField() {
    Map<String, Object> instance = new LinkedHashMap<>(validInstance);
    // Neither is something Spark's reader turned into the column's type (README, "Input types
    // accepted").
    manifest
        .inputs()
        .forEach(
            f -> instance.put(f.name(), f.type().name().equals("DOUBLE") ? "12,5" : List.of("x")));

    Reply reply = predict("penguins", instances(validInstance, validInstance, instance));

    assertError(reply, 400, "invalid_request");
    assertThat(reply.json().get("details")).hasSize(manifest.inputs().size());
    for (int i = 0; i < manifest.inputs().size(); i++) {
      InputField field = manifest.inputs().get(i);
      assertThat(reply.json().get("details").get(i).get("index").asInt()).isEqualTo(2);
      assertThat(reply.json().get("details").get(i).get("field").asText()).isEqualTo(field.name());
      assertThat(reply.json().get("details").get(i).get("reason").asText())
          .isEqualTo(
              field.type().name().equals("DOUBLE")
                  ? "must be a number, got a string that is not one"
                  : "must be a string, got array");
    }
  }

  @Test
  void emptyInstancesIs400() {
    Reply reply = predict("penguins", Map.of("instances", List.of()));

    assertDetailWithoutIndex(reply, "instances", "must not be empty");
  }

  @Test
  void oversizedBodyIs413() {
    byte[] big =
        ("{\"instances\": [" + "{}, ".repeat(300_000) + "{}]}").getBytes(StandardCharsets.UTF_8);

    Reply reply =
        remember(
            server.send(
                HttpRequest.newBuilder(server.uri("/v1/models/penguins:predict"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(big)))
                    .build()));

    assertError(reply, 413, "payload_too_large");
  }

  @Test
  void wrongContentTypeIs415() {
    Reply reply =
        remember(
            server.send(
                HttpRequest.newBuilder(server.uri("/v1/models/penguins:predict"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": []}"))
                    .build()));

    assertError(reply, 415, "unsupported_media_type");
  }

  private Reply predict(String model, Object body) {
    return remember(server.postJson("/v1/models/" + model + ":predict", body));
  }

  private Reply remember(Reply reply) {
    last = reply;
    return reply;
  }

  @SafeVarargs
  private static Map<String, Object> instances(Map<String, Object>... instances) {
    return Map.of("instances", List.of(instances));
  }

  private static void assertError(Reply reply, int status, String kind) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).isEqualTo(kind);
    assertThat(reply.json().get("message").asText()).isNotBlank();
    assertThat(reply.json().get("requestId").asText()).isEqualTo(reply.requestId());
  }

  private static void assertDetail(Reply reply, int index, String field, String reason) {
    assertError(reply, 400, "invalid_request");
    assertThat(reply.json().get("details")).hasSize(1);
    assertThat(reply.json().get("details").get(0).get("index").asInt()).isEqualTo(index);
    assertThat(reply.json().get("details").get(0).get("field").asText()).isEqualTo(field);
    assertThat(reply.json().get("details").get(0).get("reason").asText()).isEqualTo(reason);
  }

  private static void assertDetailWithoutIndex(Reply reply, String field, String reason) {
    assertError(reply, 400, "invalid_request");
    assertThat(reply.json().get("details")).hasSize(1);
    assertThat(reply.json().get("details").get(0).has("index")).isFalse();
    assertThat(reply.json().get("details").get(0).get("field").asText()).isEqualTo(field);
    assertThat(reply.json().get("details").get(0).get("reason").asText()).isEqualTo(reason);
  }

  private static Object fillOf(String name) {
    return manifest.inputs().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow()
        .fill();
  }

  private static void publish(ModelStore store, Manifest version, Path bundle) {
    Staging staging = store.stage(version.model());
    staging.putFile(Layout.BUNDLE, bundle);
    // A hand-made copy for serving carries the bundle only; serving never reads the Spark-native
    // model.
    store.publish(staging, version.withSparkModel(null));
  }
}
