package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.model.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A real server on a free port and a client for it; close it after the tests. */
final class HttpFixture implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Javalin app;
  private final HttpClient client = HttpClient.newHttpClient();

  HttpFixture(ServingConfig config, ModelRegistry registry) {
    this.app = ServingApp.create(config.withPort(0), registry).start();
  }

  /** A response with its body parsed; {@code json} is null when the body is not JSON. */
  record Reply(int status, String requestId, String contentType, String body, JsonNode json) {}

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  Reply postJson(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (IOException e) {
        json = null;
      }
      return new Reply(response.statusCode(), response.headers().firstValue("X-Request-Id").orElse(null),
          response.headers().firstValue("Content-Type").orElse(null), response.body(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }

  @Override
  public void close() {
    app.stop();
  }
}
