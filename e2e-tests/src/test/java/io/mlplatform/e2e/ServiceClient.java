package io.mlplatform.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A client for a service started on some port (ServingServer starts its own). */
final class ServiceClient implements AutoCloseable {

  private final int port;
  private final HttpClient client = HttpClient.newHttpClient();

  ServiceClient(int port) {
    this.port = port;
  }

  Reply get(String path, String... headers) {
    return send(request(path, headers).GET().build());
  }

  Reply postJson(String path, String body, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder;
  }

  Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = ServingServer.JSON.readTree(response.body());
      } catch (IOException e) {
        json = null;
      }
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("X-Request-Id").orElse(null),
          response.body(),
          json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    // HttpClient has no close() before Java 21; its threads are daemons.
  }
}
