package io.mlplatform.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.http.HttpFixture.Reply;
import io.mlplatform.serving.lifecycle.FakeLoader;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document is a hand-written resource; this keeps it equal to the routes the app has.
 */
class OpenApiTest {

  @TempDir static Path dir;
  private static ModelRegistry registry;
  private static Javalin app;
  private static HttpFixture server;

  @BeforeAll
  static void start() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    registry = Fixtures.registry(store, new FakeLoader(), Fixtures.fakeConfig(), ModelEvents.NONE);
    registry.refresh();
    app = ServingApp.create(Fixtures.fakeConfig(), registry).start();
    server = new HttpFixture(app);
  }

  @AfterAll
  static void stop() {
    server.close();
    registry.close();
  }

  @Test
  void documentsExactlyTheRoutesTheServerHas() {
    Reply reply = server.get("/openapi.json");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    JsonNode doc = reply.json();
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    Set<String> documented = new TreeSet<>();
    for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
      String path = paths.next();
      doc.get("paths")
          .get(path)
          .fieldNames()
          .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path));
    }
    Set<String> routes = new TreeSet<>();
    app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(h -> h.endpoint)
        .filter(
            e ->
                e.method.isHttpMethod()
                    && e.method != HandlerType.HEAD
                    && e.method != HandlerType.OPTIONS)
        .forEach(e -> routes.add(e.method.name() + " " + e.path));

    assertThat(documented).isEqualTo(routes);
  }

  @Test
  void theErrorShapeListsEveryErrorCodeTheServerAnswers() {
    JsonNode codes =
        server.get("/openapi.json").json().at("/components/schemas/Error/properties/error/enum");
    Set<String> listed = new TreeSet<>();
    codes.forEach(c -> listed.add(c.asText()));

    assertThat(listed)
        .isEqualTo(
            new TreeSet<>(
                java.util.Arrays.stream(ErrorKind.values()).map(ErrorKind::code).toList()));
  }

  @Test
  void everyReferenceResolvesAndEveryOperationSaysWhatItAnswers() {
    JsonNode doc = server.get("/openapi.json").json();
    String text = doc.toString();
    java.util.regex.Matcher refs =
        java.util.regex.Pattern.compile("\"\\$ref\":\"#/([^\"]+)\"").matcher(text);
    while (refs.find()) {
      assertThat(doc.at("/" + refs.group(1)).isMissingNode()).as(refs.group(1)).isFalse();
    }
    doc.get("paths")
        .forEach(
            path ->
                path.forEach(
                    operation -> {
                      assertThat(operation.has("operationId")).isTrue();
                      assertThat(operation.get("responses").size()).isPositive();
                    }));
  }
}
