package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.mlplatform.serving.Service;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real server on a free port and a client for it; close it after the tests. */
final class HttpFixture implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final Runnable stop;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  HttpFixture(ServingConfig config, ModelRegistry registry) {
    this(ServingApp.create(config.withPort(0), registry).start());
  }

  HttpFixture(Javalin app) {
    this.port = app.port();
    this.stop = app::stop;
  }

  HttpFixture(Service service) {
    this.port = service.port();
    this.stop = service::shutdown;
  }

  /** A response with its body parsed; {@code json} is null when the body is not JSON. */
  record Reply(
      int status,
      String requestId,
      String contentType,
      String body,
      JsonNode json,
      HttpResponse<String> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  /** {@code headers} are name, value pairs. */
  Reply get(String path, String... headers) {
    return send(HttpRequest.newBuilder(uri(path)).headers(headers(headers)).GET().build());
  }

  Reply postJson(String path, String body, String... headers) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .headers(headers(headers))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
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
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("X-Request-Id").orElse(null),
          response.headers().firstValue("Content-Type").orElse(null),
          response.body(),
          json,
          response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  int port() {
    return port;
  }

  private static String[] headers(String[] pairs) {
    // HttpRequest.Builder.headers() refuses an empty array.
    return pairs.length == 0 ? new String[] {"X-Test", "1"} : pairs;
  }

  @Override
  public void close() {
    stop.run();
  }
}
