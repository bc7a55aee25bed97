package io.mlplatform.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.config.SelfTestMode;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.ServingApp;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The real serving app, as Main wires it, on a free port over a store; close it after the tests.
 */
final class ServingServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final ModelRegistry registry;
  private final Javalin app;
  private final ServiceClient client;

  ServingServer(String storeUri) {
    // No auth (the tests are about scoring); reference rows are checked where a version has them
    // (hand-made copies in BadInputTest have none).
    ServingConfig local = ServingConfig.local();
    ModelsSection m = local.models();
    ServingConfig config =
        local
            .withStore(storeUri)
            .withPort(0)
            .withModels(
                new ModelsSection(
                    m.pollInterval(),
                    SelfTestMode.IF_PRESENT,
                    m.selfTestTolerance(),
                    m.warmupRows(),
                    m.maxBundleBytes(),
                    m.maxBundleEntries()));
    this.registry =
        new ModelRegistry(
            ModelStore.open(config.store()),
            new MleapModelLoader(BundleArchive.withDefaultLimits()),
            config.models(),
            config.fallback(),
            ModelEvents.NONE);
    registry.loadAll();
    this.app = ServingApp.create(config, registry).start();
    this.client = new ServiceClient(app.port());
  }

  /**
   * The predictions of an answer as text, without their feedback tokens: two answers to the same
   * rows are the same answer even though each prediction gets a token of its own.
   */
  static String answers(JsonNode predictions) {
    JsonNode copy = predictions.deepCopy();
    for (JsonNode prediction : copy) {
      if (prediction instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
        object.remove("feedbackToken");
      }
    }
    return copy.toString();
  }

  /** A response with its body parsed; {@code json} is null when the body is not JSON. */
  record Reply(int status, String requestId, String body, JsonNode json) {}

  Reply get(String path) {
    return client.get(path);
  }

  Reply postJson(String path, String body) {
    return client.postJson(path, body);
  }

  Reply postJson(String path, Object body) {
    try {
      return client.postJson(path, JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Reply send(HttpRequest request) {
    return client.send(request);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }

  ModelRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    app.stop();
    registry.close();
  }
}
