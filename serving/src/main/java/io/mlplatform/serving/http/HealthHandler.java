package io.mlplatform.serving.http;

import io.javalin.http.Context;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import java.util.Map;
import java.util.TreeMap;

/**
 * Probes for orchestrators. Bodies hold a status word and, when not ready, which models have no
 * version serving with a short reason (no store paths or messages: probes are often exposed more
 * widely than the API; the details belong to {@code GET /v1/models/{name}}).
 */
final class HealthHandler {

  private final ModelRegistry registry;
  private final Drain drain;

  HealthHandler(ModelRegistry registry, Drain drain) {
    this.registry = registry;
    this.drain = drain;
  }

  /**
   * 200 whenever the process can answer at all, draining included: restarting it would not help.
   */
  void live(Context ctx) {
    ctx.json(Map.of("status", "UP"));
  }

  /**
   * 200 while every model in the store has a version serving and the process is not shutting down;
   * a store that became unreachable does not change it (loaded models keep serving).
   */
  void ready(Context ctx) {
    boolean ready = !drain.draining() && registry.ready();
    if (ready || drain.draining()) {
      ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "READY" : "NOT_READY"));
      return;
    }
    Map<String, String> missing = new TreeMap<>();
    registry.notReady().forEach((name, why) -> missing.put(name, brief(why)));
    ctx.status(503).json(Map.of("status", "NOT_READY", "missing", missing));
  }

  /**
   * "v3 unavailable: I/O error, retrying: hdfs://..." becomes "v3 unavailable: I/O error,
   * retrying".
   */
  static String brief(String reason) {
    int first = reason.indexOf(": ");
    int second = first < 0 ? -1 : reason.indexOf(": ", first + 2);
    return second < 0 ? reason : reason.substring(0, second);
  }
}
