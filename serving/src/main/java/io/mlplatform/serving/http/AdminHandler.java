package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.StoreStatus;
import io.mlplatform.serving.validation.Violation;
import java.util.List;

/**
 * Admin routes: read the store now, pin a model's default route to a version, unpin it. Pins live
 * in this process only; aliases in the store are the way to change every replica.
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

  void pin(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    JsonNode body = bodies.read(ctx);
    JsonNode version = body == null ? null : body.get("version");
    if (version == null
        || !version.canConvertToInt()
        || !version.isIntegralNumber()
        || version.asInt() < 1) {
      throw new ApiException(
          ErrorKind.INVALID_REQUEST,
          "body must be {\"version\": N} with N >= 1",
          List.of(new Violation(null, "version", "must be a positive integer")));
    }
    ctx.json(ModelViews.detail(registry.pin(entry.name(), version.asInt()), true));
  }

  void unpin(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    ctx.json(ModelViews.detail(registry.unpin(entry.name()), true));
  }
}
