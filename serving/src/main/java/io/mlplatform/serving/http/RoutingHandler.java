package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mlplatform.serving.config.RuleParser;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.routing.Candidate;
import io.mlplatform.serving.routing.Router;
import io.mlplatform.serving.validation.Violation;
import java.util.List;

/**
 * {@code GET/PUT/DELETE /v1/admin/models/{name}/routing}: read, set and remove a model's canary or
 * shadow rule at runtime. Changes are written to the model store ({@code runtime/routing.json}),
 * which every replica applies at its next poll and this one at once; they override the config
 * file's rule.
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
   * The body is the rule, plus an optional {@code reason} for the history.
   */
  void put(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    JsonNode body = bodies.read(ctx);
    String reason = null;
    if (body instanceof ObjectNode object && object.has("reason")) {
      JsonNode why = object.remove("reason");
      if (!why.isNull() && (!why.isTextual() || why.asText().isBlank())) {
        throw new ApiException(
            ErrorKind.INVALID_REQUEST,
            "reason must be a non-empty string",
            List.of(new Violation(null, "reason", "must be a non-empty string")));
      }
      reason = why.isNull() ? null : why.asText();
    }
    RuleParser.Result result = RuleParser.rule(body);
    if (result.rule() == null) {
      throw new ApiException(
          ErrorKind.INVALID_REQUEST,
          "body must be a routing rule such as {\"mode\": \"canary\","
              + " \"candidate\": \"staging\", \"share\": 0.1} or {\"mode\": \"shadow\", \"candidate\": 3}",
          result.problems());
    }
    try (Lease ignored = registry.lease(entry.name(), Candidate.selector(result.rule()))) {
      // held only for the check
    }
    String why = reason;
    StoreWrites.run(
        () ->
            registry.setRouting(
                entry.name(), Router.toStore(result.rule()), AccessControl.caller(ctx), why));
    ctx.json(router.view(PathParams.entry(registry, ctx)));
  }

  /**
   * Removes the rule on every replica, a rule from a replica's config file included (the store's
   * document says "no rule").
   */
  void delete(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    StoreWrites.run(
        () ->
            registry.setRouting(
                entry.name(), null, AccessControl.caller(ctx), ctx.queryParam("reason")));
    ctx.json(router.view(entry));
  }
}
