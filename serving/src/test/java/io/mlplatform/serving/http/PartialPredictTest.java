package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lenient inputs and {@code "options": {"partial": true}} through a real server scoring the real
 * classifier bundle.
 */
class PartialPredictTest {

  private static final String PREDICT = "/v1/models/penguins:predict";
  private static final String GOOD = "{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}";
  @TempDir static Path dir;
  private static ModelRegistry registry;
  private static HttpFixture server;

  @BeforeAll
  static void start() {
    registry = new ModelRegistry(Fixtures.storeWithBothModels(dir), Fixtures.mleap());
    registry.loadAll();
    server = new HttpFixture(Fixtures.config(), registry);
  }

  @AfterAll
  static void stop() {
    server.close();
    registry.close();
  }

  @Test
  void aNumericStringScoresLikeTheNumberAndAnIntegerIslandLikeItsDigits() {
    Reply asNumbers =
        server.postJson(
            PREDICT,
            "{\"instances\": [" + GOOD + ", {\"Island\": \"1776\", \"Beak Length (mm)\": 40}]}");
    Reply asSent =
        server.postJson(
            PREDICT,
            "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": \" 39.1 \"}, {\"Island\": 1776, \"Beak Length (mm)\": \"4e1\"}]}");

    assertThat(asNumbers.status()).isEqualTo(200);
    assertThat(asSent.status()).isEqualTo(200);
    assertThat(asSent.json().get("predictions")).isEqualTo(asNumbers.json().get("predictions"));
  }

  @Test
  void withoutTheOptionOneBadInstanceFailsTheRequest() {
    Reply reply =
        server.postJson(
            PREDICT,
            "{\"instances\": ["
                + GOOD
                + ", {\"Island\": \"Dream\", \"Beak Length (mm)\": \"long\"}]}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("message").asText()).isEqualTo("1 of 2 instance(s) are invalid");
  }

  @Test
  void partialAnswersEveryGoodInstanceAndAnErrorInPlaceOfEachBadOne() {
    Reply all = server.postJson(PREDICT, "{\"instances\": [" + GOOD + ", " + GOOD + "]}");
    Reply reply =
        server.postJson(
            PREDICT,
            "{\"options\": {\"partial\": true}, \"instances\": ["
                + GOOD
                + ", "
                + "{\"Island\": [\"Dream\"], \"Beak Length (mm)\": \"long\"}, {\"Island\": \"Dream\"}, "
                + GOOD
                + "]}");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode predictions = reply.json().get("predictions");
    assertThat(predictions).hasSize(4);
    assertThat(predictions.get(0)).isEqualTo(all.json().get("predictions").get(0));
    assertThat(predictions.get(3)).isEqualTo(all.json().get("predictions").get(1));
    assertThat(predictions.get(1).toString())
        .isEqualTo(
            "{\"error\":{\"error\":\"invalid_request\","
                + "\"message\":\"instance 1 is invalid\",\"details\":["
                + "{\"index\":1,\"field\":\"Island\",\"reason\":\"must be a string, got array\"},"
                + "{\"index\":1,\"field\":\"Beak Length (mm)\",\"reason\":\"must be a number, got a string that is not one\"}]}}");
    assertThat(predictions.get(2).get("error").get("details").toString())
        .isEqualTo("[{\"index\":2,\"field\":\"Beak Length (mm)\",\"reason\":\"is required\"}]");
    assertThat(reply.body()).doesNotContain("long");
  }

  @Test
  void partialWithEveryInstanceBadStillAnswers200() {
    Reply reply =
        server.postJson(PREDICT, "{\"options\": {\"partial\": true}, \"instances\": [{}]}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("predictions").get(0).get("error").get("details")).hasSize(2);
  }

  @Test
  void aBadOptionOrBodyIsStillA400() {
    Reply option =
        server.postJson(
            PREDICT, "{\"options\": {\"partial\": \"yes\"}, \"instances\": [" + GOOD + "]}");
    Reply body = server.postJson(PREDICT, "{\"options\": {\"partial\": true}, \"instances\": []}");

    assertThat(option.status()).isEqualTo(400);
    assertThat(option.json().get("details").toString())
        .isEqualTo(
            "[{\"field\":\"options.partial\",\"reason\":\"must be true or false, got string\"}]");
    assertThat(body.status()).isEqualTo(400);
    assertThat(body.json().get("details").get(0).get("reason").asText())
        .isEqualTo("must not be empty");
  }
}
