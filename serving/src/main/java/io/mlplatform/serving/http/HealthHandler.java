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
  private final Drain drain;

  HealthHandler(ModelRegistry registry, Drain drain) {
    this.registry = registry;
    this.drain = drain;
  }

  /** 200 whenever the process can answer at all, draining included: restarting it would not help. */
  void live(Context ctx) {
    ctx.json(Map.of("status", "UP"));
  }

  /**
   * 200 while every model in the store has a version serving and the process is not shutting down;
   * a store that became unreachable does not change it (loaded models keep serving).
   */
  void ready(Context ctx) {
    boolean ready = !drain.draining() && registry.ready();
    ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "READY" : "NOT_READY"));
  }
}
