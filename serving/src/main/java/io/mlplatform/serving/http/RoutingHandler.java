package io.mlplatform.serving.http;

import io.javalin.http.Context;
import io.mlplatform.serving.config.RuleParser;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.routing.Candidate;
import io.mlplatform.serving.routing.Router;

/**
 * {@code GET/PUT/DELETE /v1/admin/models/{name}/routing}: read, set and remove a model's canary or
 * shadow rule at runtime. Changes live in this process only, like pins.
 */
final class RoutingHandler {

  private final ModelRegistry registry;
  private final Router router;
  private final JsonBodies bodies;

  RoutingHandler(ModelRegistry registry, Router router, JsonBodies bodies) {
    this.registry = registry;
    this.router = router;
    this.bodies = bodies;
  }

  void get(Context ctx) {
    ctx.json(router.view(PathParams.entry(registry, ctx)));
  }

  /**
   * The candidate must be able to serve now (checked by leasing it like the version and alias
   * routes do), so a typo answers 404 here instead of silently sending the share to the primary.
   */
  void put(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    RuleParser.Result result = RuleParser.rule(bodies.read(ctx));
    if (result.rule() == null) {
      throw new ApiException(
          ErrorKind.INVALID_REQUEST,
          "body must be a routing rule such as {\"mode\": \"canary\","
              + " \"candidate\": \"staging\", \"share\": 0.1} or {\"mode\": \"shadow\", \"candidate\": 3}",
          result.problems());
    }
    try (Lease ignored = registry.lease(entry.name(), Candidate.selector(result.rule()))) {
      router.put(entry.name(), result.rule());
    }
    ctx.json(router.view(PathParams.entry(registry, ctx)));
  }

  void delete(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    router.remove(entry.name());
    ctx.json(router.view(entry));
  }
}
