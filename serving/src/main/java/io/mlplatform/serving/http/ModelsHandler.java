package io.mlplatform.serving.http;

import io.javalin.http.Context;
import io.mlplatform.serving.model.ModelRegistry;

/** Read-only views of the registry; they never touch the store, so they stay fast when it is slow. */
final class ModelsHandler {

  private final ModelRegistry registry;

  ModelsHandler(ModelRegistry registry) {
    this.registry = registry;
  }

  void list(Context ctx) {
    ctx.json(ModelViews.list(registry.all()));
  }

  void detail(Context ctx) {
    ctx.json(ModelViews.detail(ModelLookup.entry(registry, ctx.pathParam("name"))));
  }
}
