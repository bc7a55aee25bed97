package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.StoreStatus;
import io.mlplatform.serving.validation.Violation;
import io.mlplatform.store.format.AliasChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin routes: read the store now; pin a model's default route to a version, unpin it, move an
 * alias. Changes are written to the model store, recorded in the model's history under the caller's
 * key name, and applied by every replica at its next poll (by this one at once).
 */
final class AdminHandler {

  private final ModelRegistry registry;
  private final JsonBodies bodies;

  AdminHandler(ModelRegistry registry, JsonBodies bodies) {
    this.registry = registry;
    this.bodies = bodies;
  }

  void reload(Context ctx) {
    StoreStatus status = registry.refresh();
    if (!status.reachable()) {
      throw new ApiException(
          ErrorKind.STORE_UNAVAILABLE,
          "the model store cannot be read ("
              + status.lastError()
              + "); loaded models keep serving");
    }
    ctx.json(ModelViews.list(registry.all(), status, true));
  }

  /** {@code {"version": N, "reason": "..."}}; the reason is optional. */
  void pin(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    JsonNode body = bodies.read(ctx);
    List<Violation> problems = new ArrayList<>();
    Integer version = version(body, problems);
    String reason = reason(body, false, problems);
    refuse(problems, "body must be {\"version\": N} with N >= 1, optionally with a \"reason\"");
    ModelEntry pinned =
        StoreWrites.run(
            () -> registry.pin(entry.name(), version, AccessControl.caller(ctx), reason));
    ctx.json(ModelViews.detail(pinned, true));
  }

  void unpin(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    ModelEntry unpinned =
        StoreWrites.run(
            () ->
                registry.unpin(entry.name(), AccessControl.caller(ctx), ctx.queryParam("reason")));
    ctx.json(ModelViews.detail(unpinned, true));
  }

  /** {@code PUT /v1/admin/models/{name}/aliases/{alias}} with {@code {"version": N, "reason"}}. */
  void setAlias(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    String alias = PathParams.aliasName(ctx);
    JsonNode body = bodies.read(ctx);
    List<Violation> problems = new ArrayList<>();
    Integer version = version(body, problems);
    String reason = reason(body, true, problems);
    refuse(problems, "body must be {\"version\": N, \"reason\": \"why\"} with N >= 1");
    AliasChange change =
        StoreWrites.run(
            () ->
                registry.setAlias(entry.name(), alias, version, AccessControl.caller(ctx), reason));
    ModelEntry after = PathParams.entry(registry, ctx);
    Map<String, Object> moved = new LinkedHashMap<>();
    moved.put("alias", change.alias());
    moved.put("from", change.from());
    moved.put("to", change.to());
    moved.put("model", ModelViews.detail(after, true));
    ctx.json(moved);
  }

  private static Integer version(JsonNode body, List<Violation> problems) {
    JsonNode version = body == null ? null : body.get("version");
    if (version == null
        || !version.canConvertToInt()
        || !version.isIntegralNumber()
        || version.asInt() < 1) {
      problems.add(new Violation(null, "version", "must be a positive integer"));
      return null;
    }
    return version.asInt();
  }

  private static String reason(JsonNode body, boolean required, List<Violation> problems) {
    JsonNode reason = body == null ? null : body.get("reason");
    if (reason == null || reason.isNull()) {
      if (required) {
        problems.add(
            new Violation(null, "reason", "is required: say why, it goes into the history"));
      }
      return null;
    }
    if (!reason.isTextual() || reason.asText().isBlank() || reason.asText().length() > 1000) {
      problems.add(
          new Violation(null, "reason", "must be a non-empty string of at most 1000 characters"));
      return null;
    }
    return reason.asText().trim();
  }

  private static void refuse(List<Violation> problems, String message) {
    if (!problems.isEmpty()) {
      throw new ApiException(ErrorKind.INVALID_REQUEST, message, problems);
    }
  }
}
