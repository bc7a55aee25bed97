package io.mlplatform.serving.http;

import io.javalin.http.Context;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.Selector;

/**
 * Read-only views of the registry; they never touch the store, so they stay fast when it is slow. A
 * predict key sees what it needs to call a model (names, versions, states, schema, outputs,
 * metrics); lineage, the training spec, store errors and load-failure details (which name store
 * paths) need the admin scope.
 */
final class ModelsHandler {

  private final ModelRegistry registry;

  ModelsHandler(ModelRegistry registry) {
    this.registry = registry;
  }

  void list(Context ctx) {
    ctx.json(ModelViews.list(registry.all(), registry.storeStatus(), AccessControl.admin(ctx)));
  }

  void detail(Context ctx) {
    ctx.json(ModelViews.detail(PathParams.entry(registry, ctx), AccessControl.admin(ctx)));
  }

  void version(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    int version = PathParams.version(ctx).number();
    if (!entry.versions().contains(version) && !entry.loaded().containsKey(version)) {
      throw new ApiException(
          ErrorKind.VERSION_NOT_FOUND,
          "model '"
              + entry.name()
              + "' has no version "
              + version
              + " (versions: "
              + entry.versions()
              + ")");
    }
    ctx.json(ModelViews.version(entry, version, AccessControl.admin(ctx)));
  }

  void metadata(Context ctx) {
    metadata(ctx, Selector.DEFAULT);
  }

  void versionMetadata(Context ctx) {
    metadata(ctx, PathParams.version(ctx));
  }

  private void metadata(Context ctx, Selector selector) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    try (Lease lease = registry.lease(entry.name(), selector)) {
      ctx.json(ModelViews.metadata(lease.model(), AccessControl.admin(ctx)));
    }
  }
}
