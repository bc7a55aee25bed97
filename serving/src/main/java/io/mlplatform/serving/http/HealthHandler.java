package io.mlplatform.serving.http;

import io.javalin.http.Context;
import io.mlplatform.serving.model.ModelRegistry;
import java.util.Map;

/**
 * Probes for orchestrators. Bodies hold one status word and nothing else: probes are often exposed
 * more widely than the API, and model names or load errors belong to {@code GET /v1/models}.
 */
final class HealthHandler {

  private final ModelRegistry registry;

  HealthHandler(ModelRegistry registry) {
    this.registry = registry;
  }

  /** 200 whenever the process can answer at all. */
  void live(Context ctx) {
    ctx.json(Map.of("status", "UP"));
  }

  /** 200 once every model in the store loaded, else 503 so that traffic is held back. */
  void ready(Context ctx) {
    boolean ready = registry.ready();
    ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "READY" : "NOT_READY"));
  }
}
