package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.config.UnknownFields;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.scoring.ModelLoadException;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.storage.ModelStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every error kind through a real server. The models are stand-ins so that each failure can be
 * provoked: "penguins" scores zeros, "exploding" throws, "broken" never loads.
 */
class ErrorResponsesTest {

  private static final String VALID =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}";
  private static final String SECRET = "secret detail at io.mlplatform.Secret";
  @TempDir static Path dir;
  private static ModelRegistry registry;
  private static HttpFixture server;

  @BeforeAll
  static void start() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Path zip = Fixtures.zipBundle("penguins-logistic", dir.resolve("b.zip"));
    for (String name : List.of("penguins", "exploding", "broken")) {
      Fixtures.publish(
          store,
          Fixtures.manifest(
              name,
              Fixtures.classifierManifest().task(),
              Fixtures.classifierManifest().inputs(),
              Fixtures.classifierManifest().outputs()),
          zip);
    }
    ScoringModelLoader loader =
        (manifest, bundle) ->
            switch (manifest.model()) {
              case "broken" ->
                  throw new ModelLoadException("bundle does not fit its manifest: test");
              case "exploding" -> model(true);
              default -> model(false);
            };
    registry = Fixtures.registry(store, loader, Fixtures.config(), ModelEvents.NONE);
    registry.loadAll();
    server =
        new HttpFixture(
            Fixtures.config().withLimits(5, 2_000).withUnknownFields(UnknownFields.REJECT),
            registry);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void unknownModelIs404() {
    Reply reply = check(server.postJson("/v1/models/nope:predict", VALID), 404, "model_not_found");

    assertThat(reply.json().get("message").asText()).isEqualTo("model 'nope' not found");
  }

  @Test
  void unknownRouteIs404Json() {
    check(server.get("/v2/anything"), 404, "not_found");
    check(
        server.send(HttpRequest.newBuilder(server.uri("/v1/models")).DELETE().build()),
        404,
        "not_found");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{",
        "{\"instances\": [}",
        "nope",
        "{\"instances\": []} []",
        "{\"a\": 1, \"a\": 2}"
      })
  void malformedJsonIs400WithoutEchoingIt(String body) {
    Reply reply =
        check(server.postJson("/v1/models/penguins:predict", body), 400, "invalid_request");

    assertThat(reply.json().get("message").asText()).startsWith("request body is not valid JSON");
  }

  @Test
  void validationErrorsNameEveryInstanceAndField() {
    Reply reply =
        check(
            server.postJson(
                "/v1/models/penguins:predict",
                """
        {"instances": [{"Island": [1], "Beak Length (mm)": "long"}, {"Island": "Dream"}, {"Beak Length (mm)": 1, "Island": null, "x": 2}]}
        """),
            400,
            "invalid_request");

    assertThat(reply.json().get("details").toString())
        .isEqualTo(
            "["
                + "{\"index\":0,\"field\":\"Island\",\"reason\":\"must be a string, got array\"},"
                + "{\"index\":0,\"field\":\"Beak Length (mm)\",\"reason\":\"must be a number, got a string that is not one\"},"
                + "{\"index\":1,\"field\":\"Beak Length (mm)\",\"reason\":\"is required\"},"
                + "{\"index\":2,\"field\":\"x\",\"reason\":\"is not an input of this model\"}]");
    assertThat(reply.body()).doesNotContain("long");
  }

  @Test
  void tooManyInstancesIs400() {
    String six = "{\"instances\": [" + "{}, ".repeat(5) + "{}]}";

    Reply reply =
        check(server.postJson("/v1/models/penguins:predict", six), 400, "invalid_request");

    assertThat(reply.json().get("details").get(0).get("reason").asText()).contains("at most 5");
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "NONE",
      value = {
        "NONE",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=ISO-8859-1",
        "application/jsonp"
      })
  void wrongContentTypeIs415(String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri("/v1/models/penguins:predict"))
            .POST(HttpRequest.BodyPublishers.ofString(VALID));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }

    check(server.send(request.build()), 415, "unsupported_media_type");
  }

  @Test
  void jsonWithUtf8CharsetIsAccepted() {
    Reply reply =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/models/penguins:predict"))
                .header("Content-Type", "Application/JSON; charset=\"UTF-8\"")
                .POST(HttpRequest.BodyPublishers.ofString(VALID))
                .build());

    assertThat(reply.status()).isEqualTo(200);
  }

  @Test
  void bodyOverTheLimitIs413WithOrWithoutContentLength() {
    byte[] big =
        ("{\"instances\": [" + "{}, ".repeat(1000) + "{}]}").getBytes(StandardCharsets.UTF_8);

    check(
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/models/penguins:predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                .build()),
        413,
        "payload_too_large");
    // An InputStream publisher sends chunked, with no Content-Length to check up front.
    check(
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/models/penguins:predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build()),
        413,
        "payload_too_large");
  }

  /** Jetty rejects these before Javalin runs; the answer must still be the API's JSON error. */
  @ParameterizedTest
  @CsvSource({
    "/%zz, '', HTTP/1.1, 400",
    "/health/live, X-Big, HTTP/1.1, 431",
    "/health/live, '', HTTP/9.9, 400"
  })
  void errorsRaisedByJettyItselfAreJsonToo(
      String path, String bigHeader, String version, int status) throws IOException {
    String request =
        "GET "
            + path
            + " "
            + version
            + "\r\nHost: localhost\r\nConnection: close\r\n"
            + (bigHeader.isEmpty() ? "" : bigHeader + ": " + "a".repeat(20_000) + "\r\n")
            + "\r\n";
    String response;
    try (Socket socket = new Socket("127.0.0.1", server.uri("/").getPort())) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(response)
        .startsWith("HTTP/1.1 " + status + " ")
        .containsIgnoringCase("X-Request-Id: ")
        .containsIgnoringCase("Content-Type: application/json")
        .contains("{\"error\":\"invalid_request\"")
        .doesNotContain("<html");
  }

  @Test
  void unexpectedFailureIs500WithOnlyARequestId() {
    Reply reply =
        check(server.postJson("/v1/models/exploding:predict", VALID), 500, "internal_error");

    assertThat(reply.body()).doesNotContain("secret", "Secret", "IllegalStateException");
  }

  @Test
  void modelThatFailedToLoadIs503AndMakesTheServiceUnready() {
    check(server.postJson("/v1/models/broken:predict", VALID), 503, "model_unavailable");

    Reply ready = server.get("/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    // Says which model is missing and why, briefly: the refusal's details stay behind the API.
    assertThat(ready.json().get("status").asText()).isEqualTo("NOT_READY");
    assertThat(ready.json().get("missing").get("broken").asText()).isEqualTo("v1 refused: bundle");
    assertThat(server.get("/health/live").status()).isEqualTo(200);
    JsonNode detail = server.get("/v1/models/broken").json();
    assertThat(detail.get("state").asText()).isEqualTo("FAILED");
    assertThat(detail.get("error").asText()).contains("does not fit its manifest");
    assertThat(detail.has("loadedVersion")).isFalse();
    assertThat(detail.get("latestVersion").asInt()).isEqualTo(1);
  }

  /** Asserts the status and the error body's shape; no body may look like a stack trace. */
  private static Reply check(Reply reply, int status, String kind) {
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.json().get("error").asText()).isEqualTo(kind);
    assertThat(reply.json().get("message").asText()).isNotBlank();
    assertThat(reply.json().get("details").isArray()).isTrue();
    assertThat(reply.json().get("requestId").asText()).isEqualTo(reply.requestId()).isNotBlank();
    assertThat(reply.body()).doesNotContain("\tat ", "at io.", "Exception", SECRET);
    return reply;
  }

  private static ScoringModel model(boolean explode) {
    return new ScoringModel() {
      @Override
      public List<Score> score(List<Object[]> rows) {
        if (explode) {
          throw new IllegalStateException(SECRET);
        }
        return rows.stream().map(r -> new Score(0.0, new double[] {1.0, 0.0, 0.0})).toList();
      }

      @Override
      public void close() {}
    };
  }
}
